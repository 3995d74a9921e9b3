package dev.ordo.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ordo.runtime.events.EventOptions;
import dev.ordo.runtime.events.EventSink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Races between starting, stopping, timeouts and listeners that a review found; each test failed
 * before its fix. Times are only bounded from above, with generous margins.
 */
@Timeout(60)
class LifecycleRaceTest {
  private final ScriptedController.Script script = new ScriptedController.Script();

  @Test
  void stopFromAListenerOnTheShutdownThreadDoesNotDeadlock() throws Exception {
    AtomicReference<Ordo> self = new AtomicReference<>();
    AtomicReference<Throwable> awaited = new AtomicReference<>();
    Ordo app = Ordo.builder()
        .controller(script.component("a").build())
        .listener(new LifecycleListener() {
          @Override
          public void applicationStateChanged(ApplicationState from, ApplicationState to) {
            if (to == ApplicationState.DRAINING) {
              self.get().stop();
              try {
                // awaitShutdown() on a listener's thread would wait for itself: refused, not a deadlock.
                self.get().awaitShutdown();
              } catch (Throwable t) {
                awaited.set(t);
              }
            }
          }
        })
        .build();
    self.set(app);
    app.start();
    try {
      app.stopAsync().get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      fail("deadlock: the shutdown did not complete; state " + app.state());
    }
    assertTrue(awaited.get() instanceof IllegalStateException, String.valueOf(awaited.get()));
  }

  @Test
  void stopFromAListenerOfATimeoutDoesNotFreezeTheShutdown() throws Exception {
    AtomicReference<Ordo> self = new AtomicReference<>();
    CountDownLatch never = new CountDownLatch(1);
    Ordo app = Ordo.builder()
        .shutdownTimeout(Duration.ofSeconds(20))
        .controller(script.component("hang").startupTimeout(Duration.ofMillis(100))
            .onStart(c -> { never.await(); return null; }).build())
        .controller(script.component("b").build())
        .listener(new LifecycleListener() {
          @Override
          public void componentStateChanged(ComponentTransition t) {
            if (t.to() == ComponentState.FAILED) {
              self.get().stop();
            }
          }
        })
        .build();
    self.set(app);
    try {
      app.start();
    } catch (StartupFailedException interruptedByShutdown) {
      assertTrue(interruptedByShutdown.interruptedByShutdown());
    }
    ShutdownReport report = app.awaitShutdown();
    never.countDown();
    assertFalse(report.budgetExceeded(), report.toString());
    assertTrue(report.duration().compareTo(Duration.ofSeconds(10)) < 0, report.toString());
  }

