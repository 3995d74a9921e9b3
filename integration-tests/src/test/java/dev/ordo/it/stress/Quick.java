package dev.ordo.it.stress;

import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.runtime.LifecycleContext;

/** An optional component whose start may take at most 300ms. */
public class Quick {
  private final Script script;

  public Quick(Script script) {
    this.script = script;
  }

  @OnStartup(timeout = "300ms")
  void start(LifecycleContext context) throws Exception {
    script.start("Quick", context);
  }

  @OnShutdown(timeout = "300ms")
  void stop(LifecycleContext context) throws Exception {
    script.stop("Quick", context);
  }
}
