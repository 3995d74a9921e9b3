package dev.ordo.it.dagger;

import dev.ordo.Critical;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The stock database. {@code @Singleton}: Dagger hands the one instance to every dependent, and
 * that instance is the one whose lifecycle Ordo runs.
 */
@Critical
@Singleton
public final class StockDatabase {
  private final InventoryConfig config;
  private volatile boolean open;

  @Inject
  StockDatabase(InventoryConfig config) {
    this.config = config;
  }

  @OnStartup(timeout = "10s")
  void open() {
    open = true;
  }

  @OnShutdown
  void close() {
    open = false;
  }

  public boolean isOpen() {
    return open;
  }

  public InventoryConfig config() {
    return config;
  }
}
