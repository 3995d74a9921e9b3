package dev.ordo.it.stress;

import dev.ordo.Critical;
import dev.ordo.DependsOn;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.runtime.LifecycleContext;

/** Depends on {@link Base}. */
@Critical
@DependsOn(Base.class)
public class Mid {
  private final Script script;

  public Mid(Script script) {
    this.script = script;
  }

  @OnStartup
  void start(LifecycleContext context) throws Exception {
    script.start("Mid", context);
  }

  @OnShutdown
  void stop(LifecycleContext context) throws Exception {
    script.stop("Mid", context);
  }
}