  @Test
  void startReturnsWhenTheBudgetEndsWhileAHookIsStillStarting() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    Ordo app = Ordo.builder()
        .shutdownTimeout(Duration.ofMillis(500))
        .controller(script.component("slow").startupTimeout(Duration.ofMinutes(5)).onStart(c -> {
          entered.countDown();
          never.await();
          return null;
        }).build())
        .build();
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    Thread starter = new Thread(() -> {
      try {
        app.start();
        thrown.complete(null);
      } catch (Throwable t) {
        thrown.complete(t);
      }
    });
    starter.start();
    assertTrue(entered.await(30, TimeUnit.SECONDS));
    ShutdownReport report = app.stop();
    Throwable t = thrown.get(30, TimeUnit.SECONDS);
    never.countDown();
    assertTrue(t instanceof StartupFailedException && ((StartupFailedException) t).interruptedByShutdown(), String.valueOf(t));
    assertTrue(report.budgetExceeded(), report.toString());
    assertEquals(ComponentState.FAILED, app.components().get(0).state());
    // Starts in progress get what the delay and the drain would (none, and half of 500ms): the
    // stop phase keeps the rest.
    assertEquals("slow.start() did not finish within the time a shutdown leaves starts in progress"
            + " (ordo.shutdown.delay + ordo.shutdown.drain-timeout) of 250ms",
        app.components().get(0).failure().getMessage());
  }

  @Test
  void aStartThatCompletesAfterTheShutdownPassedIsStoppedThen() throws Exception {
    CompletableFuture<Void> late = new CompletableFuture<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Ordo app = Ordo.builder()
        .controller(script.component("late").startupTimeout(Duration.ofMillis(100)).onStart(c -> late)
            .onStop(c -> {
              stopped.countDown();
              return null;
            }).build())
        .build();
    app.start();
    app.stop();
    late.complete(null); // the connection finally opened, after everything ended
    assertTrue(stopped.await(30, TimeUnit.SECONDS), "what started late is stopped: " + script.journal);
  }

  @RepeatedTest(10)
  void noComponentTransitionIsReportedAfterTheApplicationStopped() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    List<String> seen = new CopyOnWriteArrayList<>();
    Ordo app = Ordo.builder()
        .shutdownTimeout(Duration.ofMillis(200))
        .componentShutdownTimeout(Duration.ofSeconds(30))
        .controller(script.component("db").build())
        .controller(script.component("api").dependsOn("db").onStop(c -> { never.await(); return null; }).build())
        .listener(new LifecycleListener() {
          @Override
          public void applicationStateChanged(ApplicationState from, ApplicationState to) {
            seen.add("app " + to);
          }

          @Override
          public void componentStateChanged(ComponentTransition t) {
            seen.add(t.name() + " " + t.to());
          }
        })
        .build();
    app.start();
    ShutdownReport report = app.stop();
    Thread.sleep(100); // room for a late report to show up; its absence is what is checked
    never.countDown();
    assertEquals(seen.size() - 1, seen.indexOf("app STOPPED"), "reported after STOPPED: " + seen + "\n" + report);
    assertTrue(report.abandoned().contains("api"), report.toString());
  }

  @Test
  void startAfterAStopIsRefusedEvenWhileTheStopStillFlushesEvents() throws Exception {
    CountDownLatch delivering = new CountDownLatch(1);
    EventSink slow = event -> {
      delivering.countDown();
      Thread.sleep(300);
    };
    Ordo app = Ordo.builder()
        .controller(script.component("a").build())
        .events(EventOptions.defaults().sink(slow))
        .build();
    CompletableFuture<ShutdownReport> stopping = CompletableFuture.supplyAsync(app::stop);
    assertTrue(delivering.await(30, TimeUnit.SECONDS));
    assertThrows(IllegalStateException.class, app::start);
    stopping.get(30, TimeUnit.SECONDS);
    assertFalse(script.journal.contains("start a"));
    assertEquals(ApplicationState.STOPPED, app.state());
  }

  @Test
  void aListenerSeesApplicationTransitionsInOrderEvenWhenAnotherIsSlow() throws Exception {
    CountDownLatch runningSeen = new CountDownLatch(1);
    List<String> seen = new CopyOnWriteArrayList<>();
    Ordo app = Ordo.builder()
        .controller(script.component("a").build())
        .listener(new LifecycleListener() {
          @Override
          public void applicationStateChanged(ApplicationState from, ApplicationState to) {
            if (to == ApplicationState.RUNNING) {
              runningSeen.countDown();
              try {
                Thread.sleep(200); // a slow appender
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }
        })
        .listener(new LifecycleListener() {
          @Override
          public void applicationStateChanged(ApplicationState from, ApplicationState to) {
            seen.add(from + "->" + to);
          }
        })
        .build();
    Thread starter = new Thread(app::start);
    starter.start();
    assertTrue(runningSeen.await(30, TimeUnit.SECONDS));
    app.stop();
    starter.join(30_000);
    assertEquals(List.of("NEW->STARTING", "STARTING->RUNNING", "RUNNING->DRAINING", "DRAINING->STOPPING",
        "STOPPING->STOPPED"), seen);
  }
}
