package dev.ordo.runtime.events;

import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.LifecycleContext;
import dev.ordo.runtime.LifecycleController;
import java.util.concurrent.CompletionStage;

/** Hand-written components for the event tests: a name, and hooks that do what the test says. */
final class Parts {
  private Parts() {}

  /** A component instance, told apart by its name. */
  record Part(String name) {}

  interface Hook {
    void run() throws Exception;
  }

  static final Hook NOTHING = () -> {};

  static LifecycleController<Part> part(String name, boolean critical, Hook start, Hook stop, String... dependsOn) {
    ComponentDescriptor.Builder b = ComponentDescriptor.builder(Part.class).key(name)
        .onStartup("start", null).onShutdown("stop", null);
    if (critical) {
      b.critical();
    }
    for (String d : dependsOn) {
      b.dependsOn(d);
    }
    return new LifecycleController<>(b.build(), new Part(name)) {
      @Override
      public CompletionStage<?> start(LifecycleContext context) throws Exception {
        start.run();
        return COMPLETED;
      }

      @Override
      public CompletionStage<?> stop(LifecycleContext context) throws Exception {
        stop.run();
        return COMPLETED;
      }
    };
  }

  static LifecycleController<Part> part(String name, String... dependsOn) {
    return part(name, false, NOTHING, NOTHING, dependsOn);
  }
}
