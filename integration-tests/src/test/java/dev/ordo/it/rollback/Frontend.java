package dev.ordo.it.rollback;

import dev.ordo.Critical;
import dev.ordo.DependsOn;
import dev.ordo.OnStartup;
import dev.ordo.it.Journal;

@Critical
@DependsOn(Payments.class)
public class Frontend {
  private final Journal journal;

  public Frontend(Journal journal) {
    this.journal = journal;
  }

  @OnStartup
  void start() {
    journal.add("start Frontend");
  }
}
