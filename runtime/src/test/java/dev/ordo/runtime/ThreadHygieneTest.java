package dev.ordo.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.events.EventOptions;
import dev.ordo.runtime.events.InMemoryEventSink;
import dev.ordo.runtime.health.HealthOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * After {@code stop()} returns, no thread of the application is alive — not a worker, a listener
 * thread, a health check or probe thread, nor an event thread — checked at once, without grace.
 */
@Timeout(60)
class ThreadHygieneTest {
  private final ScriptedController.Script script = new ScriptedController.Script();

  /** The threads named ordo* alive now that were not in {@code before}, with their states. */
  static List<String> newOrdoThreads(Set<Thread> before) {
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!before.contains(t) && t.isAlive() && t.getName().startsWith("ordo")) {
        names.add(t.getName() + " " + t.getState());
      }
    }
    return names;
  }

  @Test
  void noThreadOfTheApplicationOutlivesStop() {
    for (int round = 0; round < 20; round++) {
      Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
      LifecycleController<Object> checked = new LifecycleController<>(
          ComponentDescriptor.builder(Object.class).key("checked")
              .healthCheck("ping", "ping", null, null).build(),
          new Object()) {
        @Override
        public Health check(int index, LifecycleContext context) {
          return Health.up();
        }
      };
      Ordo app = Ordo.builder()
          .controller(script.component("a").onStart(c -> {
            Thread.sleep(2); // a hook that blocks a little: the pool grows
            return null;
          }).build())
          .controller(script.component("b").dependsOn("a").onStart(c -> CompletableFuture.supplyAsync(() -> "x"))
              .build())
          .controller(script.component("c").onStop(c -> {
            Thread.sleep(2);
            return null;
          }).build())
          .controller(checked)
          .listener(new LifecycleListener() {
            @Override
            public void componentStateChanged(ComponentTransition t) {}
          })
          .health(HealthOptions.defaults().port(0).interval(Duration.ofMillis(5)))
          .events(EventOptions.defaults().sink(new InMemoryEventSink()))
          .build();
      app.start();
      ShutdownReport report = app.stop();
      assertTrue(report.clean(), report.toString());
      assertEquals(List.of(), newOrdoThreads(before), "round " + round);
    }
  }
}
