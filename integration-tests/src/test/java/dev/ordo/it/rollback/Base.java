package dev.ordo.it.rollback;

import dev.ordo.Critical;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.it.Journal;

@Critical
public class Base {
  private final Journal journal;

  public Base(Journal journal) {
    this.journal = journal;
  }

  @OnStartup
  void start() {
    journal.add("start Base");
  }

  @OnShutdown
  void stop() {
    journal.add("stop Base");
  }
}
