package dev.ordo.it.timeout;

import dev.ordo.DependsOn;
import dev.ordo.OnStartup;
import dev.ordo.it.Journal;

@DependsOn(SlowStarter.class)
public class NeverReached {
  private final Journal journal;

  public NeverReached(Journal journal) {
    this.journal = journal;
  }

  @OnStartup
  void start() {
    journal.add("start NeverReached");
  }
}
