package dev.ordo.it.stress;

import dev.ordo.DependsOn;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.runtime.LifecycleContext;

/** Depends on {@link Mid}. */
@DependsOn(Mid.class)
public class Top {
  private final Script script;

  public Top(Script script) {
    this.script = script;
  }

  @OnStartup
  void start(LifecycleContext context) throws Exception {
    script.start("Top", context);
  }

  @OnShutdown
  void stop(LifecycleContext context) throws Exception {
    script.stop("Top", context);
  }
}
