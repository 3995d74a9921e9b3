package dev.ordo.it.degrade;

import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.it.Journal;

public class FlakyIndex {
  private final Journal journal;

  public FlakyIndex(Journal journal) {
    this.journal = journal;
  }

  @OnStartup
  void load() {
    throw new IllegalStateException("index corrupt");
  }

  @OnShutdown
  void close() {
    journal.add("stop FlakyIndex");
  }
}
