package dev.ordo.it.assembly;

import dev.ordo.Critical;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.it.Journal;
import jakarta.inject.Named;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The orders, on the orders database: a hard dependency on that one pool instance. */
@Critical
public final class OrderStore {
  private final ConnectionPool pool;
  private final Journal journal;
  private final List<String> items = new CopyOnWriteArrayList<>();

  public OrderStore(@Named("orders-db") ConnectionPool pool, Journal journal) {
    this.pool = pool;
    this.journal = journal;
  }

  @OnStartup
  void migrate() {
    if (!pool.isOpen()) {
      throw new IllegalStateException("started before its pool " + pool.database());
    }
    journal.add("start OrderStore");
  }

  @OnShutdown
  void flush() {
    journal.add("stop OrderStore");
  }

  /** Stores an order and returns its id. */
  public long add(String item) {
    items.add(item);
    return items.size();
  }

  public List<String> items() {
    return List.copyOf(items);
  }

  public ConnectionPool pool() {
    return pool;
  }
}
