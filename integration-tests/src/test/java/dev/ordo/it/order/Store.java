package dev.ordo.it.order;

import dev.ordo.Critical;
import dev.ordo.DependsOn;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.it.Journal;
import dev.ordo.runtime.LifecycleContext;

@Critical
@DependsOn(Pool.class)
public class Store {
  final Journal journal;

  public Store(Journal journal) {
    this.journal = journal;
  }

  @OnStartup(timeout = "10s")
  protected void migrate(LifecycleContext context) {
    journal.add("start Store " + context.phase() + " " + context.componentName());
  }

  @OnShutdown
  public void flush() {
    journal.add("stop Store");
  }
}
