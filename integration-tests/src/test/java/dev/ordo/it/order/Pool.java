package dev.ordo.it.order;

import dev.ordo.Critical;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.it.Journal;

@Critical
public class Pool {
  final Journal journal;

  public Pool(Journal journal) {
    this.journal = journal;
  }

  @OnStartup
  void open() {
    journal.add("start Pool");
  }

  @OnShutdown
  void close() {
    journal.add("stop Pool");
  }
}
