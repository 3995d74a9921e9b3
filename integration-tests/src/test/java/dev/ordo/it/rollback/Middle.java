package dev.ordo.it.rollback;

import dev.ordo.Critical;
import dev.ordo.DependsOn;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.it.Journal;

@Critical
@DependsOn(Base.class)
public class Middle {
  private final Journal journal;

  public Middle(Journal journal) {
    this.journal = journal;
  }

  @OnStartup
  void start() {
    journal.add("start Middle");
  }

  @OnShutdown
  void stop() {
    journal.add("stop Middle");
  }
}
