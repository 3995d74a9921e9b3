package dev.ordo.it.assembly;

import dev.ordo.Critical;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.it.Journal;

/**
 * A pool of connections to one database. The application has two, told apart by key
 * ({@code @Named("orders-db")} and {@code @Named("users-db")} where they are taken), so the
 * assembly does not construct it: the builder takes each instance ({@code ordersDb(...)},
 * {@code usersDb(...)}).
 */
@Critical
public final class ConnectionPool {
  private final String database;
  private final Journal journal;
  private volatile boolean open;

  public ConnectionPool(String database, Journal journal) {
    this.database = database;
    this.journal = journal;
  }

  @OnStartup(timeout = "10s")
  void open() {
    open = true;
    journal.add("start pool " + database);
  }

  @OnShutdown
  void close() {
    open = false;
    journal.add("stop pool " + database);
  }

  public String database() {
    return database;
  }

  public boolean isOpen() {
    return open;
  }
}
