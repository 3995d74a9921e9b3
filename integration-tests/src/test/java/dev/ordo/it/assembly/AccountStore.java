package dev.ordo.it.assembly;

import dev.ordo.Critical;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.it.Journal;
import jakarta.inject.Named;

/** The customers' accounts, on the users database. */
@Critical
public final class AccountStore {
  private final ConnectionPool pool;
  private final Journal journal;

  public AccountStore(@Named("users-db") ConnectionPool pool, Journal journal) {
    this.pool = pool;
    this.journal = journal;
  }

  @OnStartup
  void load() {
    if (!pool.isOpen()) {
      throw new IllegalStateException("started before its pool " + pool.database());
    }
    journal.add("start AccountStore");
  }

  @OnShutdown
  void close() {
    journal.add("stop AccountStore");
  }

  public ConnectionPool pool() {
    return pool;
  }
}
