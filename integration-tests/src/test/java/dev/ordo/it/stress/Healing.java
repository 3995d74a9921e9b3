package dev.ordo.it.stress;

import dev.ordo.DependsOn;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.Retry;
import dev.ordo.runtime.LifecycleContext;

/** An optional component on {@link Base} that retries its start every few milliseconds. */
@DependsOn(Base.class)
public class Healing {
  private final Script script;

  public Healing(Script script) {
    this.script = script;
  }

  @OnStartup(timeout = "1h", retry = @Retry(initial = "5ms", max = "5ms"))
  void start(LifecycleContext context) throws Exception {
    script.start("Healing", context);
  }

  @OnShutdown
  void stop(LifecycleContext context) throws Exception {
    script.stop("Healing", context);
  }
}
