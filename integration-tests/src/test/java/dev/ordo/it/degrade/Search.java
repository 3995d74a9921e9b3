package dev.ordo.it.degrade;

import dev.ordo.DependsOn;
import dev.ordo.OnStartup;
import dev.ordo.it.Journal;

@DependsOn(FlakyIndex.class)
public class Search {
  private final Journal journal;

  public Search(Journal journal) {
    this.journal = journal;
  }

  @OnStartup
  void start() {
    journal.add("start Search");
  }
}
