package dev.ordo.runtime;

import static dev.ordo.runtime.OrdoStartupTest.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class OrdoShutdownTest {
  private final ScriptedController.Script script = new ScriptedController.Script();

  @Test
  void stopIsIdempotentAndSafeFromManyThreads() throws Exception {
    Ordo app = Ordo.builder()
        .controller(script.component("a").build())
        .controller(script.component("b").dependsOn("a").build())
        .build();
    app.start();
    ExecutorService callers = Executors.newFixedThreadPool(8);
    List<Future<ShutdownReport>> reports = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    for (int i = 0; i < 8; i++) {
      reports.add(callers.submit(() -> {
        go.await();
        return app.stop();
      }));
    }
    go.countDown();
    ShutdownReport first = reports.get(0).get(30, TimeUnit.SECONDS);
    for (Future<ShutdownReport> f : reports) {
      assertSame(first, f.get(30, TimeUnit.SECONDS));
    }
    callers.shutdown();
    assertEquals(1, script.journal.stream().filter("stop a"::equals).count());
    assertSame(first, app.stop());
    assertEquals(ShutdownReason.MANUAL, first.reason());
  }

  @Test
  void hangingStopIsAbandonedAtItsTimeoutAndOthersGoOn() {
    CountDownLatch never = new CountDownLatch(1);
    Ordo app = Ordo.builder()
        .controller(script.component("base").build())
        .controller(script.component("stuck").dependsOn("base").shutdownTimeout(Duration.ofMillis(200))
            .onStop(c -> { never.await(); return null; }).build())
        .controller(script.component("failing").dependsOn("base")
            .onStop(c -> { throw new IllegalStateException("flush failed"); }).build())
        .build();
    app.start();
    ShutdownReport report = app.stop();
    assertEquals(List.of("stuck"), report.abandoned());
    assertEquals(List.of("failing"), report.failed());
    assertFalse(report.clean());
    assertFalse(report.budgetExceeded(), "own timeout, not the budget");
    assertTrue(script.journal.contains("stop base"), "base still stops after its dependents ended");
    assertEquals("flush failed", status(app, "failing").shutdownFailure().getMessage());
    never.countDown();
  }

  @Test
  void shutdownReturnsWithinTheBudgetWhateverHooksDo() {
    CountDownLatch never = new CountDownLatch(1);
    Ordo app = Ordo.builder()
        .shutdownTimeout(Duration.ofMillis(300))
        .componentShutdownTimeout(Duration.ofSeconds(30))
        .controller(script.component("db").build())
        .controller(script.component("api").dependsOn("db").onStop(c -> { never.await(); return null; }).build())
        .controller(script.component("async").onStop(c -> new CompletableFuture<>()).build())
        .build();
    app.start();
    long t0 = System.nanoTime();
    ShutdownReport report = app.stop();
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    // Upper bound only, with a generous margin for a loaded machine.
    assertTrue(tookMs < 300 + 5_000, "took " + tookMs + " ms");
    assertTrue(report.budgetExceeded());
    assertTrue(report.abandoned().containsAll(List.of("api", "async")), report.toString());
    // db waits for api; it is either abandoned too, or stopped in the sliver of budget left
    // when api was abandoned at the budget's end.
    assertTrue(report.abandoned().contains("db") || status(app, "db").state() == ComponentState.STOPPED,
        report.toString());
    assertEquals(ApplicationState.STOPPED, app.state());
    never.countDown();
  }

  @Test
  void stopDuringStartCancelsPendingStopsStartedAndFailsStart() throws Exception {
    CountDownLatch slowEntered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Ordo app = Ordo.builder()
        .controller(script.component("fast").build())
        .controller(script.component("slow").dependsOn("fast").onStart(c -> {
          slowEntered.countDown();
          release.await(30, TimeUnit.SECONDS);
          return null;
        }).build())
        .controller(script.component("after").dependsOn("slow").build())
        .build();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread starter = new Thread(() -> {
      try {
        app.start();
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    starter.start();
    assertTrue(slowEntered.await(30, TimeUnit.SECONDS));
    // Requests the shutdown (what stop() does first) without waiting, then lets "slow" finish.
    CompletableFuture<ShutdownReport> stopping = app.stopAsync();
    release.countDown();
    ShutdownReport report = stopping.get(30, TimeUnit.SECONDS);
    starter.join(30_000);
    assertTrue(thrown.get() instanceof StartupFailedException, String.valueOf(thrown.get()));
    assertTrue(((StartupFailedException) thrown.get()).interruptedByShutdown());
    assertEquals(ShutdownReason.MANUAL, report.reason());
    assertFalse(script.journal.contains("start after"), script.journal.toString());
    assertEquals(ComponentState.SKIPPED, status(app, "after").state());
    assertEquals(ComponentState.STOPPED, status(app, "slow").state());
    assertEquals(ComponentState.STOPPED, status(app, "fast").state());
    assertTrue(script.journal.indexOf("stop slow") < script.journal.indexOf("stop fast"));
    assertEquals(ApplicationState.STOPPED, app.state());
  }

  @Test
  void stopBeforeStartStopsNothing() {
    Ordo app = Ordo.builder().controller(script.component("a").build()).build();
    ShutdownReport report = app.stop();
    assertEquals(ApplicationState.STOPPED, app.state());
    assertTrue(report.clean());
    assertThrows(IllegalStateException.class, app::start);
    assertTrue(script.journal.isEmpty());
  }

  @Test
  void stopFromInsideAHookDoesNotDeadlock() throws Exception {
    AtomicReference<Ordo> self = new AtomicReference<>();
    Ordo app = Ordo.builder()
        .controller(script.component("quitter").onStart(c -> {
          self.get().stop();
          return null;
        }).build())
        .build();
    self.set(app);
    StartupFailedException e = assertThrows(StartupFailedException.class, app::start);
    assertTrue(e.interruptedByShutdown());
    assertEquals(ShutdownReason.MANUAL, app.awaitShutdown().reason());
    assertEquals(ApplicationState.STOPPED, app.state());
  }

  @Test
  void awaitShutdownReturnsTheReport() throws Exception {
    Ordo app = Ordo.builder().controller(script.component("a").build()).build();
    app.start();
    CompletableFuture<ShutdownReport> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return app.awaitShutdown();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    ShutdownReport report = app.stop();
    assertSame(report, waiting.get(30, TimeUnit.SECONDS));
  }

  @Test
  void listenerSeesTheReport() {
    AtomicReference<ShutdownReport> seen = new AtomicReference<>();
    Ordo app = Ordo.builder()
        .controller(script.component("a").build())
        .listener(new LifecycleListener() {
          @Override
          public void shutdownCompleted(ShutdownReport report) {
            seen.set(report);
          }
        })
        .build();
    app.start();
    assertSame(app.stop(), seen.get());
  }

  @Test
  void lateStartAfterTimeoutIsStillStoppedAtShutdown() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> late = new CompletableFuture<>();
    Ordo app = Ordo.builder()
        .controller(script.component("late").startupTimeout(Duration.ofMillis(100)).onStart(c -> late).build())
        .build();
    app.start();
    assertEquals(ComponentState.FAILED, status(app, "late").state());
    late.complete(null);
    release.countDown();
    app.stop();
    assertTrue(script.journal.contains("stop late"), "what started late is not left running");
  }
}
