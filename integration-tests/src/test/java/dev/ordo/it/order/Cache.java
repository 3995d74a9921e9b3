package dev.ordo.it.order;

import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.it.Journal;

public class Cache {
  final Journal journal;

  public Cache(Journal journal) {
    this.journal = journal;
  }

  @OnStartup
  void warm() {
    journal.add("start Cache");
  }

  @OnShutdown
  void drop() {
    journal.add("stop Cache");
  }
}
