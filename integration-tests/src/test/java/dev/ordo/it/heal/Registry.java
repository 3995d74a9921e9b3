package dev.ordo.it.heal;

import dev.ordo.HealthCheck;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.Retry;
import dev.ordo.it.Journal;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A service registry that is down at deploy time, and whose connection may break later. */
public class Registry {
  private final Journal journal;
  /** Starts still to fail. */
  public final AtomicInteger unavailableFor = new AtomicInteger();
  public final AtomicBoolean connected = new AtomicBoolean(true);

  public Registry(Journal journal) {
    this.journal = journal;
  }

  @OnStartup(timeout = "2s", retry = @Retry(initial = "10ms", max = "40ms"))
  void connect() {
    journal.add("start Registry");
    if (unavailableFor.getAndDecrement() > 0) {
      throw new IllegalStateException("registry unavailable");
    }
    connected.set(true);
  }

  @OnShutdown
  void disconnect() {
    journal.add("stop Registry");
  }

  @HealthCheck(restart = true)
  boolean connection() {
    return connected.get();
  }
}
