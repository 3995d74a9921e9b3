package dev.ordo.it.dagger;

import dev.ordo.Critical;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The stock levels, loaded from the database at startup and written back at shutdown. Its
 * {@code @Inject} constructor takes the database: Ordo's processor infers the hard edge from it,
 * with no {@code @DependsOn}.
 */
@Critical
@Singleton
public final class Inventory {
  private final StockDatabase database;
  private volatile boolean loaded;

  @Inject
  Inventory(StockDatabase database) {
    this.database = database;
  }

  @OnStartup
  void load() {
    requireOpen(database);
    loaded = true;
  }

  @OnShutdown
  void save() {
    requireOpen(database);
    loaded = false;
  }

  private static void requireOpen(StockDatabase database) {
    if (!database.isOpen()) {
      throw new IllegalStateException("the stock database is not open");
    }
  }

  public boolean isLoaded() {
    return loaded;
  }

  public StockDatabase database() {
    return database;
  }
}
