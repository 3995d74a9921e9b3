package dev.ordo.it.stress;

import dev.ordo.HealthCheck;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.runtime.Health;
import dev.ordo.runtime.LifecycleContext;

/**
 * Timeouts and intervals past the nanosecond range (and one padded with whitespace): no limit; and
 * a check that takes the application's defaults.
 */
public class Forever {
  private final Script script;

  public Forever(Script script) {
    this.script = script;
  }

  @OnStartup(timeout = "3000000h")
  void start(LifecycleContext context) throws Exception {
    script.start("Forever", context);
  }

  @OnShutdown(timeout = " 99999999999999999999999h\n")
  void stop(LifecycleContext context) throws Exception {
    script.stop("Forever", context);
  }

  @HealthCheck(timeout = "3000000h", interval = "9223372036854775807s")
  Health probe(LifecycleContext context) throws Exception {
    return script.check(context);
  }

  /** With the application's interval and timeout ({@code ordo.health.interval}, {@code ordo.health.timeout}). */
  @HealthCheck
  boolean plain() {
    return true;
  }
}
