package dev.ordo.it.assembly;

import dev.ordo.DependsOn;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.it.Journal;

/**
 * Audits every database: an ordering-only edge ({@code @DependsOn}, no constructor parameter) on
 * the class, so on both pool instances.
 */
@DependsOn(ConnectionPool.class)
public final class AuditLog {
  private final Journal journal;

  public AuditLog(Journal journal) {
    this.journal = journal;
  }

  @OnStartup
  void open() {
    journal.add("start AuditLog");
  }

  @OnShutdown
  void close() {
    journal.add("stop AuditLog");
  }
}
