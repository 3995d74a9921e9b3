package dev.ordo.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every public method of an application called at once from several threads, many times over:
 * nothing deadlocks or throws what it should not, the application always ends in a final state,
 * every stop returns the one report, and each listener hears the final state last.
 */
@Timeout(120)
class PublicMethodRaceTest {
  @Test
  void everyPublicMethodAtOnce() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(6);
    try {
      for (int round = 0; round < 150; round++) {
        ScriptedController.Script script = new ScriptedController.Script();
        List<String> heard = new CopyOnWriteArrayList<>();
        CountDownLatch ended = new CountDownLatch(1);
        Ordo app = Ordo.builder()
            .shutdownTimeout(Duration.ofSeconds(10))
            .controller(script.component("a").onStart(c -> {
              Thread.sleep(1);
              return null;
            }).build())
            .controller(script.component("b").dependsOn("a").build())
            .controller(script.component("c").onStop(c -> {
              Thread.sleep(1);
              return null;
            }).build())
            .listener(new LifecycleListener() {
              @Override
              public void applicationStateChanged(ApplicationState from, ApplicationState to) {
                heard.add(to.name());
                if (to.isTerminal()) {
                  ended.countDown();
                }
              }

              @Override
              public void shutdownCompleted(ShutdownReport report) {
                heard.add("report");
              }
            })
            .build();
        CountDownLatch go = new CountDownLatch(1);
        Future<?> starter = callers.submit(() -> {
          go.await();
          try {
            app.start();
          } catch (StartupFailedException interruptedByStop) {
            assertTrue(interruptedByStop.interruptedByShutdown(), interruptedByStop.getMessage());
          } catch (IllegalStateException stoppedFirst) {
            // Documented: once a shutdown was requested, start() is refused.
            assertTrue(stoppedFirst.getMessage().contains("a shutdown was requested"), stoppedFirst.getMessage());
          }
          return null;
        });
        Future<ShutdownReport> stop1 = callers.submit(() -> {
          go.await();
          return app.stop();
        });
        Future<ShutdownReport> stop2 = callers.submit(() -> {
          go.await();
          return app.stopAsync().get(30, TimeUnit.SECONDS);
        });
        Future<ShutdownReport> awaiter = callers.submit(() -> {
          go.await();
          return app.awaitShutdown();
        });
        Future<?> readers = callers.submit(() -> {
          go.await();
          for (int i = 0; i < 50; i++) {
            app.state();
            app.components();
            app.isDegraded();
            app.uptime();
            app.health().report();
            app.addListener(new LifecycleListener() {});
          }
          return null;
        });
        go.countDown();
        starter.get(30, TimeUnit.SECONDS);
        ShutdownReport report = stop1.get(30, TimeUnit.SECONDS);
        assertEquals(report, stop2.get(30, TimeUnit.SECONDS), "one shutdown, one report");
        assertEquals(report, awaiter.get(30, TimeUnit.SECONDS));
        readers.get(30, TimeUnit.SECONDS);
        assertTrue(app.state().isTerminal(), "round " + round + ": " + app.state());
        assertTrue(ended.await(30, TimeUnit.SECONDS));
        assertEquals(app.state().name(), heard.get(heard.size() - 1), "round " + round + ": " + heard);
        assertEquals("report", heard.get(heard.size() - 2), "round " + round + ": " + heard);
        for (ComponentStatus s : app.components()) {
          assertTrue(s.state() == ComponentState.STOPPED || s.state() == ComponentState.PENDING
              || s.state() == ComponentState.SKIPPED, "round " + round + ": " + s);
        }
      }
    } finally {
      callers.shutdownNow();
    }
  }
}
