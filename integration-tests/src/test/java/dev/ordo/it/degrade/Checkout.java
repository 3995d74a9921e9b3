package dev.ordo.it.degrade;

import dev.ordo.Critical;
import dev.ordo.DependsOn;
import dev.ordo.OnStartup;
import dev.ordo.it.Journal;

@Critical
@DependsOn(value = FlakyIndex.class, optional = true)
public class Checkout {
  private final Journal journal;

  public Checkout(Journal journal) {
    this.journal = journal;
  }

  @OnStartup
  void start() {
    journal.add("start Checkout");
  }
}
