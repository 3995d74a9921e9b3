package dev.ordo.runtime;

import static dev.ordo.runtime.EngineProbe.await;
import static dev.ordo.runtime.EngineProbe.millisSince;
import static dev.ordo.runtime.EngineProbe.mentionsDuration;
import static dev.ordo.runtime.EngineProbe.sleepUninterruptibly;
import static dev.ordo.runtime.EngineProbe.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ordo.runtime.events.Event;
import dev.ordo.runtime.events.EventOptions;
import dev.ordo.runtime.events.EventSink;
import dev.ordo.runtime.events.EventStats;
import dev.ordo.runtime.events.InMemoryEventSink;
import dev.ordo.runtime.events.JsonLinesEventSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression tests for the engine's promises under stress (issue 10): each test names the defect
 * it covers. They use the public API only, with hand-written controllers.
 */
@Timeout(120)
class EnginePromisesTest {
  private final ScriptedController.Script script = new ScriptedController.Script();

  private int indexOf(String entry) {
    int i = script.journal.indexOf(entry);
    assertTrue(i >= 0, entry + " missing from " + script.journal);
    return i;
  }

  private static void assertStoppedCleanly(Ordo app, String... names) {
    for (String name : names) {
      ComponentStatus s = status(app, name);
      assertEquals(ComponentState.STOPPED, s.state(), name + ": " + s);
      assertNull(s.shutdownFailure(), name + " stop: " + s.shutdownFailure());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Defect 1: one budget shared by delay, drain, waiting on starts and the stop phase.
  // ---------------------------------------------------------------------------------------------

  @Test
  void stopDuringAHangingStartStillStopsEveryRunningComponentInReverseOrder() throws Exception {
    // Defect 1: a start hook that outlasts the budget must not cost the stop phase. top and mid do
    // not need the hanging component: they stop at once; base (a dependency of the hanging one)
    // stops once the hanging start is abandoned (at the latest delay + drain = 2 s into a 4 s budget).
    CountDownLatch hangEntered = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    Map<String, Long> stopStarted = new ConcurrentHashMap<>();
    ScriptedController.Hook stamp = c -> {
      stopStarted.put(c.componentName(), System.nanoTime());
      return null;
    };
    Ordo app = Ordo.builder()
        .shutdownTimeout(Duration.ofSeconds(4))
        .controller(script.component("base").onStop(stamp).build())
        .controller(script.component("mid").dependsOn("base").onStop(stamp).build())
        .controller(script.component("top").dependsOn("mid").onStop(stamp).build())
        .controller(script.component("hanging").dependsOn("base").startupTimeout(Duration.ofSeconds(60))
            .onStart(c -> {
              hangEntered.countDown();
              never.await();
              return null;
            }).build())
        .build();
    AtomicReference<Throwable> startOutcome = new AtomicReference<>();
    Thread starter = EngineProbe.thread("test-starter", () -> {
      try {
        app.start();
      } catch (Throwable t) {
        startOutcome.set(t);
      }
    });
    try {
      assertTrue(hangEntered.await(30, TimeUnit.SECONDS), "the hanging start hook never ran");
      await(Duration.ofSeconds(30), "top RUNNING",
          () -> status(app, "top").state() == ComponentState.RUNNING);
      long t0 = System.nanoTime();
      ShutdownReport report = app.stop();
      long tookMs = millisSince(t0);
      assertNotNull(report);
      assertTrue(tookMs < 4_000 + 3_000, "stop() took " + tookMs + " ms of a 4 s budget");
      // Every component that was RUNNING got its stop hook, in reverse dependency order.
      assertTrue(indexOf("stop top") < indexOf("stop mid"), script.journal::toString);
      assertTrue(indexOf("stop mid") < indexOf("stop base"), script.journal::toString);
      assertStoppedCleanly(app, "top", "mid", "base");
      // top and mid do not wait for the hanging start.
      long topAfterMs = TimeUnit.NANOSECONDS.toMillis(stopStarted.get("top") - t0);
      assertTrue(topAfterMs < 1_500, "top's stop began " + topAfterMs + " ms into the shutdown");
      starter.join(TimeUnit.SECONDS.toMillis(30));
      assertFalse(starter.isAlive(), "start() did not return");
      assertInstanceOf(StartupFailedException.class, startOutcome.get());
    } finally {
      never.countDown();
    }
  }

  @Test
  void drainTimeoutAsLongAsTheBudgetIsAConfigurationError() {
    // Defect 1: delay + drain leaving the stop phase nothing is rejected at build().
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> Ordo.builder()
        .controller(script.component("a").build())
        .shutdownTimeout(Duration.ofSeconds(3))
        .drainTimeout(Duration.ofSeconds(3))
        .build());
    String m = e.getMessage();
    assertTrue(m.contains("ordo.shutdown.delay"), m);
    assertTrue(m.contains("ordo.shutdown.drain-timeout"), m);
    assertTrue(m.contains("ordo.shutdown.timeout"), m);
    assertTrue(mentionsDuration(m, Duration.ofSeconds(3)), "the values are named: " + m);
  }

  @Test
  void delayAsLongAsTheBudgetIsAConfigurationError() {
    // Defect 1: a pre-stop delay that takes the whole budget is rejected at build().
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> Ordo.builder()
        .controller(script.component("a").build())
        .shutdownTimeout(Duration.ofSeconds(2))
        .shutdownDelay(Duration.ofSeconds(2))
        .build());
    String m = e.getMessage();
    assertTrue(m.contains("ordo.shutdown.delay"), m);
    assertTrue(m.contains("ordo.shutdown.drain-timeout"), m);
    assertTrue(m.contains("ordo.shutdown.timeout"), m);
    assertTrue(mentionsDuration(m, Duration.ofSeconds(2)), "the values are named: " + m);
  }

