package dev.ordo.it.stress;

import dev.ordo.DependsOn;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.runtime.LifecycleContext;

/** An optional component on {@link Base}, whose start a test may hang. */
@DependsOn(Base.class)
public class Side {
  private final Script script;

  public Side(Script script) {
    this.script = script;
  }

  @OnStartup
  void start(LifecycleContext context) throws Exception {
    script.start("Side", context);
  }

  @OnShutdown
  void stop(LifecycleContext context) throws Exception {
    script.stop("Side", context);
  }
}
