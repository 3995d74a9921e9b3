package dev.ordo.it.rollback;

import dev.ordo.Critical;
import dev.ordo.DependsOn;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.it.Journal;

@Critical
@DependsOn(Middle.class)
public class Payments {
  private final Journal journal;

  public Payments(Journal journal) {
    this.journal = journal;
  }

  @OnStartup
  void connect() {
    throw new IllegalStateException("provider refused the credentials");
  }

  @OnShutdown
  void stop() {
    journal.add("stop Payments");
  }
}