  @Test
  void drainThatNeverEndsStillLeavesTheStopPhaseItsShare() throws Exception {
    // Defect 1: explicit drain timeout 1 s of a 2 s budget, and a ticket held forever.
    Ordo app = Ordo.builder()
        .shutdownTimeout(Duration.ofSeconds(2))
        .drainTimeout(Duration.ofSeconds(1))
        .controller(script.component("a").build())
        .controller(script.component("b").dependsOn("a").build())
        .build();
    assertDrainNeverEndingStillStops(app);
  }

  @Test
  void defaultDrainTimeoutLeavesTheStopPhaseItsShare() throws Exception {
    // Defect 1: no drain timeout given: it defaults to min(10 s, budget / 2), not 10 s of a 2 s budget.
    Ordo app = Ordo.builder()
        .shutdownTimeout(Duration.ofSeconds(2))
        .controller(script.component("a").build())
        .controller(script.component("b").dependsOn("a").build())
        .build();
    assertDrainNeverEndingStillStops(app);
  }

  @Test
  void delayAndADrainThatNeverEndsStillLeaveTheStopPhaseItsShare() throws Exception {
    // Defect 1: delay 1 s of a 2 s budget; the default drain is then min(10 s, (2 s - 1 s) / 2).
    Ordo app = Ordo.builder()
        .shutdownTimeout(Duration.ofSeconds(2))
        .shutdownDelay(Duration.ofSeconds(1))
        .controller(script.component("a").build())
        .controller(script.component("b").dependsOn("a").build())
        .build();
    assertDrainNeverEndingStillStops(app);
  }

