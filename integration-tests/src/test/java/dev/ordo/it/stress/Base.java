package dev.ordo.it.stress;

import dev.ordo.Critical;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.runtime.LifecycleContext;

/** The root of the stress graph. */
@Critical
public class Base {
  private final Script script;

  public Base(Script script) {
    this.script = script;
  }

  @OnStartup
  void start(LifecycleContext context) throws Exception {
    script.start("Base", context);
  }

  @OnShutdown
  void stop(LifecycleContext context) throws Exception {
    script.stop("Base", context);
  }
}
