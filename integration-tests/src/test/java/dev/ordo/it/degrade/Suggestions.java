package dev.ordo.it.degrade;

import dev.ordo.DependsOn;
import dev.ordo.OnStartup;
import dev.ordo.it.Journal;

@DependsOn(Search.class)
public class Suggestions {
  private final Journal journal;

  public Suggestions(Journal journal) {
    this.journal = journal;
  }

  @OnStartup
  void start() {
    journal.add("start Suggestions");
  }
}