  private void assertDrainNeverEndingStillStops(Ordo app) throws Exception {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      app.start();
      RequestTracker.Ticket forever = app.requestTracker().enter();
      try {
        long t0 = System.nanoTime();
        ShutdownReport report = app.stop();
        long tookMs = millisSince(t0);
        assertTrue(tookMs < 4_000, "stop() took " + tookMs + " ms of a 2 s budget");
        assertTrue(indexOf("stop b") < indexOf("stop a"), script.journal::toString);
        assertStoppedCleanly(app, "a", "b");
        assertEquals(List.of(), report.abandoned(), report::toString);
        assertEquals(1, report.inFlightAtDrainEnd(), report::toString);
        assertEquals(ApplicationState.STOPPED, app.state());
      } finally {
        forever.close();
      }
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Defect 2: durations never overflow; past the nanosecond range a duration means "no limit".
  // ---------------------------------------------------------------------------------------------

  private void assertStartsAndStops(Ordo.Builder builder) {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      Ordo app = builder
          .controller(script.component("a").startupTimeout(null).shutdownTimeout(null).build())
          .controller(script.component("b").dependsOn("a").startupTimeout(null).shutdownTimeout(null).build())
          .build();
      app.start();
      assertEquals(ApplicationState.RUNNING, app.state());
      assertFalse(app.isDegraded(), app.components()::toString);
      assertTrue(script.journal.contains("start a") && script.journal.contains("start b"), script.journal::toString);
      ShutdownReport report = app.stop();
      assertNotNull(report);
      assertEquals(ApplicationState.STOPPED, app.state());
      assertTrue(report.clean(), report::toString);
      assertStoppedCleanly(app, "a", "b");
    });
  }

  @Test
  void hugeStartupTimeoutFromTheBuilderMeansNoLimit() {
    // Defect 2: startupTimeout(Duration.ofDays(200_000)) overflows nanoseconds.
    assertStartsAndStops(Ordo.builder().startupTimeout(Duration.ofDays(200_000)));
  }

  @Test
  void foreverShutdownTimeoutFromTheBuilderMeansNoLimit() {
    // Defect 2: shutdownTimeout(ChronoUnit.FOREVER.getDuration()); stop() threw ArithmeticException.
    assertStartsAndStops(Ordo.builder().shutdownTimeout(ChronoUnit.FOREVER.getDuration()));
  }

  @Test
  void hugeShutdownTimeoutFromASystemPropertyMeansNoLimit() {
    // Defect 2: -Dordo.shutdown.timeout=3000000h (read from the system properties at build()).
    String before = System.getProperty("ordo.shutdown.timeout");
    System.setProperty("ordo.shutdown.timeout", "3000000h");
    try {
      assertStartsAndStops(Ordo.builder());
    } finally {
      if (before == null) {
        System.clearProperty("ordo.shutdown.timeout");
      } else {
        System.setProperty("ordo.shutdown.timeout", before);
      }
    }
  }

  @Test
  void hugeStartupTimeoutOfAHookMeansNoLimit() {
    // Defect 2: @OnStartup(timeout = "3000000h"), as a descriptor carries it.
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      Ordo app = Ordo.builder()
          .controller(script.component("a").startupTimeout(Duration.ofHours(3_000_000)).build())
          .controller(script.component("b").dependsOn("a").startupTimeout(Duration.ofHours(3_000_000)).build())
          .build();
      app.start();
      assertEquals(ApplicationState.RUNNING, app.state());
      assertFalse(app.isDegraded(), app.components()::toString);
      assertEquals(ComponentState.RUNNING, status(app, "a").state());
      assertEquals(ComponentState.RUNNING, status(app, "b").state());
      ShutdownReport report = app.stop();
      assertNotNull(report);
      assertTrue(report.clean(), report::toString);
      assertEquals(ApplicationState.STOPPED, app.state());
    });
  }

  @Test
  void hugeShutdownTimeoutsOfHooksMeanNoLimit() {
    // Defect 2: @OnShutdown(timeout = "3000000h") and componentShutdownTimeout(FOREVER).
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      Ordo app = Ordo.builder()
          .componentShutdownTimeout(ChronoUnit.FOREVER.getDuration())
          .controller(script.component("a").shutdownTimeout(Duration.ofHours(3_000_000)).build())
          .controller(script.component("b").dependsOn("a").shutdownTimeout(null).build())
          .build();
      app.start();
      ShutdownReport report = app.stop();
      assertNotNull(report);
      assertTrue(report.clean(), report::toString);
      assertTrue(indexOf("stop b") < indexOf("stop a"), script.journal::toString);
      assertStoppedCleanly(app, "a", "b");
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Defect 4: parallelism follows the graph, not its widest level.
  // ---------------------------------------------------------------------------------------------

  @Test
  void aChainWithSlowLeavesStartsInAboutItsCriticalPath() {
    // Defect 4: c1 <- c2 <- ... <- c8 quick, and a 400 ms leaf li on each ci. The critical path
    // is ~0.4 s; a pool of the widest level's size (2) took 1.6 s.
    Ordo.Builder b = Ordo.builder();
    for (int i = 1; i <= 8; i++) {
      ScriptedController.Script.Spec chain = script.component("c" + i);
      if (i > 1) {
        chain.dependsOn("c" + (i - 1));
      }
      b.controller(chain.build());
      b.controller(script.component("l" + i).dependsOn("c" + i).onStart(c -> {
        Thread.sleep(400);
        return null;
      }).build());
    }
    Ordo app = b.build();
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      long t0 = System.nanoTime();
      app.start();
      long tookMs = millisSince(t0);
      assertEquals(ApplicationState.RUNNING, app.state());
      assertFalse(app.isDegraded());
      assertTrue(tookMs < 1_200, "start() took " + tookMs + " ms for a ~400 ms critical path");
      app.stop();
    });
  }

  @Test
  void aFlatGraphOfNoOpHooksUsesNoMoreThreadsThanCores() {
    // Defect 4: hooks that do not block need no more threads than cores.
    Set<Thread> hookThreads = ConcurrentHashMap.newKeySet();
    Ordo.Builder b = Ordo.builder();
    for (int i = 0; i < 200; i++) {
      b.controller(script.component("n" + i).onStart(c -> {
        hookThreads.add(Thread.currentThread());
        return null;
      }).build());
    }
    Ordo app = b.build();
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      app.start();
      assertEquals(ApplicationState.RUNNING, app.state());
      app.stop();
    });
    int cores = Runtime.getRuntime().availableProcessors();
    assertTrue(hookThreads.size() <= cores,
        hookThreads.size() + " threads ran 200 no-op start hooks on " + cores + " cores");
  }

  // ---------------------------------------------------------------------------------------------
  // Defect 5: RequestTracker.Ticket.close() is atomic.
  // ---------------------------------------------------------------------------------------------

  @Test
  void twoThreadsClosingOneTicketLeaveOnce() throws Exception {
    // Defect 5: 50,000 races of two threads closing one ticket. A witness ticket stays open
    // throughout: inFlight() never shows a negative count, so a double leave shows as 0, not 1.
    RequestTracker tracker = new RequestTracker();
    RequestTracker.Ticket witness = tracker.enter();
    int batches = 50;
    int perBatch = 1_000;
    RequestTracker.Ticket[] tickets = new RequestTracker.Ticket[perBatch];
    CyclicBarrier barrier = new CyclicBarrier(3);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable closer = () -> {
      try {
        for (int b = 0; b < batches; b++) {
          barrier.await(30, TimeUnit.SECONDS); // the batch is ready
          for (int i = 0; i < perBatch; i++) {
            tickets[i].close();
          }
          barrier.await(30, TimeUnit.SECONDS); // the batch is done
        }
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      }
    };
    Thread first = EngineProbe.thread("test-closer-1", closer);
    Thread second = EngineProbe.thread("test-closer-2", closer);
    for (int b = 0; b < batches; b++) {
      for (int i = 0; i < perBatch; i++) {
        tickets[i] = tracker.enter();
      }
      barrier.await(30, TimeUnit.SECONDS);
      barrier.await(30, TimeUnit.SECONDS);
    }
    first.join(30_000);
    second.join(30_000);
    assertNull(failure.get());
    assertEquals(1, tracker.inFlight(), "after 50,000 double closes, only the witness is in flight");
    witness.close();
    assertEquals(0, tracker.inFlight());
    RequestTracker.Ticket again = tracker.enter();
    assertEquals(1, tracker.inFlight(), "the count did not leak below zero");
    again.close();
  }

  // ---------------------------------------------------------------------------------------------
  // Defect 6: events are not reported delivered unless written.
  // ---------------------------------------------------------------------------------------------

  @Test
  void writesThatFailAreCountedAsFailed() throws Exception {
    // Defect 6: a JSON-lines file on /dev/full: every write fails, yet all were reported delivered.
    Path full = Path.of("/dev/full");
    assumeTrue(Files.exists(full) && Files.isWritable(full), "needs /dev/full");
    Ordo app = Ordo.builder()
        .events(EventOptions.defaults().sink(JsonLinesEventSink.toFile(full)))
        .controller(script.component("a").build())
        .controller(script.component("b").dependsOn("a").build())
        .build();
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      app.start();
      app.stop();
    });
    EventStats stats = app.events().stats();
    assertTrue(stats.published() > 0, stats::toString);
    EventStats.SinkStats sink = stats.sinks().stream()
        .filter(s -> s.name().startsWith("json-lines"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no json-lines sink in " + stats));
    assertTrue(sink.failed() > 0, "failed writes are counted: " + stats);
    assertFalse(stats.lossless(), "nothing reached /dev/full: " + stats);
  }

  @Test
  void aSlowSinkStillReceivesTheFinalEventsWhileBudgetRemains() {
    // Defect 6: a sink that takes 20 ms per event, with 30 s of budget, lost application.stopped.
    List<String> received = new CopyOnWriteArrayList<>();
    EventSink slow = new EventSink() {
      @Override
      public void deliver(Event event) throws Exception {
        Thread.sleep(20);
        received.add(event.type());
      }

      @Override
      public String name() {
        return "slow";
      }
    };
    Ordo.Builder b = Ordo.builder()
        .shutdownTimeout(Duration.ofSeconds(30))
        .events(EventOptions.defaults().sink(slow));
    for (int i = 0; i < 5; i++) {
      b.controller(script.component("s" + i).build());
    }
    Ordo app = b.build();
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      app.start();
      app.stop();
    });
    // No waiting: the shutdown itself delivers every accepted event before stop() returns.
    assertTrue(received.stream().anyMatch(t -> t.endsWith("application.stopped")),
        "application.stopped not delivered; received " + received);
    assertTrue(received.get(received.size() - 1).endsWith("application.stopped"), received::toString);
    EventStats stats = app.events().stats();
    assertTrue(stats.lossless(), stats::toString);
  }

  @Test
  void aSlowSinkBehindItsBufferStillReceivesTheFinalEvent() {
    // Defect 6 ("final ones included"): a slow sink that fell behind its buffer (queue-size 16)
    // may miss events while the application runs, but while budget remains the shutdown still
    // delivers the application's final event to it; a second, fast sink has its own buffer.
    List<String> received = new CopyOnWriteArrayList<>();
    EventSink slow = new EventSink() {
      @Override
      public void deliver(Event event) throws Exception {
        Thread.sleep(20);
        received.add(event.type());
      }

      @Override
      public String name() {
        return "slow";
      }
    };
    InMemoryEventSink fast = new InMemoryEventSink();
    Ordo.Builder b = Ordo.builder()
        .shutdownTimeout(Duration.ofSeconds(30))
        .events(EventOptions.defaults().queueSize(16).sink(slow).sink(fast));
    for (int i = 0; i < 5; i++) {
      b.controller(script.component("s" + i).build());
    }
    Ordo app = b.build();
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      app.start();
      app.stop();
    });
    assertTrue(!received.isEmpty() && received.get(received.size() - 1).endsWith("application.stopped"),
        "the slow sink's last event is application.stopped: " + received + "; " + app.events().stats());
    List<Event> all = fast.events();
    assertTrue(all.get(all.size() - 1).type().endsWith("application.stopped"), all::toString);
  }

  // ---------------------------------------------------------------------------------------------
  // Defect 7: stop() of another application from a hook waits for it.
  // ---------------------------------------------------------------------------------------------

  @Test
  void stopOfAnotherApplicationFromAHookWaitsForIt() {
    // Defect 7: "this thread runs a callback" was tracked per thread, not per application.
    ScriptedController.Script other = new ScriptedController.Script();
    Ordo b = Ordo.builder()
        .controller(other.component("b1").onStop(c -> {
          Thread.sleep(200);
          return null;
        }).build())
        .build();
    AtomicReference<ShutdownReport> reportSeen = new AtomicReference<>();
    AtomicReference<ApplicationState> stateSeen = new AtomicReference<>();
    AtomicBoolean called = new AtomicBoolean();
    Ordo a = Ordo.builder()
        .controller(script.component("a1").onStart(c -> {
          called.set(true);
          reportSeen.set(b.stop());
          stateSeen.set(b.state());
          return null;
        }).build())
        .build();
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      b.start();
      a.start();
      assertTrue(called.get());
      assertNotNull(reportSeen.get(), "stop() of another application returned null from a hook");
      assertEquals(ApplicationState.STOPPED, stateSeen.get());
      assertEquals(ShutdownReason.MANUAL, reportSeen.get().reason());
      assertTrue(other.journal.contains("stop b1"), other.journal::toString);
      assertEquals(ApplicationState.RUNNING, a.state());
      a.stop();
    });
  }

  @Test
  void stopOfTheOwnApplicationFromAHookOnlyRequestsIt() {
    // Defect 7 (the part that must keep working): waiting there would wait for itself.
    AtomicReference<Ordo> self = new AtomicReference<>();
    AtomicReference<Object> returned = new AtomicReference<>("not called");
    Ordo app = Ordo.builder()
        .controller(script.component("base").build())
        .controller(script.component("caller").dependsOn("base").onStart(c -> {
          returned.set(self.get().stop());
          return null;
        }).build())
        .build();
    self.set(app);
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      try {
        app.start();
      } catch (StartupFailedException expected) {
        // the shutdown requested while starting ends the start
      }
      ShutdownReport report = app.awaitShutdown();
      assertNotNull(report);
      assertNull(returned.get(), "stop() from the application's own hook only requests");
      assertTrue(app.state() == ApplicationState.STOPPED || app.state() == ApplicationState.FAILED,
          app.state()::toString);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Defect 8: interrupts and messages.
  // ---------------------------------------------------------------------------------------------

  @Test
  void anInterruptDuringStopDoesNotAbortTheShutdown() throws Exception {
    // Defect 8: the thread in stop() is interrupted while a 500 ms stop hook runs.
    CountDownLatch stopEntered = new CountDownLatch(1);
    Ordo app = Ordo.builder()
        .controller(script.component("a").build())
        .controller(script.component("b").dependsOn("a").onStop(c -> {
          stopEntered.countDown();
          sleepUninterruptibly(Duration.ofMillis(500));
          return null;
        }).build())
        .build();
    app.start();
    AtomicReference<Object> outcome = new AtomicReference<>();
    AtomicReference<ApplicationState> stateAtReturn = new AtomicReference<>();
    AtomicBoolean interruptedAfter = new AtomicBoolean();
    Thread stopper = EngineProbe.thread("test-stopper", () -> {
      try {
        outcome.set(app.stop());
      } catch (Throwable t) {
        outcome.set(t);
      }
      stateAtReturn.set(app.state());
      interruptedAfter.set(Thread.currentThread().isInterrupted());
    });
    assertTrue(stopEntered.await(30, TimeUnit.SECONDS));
    stopper.interrupt();
    stopper.join(30_000);
    assertFalse(stopper.isAlive(), "stop() did not return");
    assertInstanceOf(ShutdownReport.class, outcome.get(), "stop() returns the report");
    assertEquals(ApplicationState.STOPPED, stateAtReturn.get());
    assertStoppedCleanly(app, "a", "b");
    assertTrue(interruptedAfter.get(), "the interrupt status is restored");
  }

  @Test
  void anInterruptDuringAwaitShutdownDoesNotAbortTheShutdown() throws Exception {
    // Defect 8: a thread in awaitShutdown() is interrupted while the shutdown it waits for runs.
    CountDownLatch stopEntered = new CountDownLatch(1);
    Ordo app = Ordo.builder()
        .controller(script.component("a").build())
        .controller(script.component("b").dependsOn("a").onStop(c -> {
          stopEntered.countDown();
          sleepUninterruptibly(Duration.ofMillis(500));
          return null;
        }).build())
        .build();
    app.start();
    AtomicReference<Object> outcome = new AtomicReference<>();
    AtomicBoolean interruptedAfter = new AtomicBoolean();
    Thread waiter = EngineProbe.thread("test-waiter", () -> {
      try {
        outcome.set(app.awaitShutdown());
        interruptedAfter.set(Thread.currentThread().isInterrupted());
      } catch (InterruptedException e) {
        outcome.set(e);
        interruptedAfter.set(true);
      } catch (Throwable t) {
        outcome.set(t);
      }
    });
    var shutdown = app.stopAsync();
    assertTrue(stopEntered.await(30, TimeUnit.SECONDS));
    waiter.interrupt();
    waiter.join(30_000);
    assertFalse(waiter.isAlive());
    assertTrue(outcome.get() instanceof ShutdownReport || outcome.get() instanceof InterruptedException,
        "awaitShutdown() returns the report or reports the interrupt: " + outcome.get());
    assertTrue(interruptedAfter.get(), "the interrupt is not swallowed");
    ShutdownReport report = shutdown.get(30, TimeUnit.SECONDS);
    assertTrue(report.clean(), report::toString);
    assertEquals(ApplicationState.STOPPED, app.state());
    assertStoppedCleanly(app, "a", "b");
  }

  @Test
  void anInterruptedStartSaysSoAndNotThatNothingFailed() throws Exception {
    // Defect 8: the thread in start() is interrupted while a hook runs; the hook then finishes
    // normally. The message said "0 components failed".
    CountDownLatch entered = new CountDownLatch(1);
    Ordo app = Ordo.builder()
        .shutdownTimeout(Duration.ofSeconds(2))
        .controller(script.component("base").build())
        .controller(script.component("slow").dependsOn("base").onStart(c -> {
          entered.countDown();
          sleepUninterruptibly(Duration.ofMillis(800));
          return null;
        }).build())
        .build();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean returned = new AtomicBoolean();
    Thread starter = EngineProbe.thread("test-starter", () -> {
      try {
        app.start();
        returned.set(true);
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    assertTrue(entered.await(30, TimeUnit.SECONDS));
    starter.interrupt();
    starter.join(30_000);
    assertFalse(starter.isAlive(), "start() did not return");
    assertFalse(returned.get(), "an interrupted start does not report RUNNING");
    StartupFailedException e = assertInstanceOf(StartupFailedException.class, thrown.get());
    String m = e.getMessage();
    assertFalse(m.contains("0 components failed"), m);
    assertTrue(m.toLowerCase(java.util.Locale.ROOT).contains("interrupt"), "says the start was interrupted: " + m);
  }

  @Test
  void aRollbackThatAbandonedAStopDoesNotClaimEverythingStopped() {
    // Defect 8: a critical failure whose rollback had to abandon a hanging stop hook.
    CountDownLatch never = new CountDownLatch(1);
    Ordo app = Ordo.builder()
        .shutdownTimeout(Duration.ofSeconds(1))
        .controller(script.component("stuck").shutdownTimeout(Duration.ofSeconds(30)).onStop(c -> {
          never.await();
          return null;
        }).build())
        .controller(script.component("bad").critical().dependsOn("stuck")
            .onStart(c -> ScriptedController.fail("no connection")).build())
        .build();
    try {
      StartupFailedException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
          () -> assertThrows(StartupFailedException.class, app::start));
      String m = e.getMessage();
      assertFalse(m.contains("every started component was stopped"), m);
      assertTrue(m.contains("bad"), "names the failure: " + m);
    } finally {
      never.countDown();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Defect 9: engine hygiene.
  // ---------------------------------------------------------------------------------------------

  @Test
  void noOrdoThreadIsLeftAliveAfterStop() throws Exception {
    // Defect 9: after stop() returns (and a short grace), the application's threads are gone:
    // workers, deadlines, event delivery, listener queues, the shutdown itself.
    Set<Thread> before = EngineProbe.liveThreads();
    Ordo.Builder b = Ordo.builder()
        .events(EventOptions.defaults().sink(new InMemoryEventSink()))
        .listener(new LifecycleListener() {});
    for (int i = 0; i < 6; i++) {
      b.controller(script.component("w" + i).onStart(c -> {
        Thread.sleep(50); // blocking hooks: the pool grows past one thread
        return null;
      }).build());
    }
    Ordo app = b.build();
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      app.start();
      app.stop();
    });
    List<String> left = EngineProbe.newThreadsStillAlive(
        before, n -> EngineProbe.ORDO_THREAD.matcher(n).matches(), Duration.ofSeconds(2));
    assertEquals(List.of(), left, "threads of the stopped application still alive");
  }

  @Test
  void noDeadlineThreadIsLeftAliveAfterStop() throws Exception {
    // Defect 9: the deadline thread ends with the application (and sleeps while idle: not tested).
    Set<Thread> before = EngineProbe.liveThreads();
    Ordo app = Ordo.builder()
        .controller(script.component("a").startupTimeout(Duration.ofSeconds(5))
            .shutdownTimeout(Duration.ofSeconds(5)).build())
        .build();
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      app.start();
      app.stop();
    });
    List<String> left = EngineProbe.newThreadsStillAlive(
        before, n -> n.toLowerCase(java.util.Locale.ROOT).contains("deadline"), Duration.ofSeconds(2));
    assertEquals(List.of(), left, "deadline threads still alive after stop()");
  }

  @Test
  void aStopEndingRightAtItsDeadlineIsReportedConsistently() {
    // Defect 9: a hook's outcome is decided by one compare-and-set. Stop hooks end right at their
    // deadline (their own timeout in even rounds, the budget's cut in odd ones); whichever side
    // wins, the report agrees with itself: abandoned once or stopped cleanly, never both, and
    // "over budget" only with something abandoned.
    assertTimeoutPreemptively(Duration.ofSeconds(110), () -> {
      for (int round = 0; round < 200; round++) {
        boolean byBudget = round % 2 == 1;
        ScriptedController.Script s = new ScriptedController.Script();
        ScriptedController.Hook untilDeadline = c -> {
          Duration left = Duration.between(Instant.now(), c.deadline());
          if (!left.isNegative()) {
            sleepUninterruptibly(left.compareTo(Duration.ofSeconds(1)) < 0 ? left : Duration.ofSeconds(1));
          }
          return null;
        };
        Map<String, Integer> stopEnds = new ConcurrentHashMap<>();
        CountDownLatch ended = new CountDownLatch(1);
        Ordo.Builder b = Ordo.builder()
            .listener(new LifecycleListener() {
              @Override
              public void componentStateChanged(ComponentTransition t) {
                if (t.from() == ComponentState.STOPPING) {
                  stopEnds.merge(t.name(), 1, Integer::sum);
                }
              }

              @Override
              public void applicationStateChanged(ApplicationState from, ApplicationState to) {
                if (to == ApplicationState.STOPPED) {
                  ended.countDown();
                }
              }
            });
        if (byBudget) {
          b.shutdownTimeout(Duration.ofMillis(120)).componentShutdownTimeout(Duration.ofSeconds(30));
        }
        List<String> names = List.of("e1", "e2", "e3");
        for (String name : names) {
          ScriptedController.Script.Spec spec = s.component(name).onStop(untilDeadline);
          spec.shutdownTimeout(byBudget ? null : Duration.ofMillis(30));
          b.controller(spec.build());
        }
        Ordo app = b.build();
        app.start();
        ShutdownReport report = app.stop();
        assertTrue(ended.await(10, TimeUnit.SECONDS), "round " + round + ": no final transition");
        String where = "round " + round + (byBudget ? " (budget)" : " (own timeout)") + ": " + report
            + " " + app.components();
        assertEquals(Set.copyOf(report.abandoned()).size(), report.abandoned().size(), where);
        assertEquals(List.of(), report.failed(), where);
        for (String name : names) {
          ComponentStatus st = status(app, name);
          boolean abandoned = report.abandoned().contains(name);
          if (abandoned) {
            assertNull(st.shutdownDuration(), "abandoned yet with a clean stop duration; " + where);
            assertNotNull(st.shutdownFailure(), where);
          } else {
            assertEquals(ComponentState.STOPPED, st.state(), where);
            assertNull(st.shutdownFailure(), "not abandoned yet with a stop failure; " + where);
            assertNotNull(st.shutdownDuration(), where);
          }
          // Whichever way the stop ended, it ended once, and the component did not stay STOPPING.
          assertTrue(st.state() != ComponentState.STOPPING, "left STOPPING; " + where);
          assertEquals(1, stopEnds.getOrDefault(name, 0), "the end of the stop reported once; " + where);
        }
        if (!byBudget) {
          assertFalse(report.budgetExceeded(), "own timeouts only, not the budget; " + where);
        }
        if (report.abandoned().isEmpty()) {
          assertFalse(report.budgetExceeded(), "over budget with nothing abandoned; " + where);
          assertEquals(ShutdownReport.EXIT_OK, report.exitCode(), where);
        }
        assertEquals(report.abandoned().isEmpty(), report.clean(), where);
      }
    });
  }
}
