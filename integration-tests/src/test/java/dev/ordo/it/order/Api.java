package dev.ordo.it.order;

import dev.ordo.Critical;
import dev.ordo.DependsOn;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.it.Journal;

@Critical
@DependsOn(Store.class)
@DependsOn(value = Cache.class, optional = true)
public class Api {
  final Journal journal;

  public Api(Journal journal) {
    this.journal = journal;
  }

  @OnStartup
  void listen() {
    journal.add("start Api");
  }

  @OnShutdown
  void close() {
    journal.add("stop Api");
  }

  /** A nested component: its controller is Api_Admin_Lifecycle. */
  @DependsOn(Api.class)
  public static class Admin {
    final Journal journal;

    public Admin(Journal journal) {
      this.journal = journal;
    }

    @OnStartup
    void open() {
      journal.add("start Admin");
    }
  }
}
