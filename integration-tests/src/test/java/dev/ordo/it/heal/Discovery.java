package dev.ordo.it.heal;

import dev.ordo.DependsOn;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.it.Journal;

/** Needs the registry: skipped while it is down, started once it recovers. */
@DependsOn(Registry.class)
public class Discovery {
  private final Journal journal;

  public Discovery(Journal journal) {
    this.journal = journal;
  }

  @OnStartup
  void start() {
    journal.add("start Discovery");
  }

  @OnShutdown
  void stop() {
    journal.add("stop Discovery");
  }
}
