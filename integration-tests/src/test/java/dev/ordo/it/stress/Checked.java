package dev.ordo.it.stress;

import dev.ordo.Critical;
import dev.ordo.DependsOn;
import dev.ordo.HealthCheck;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.runtime.LifecycleContext;

/** A critical component with a health check every 50ms. */
@Critical
@DependsOn(Base.class)
public class Checked {
  private final Script script;

  public Checked(Script script) {
    this.script = script;
  }

  @OnStartup
  void start(LifecycleContext context) throws Exception {
    script.start("Checked", context);
  }

  @OnShutdown
  void stop(LifecycleContext context) throws Exception {
    script.stop("Checked", context);
  }

  @HealthCheck(timeout = "200ms", interval = "50ms")
  dev.ordo.runtime.Health probe(LifecycleContext context) throws Exception {
    return script.check(context);
  }
}
