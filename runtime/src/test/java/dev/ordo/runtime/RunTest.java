package dev.ordo.runtime;

import static dev.ordo.runtime.EngineProbe.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Ordo#run()}, the convenience for {@code main}, in process: what it returns and when.
 * Real signals are sent to a real process by {@code ModulePathIT} in integration-tests.
 */
@Timeout(60)
class RunTest {
  private final ScriptedController.Script script = new ScriptedController.Script();

  /** {@code app.run()} on a thread of its own; the future completes with what it returned. */
  private static CompletableFuture<Integer> runOnAThread(Ordo app, AtomicBoolean interruptedAfter) {
    CompletableFuture<Integer> result = new CompletableFuture<>();
    EngineProbe.thread("test-run", () -> {
      try {
        result.complete(app.run());
        interruptedAfter.set(Thread.currentThread().isInterrupted());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    });
    return result;
  }

  private static void awaitRunning(Ordo app) throws InterruptedException {
    await(Duration.ofSeconds(30), "RUNNING", () -> app.state() == ApplicationState.RUNNING);
  }

  @Test
  void runReturnsZeroAfterAStopFromAnotherThread() throws Exception {
    Ordo app = Ordo.builder().controller(script.component("a").build())
        .controller(script.component("b").dependsOn("a").build()).build();
    AtomicBoolean interrupted = new AtomicBoolean();
    CompletableFuture<Integer> run = runOnAThread(app, interrupted);
    awaitRunning(app);
    assertFalse(run.isDone());
    ShutdownReport report = app.stop();
    assertEquals(ShutdownReport.EXIT_OK, run.get(30, TimeUnit.SECONDS));
    assertEquals(report.exitCode(), run.get());
    assertFalse(interrupted.get());
    assertEquals(ApplicationState.STOPPED, app.state());
    assertEquals(java.util.List.of("start a", "start b", "stop b", "stop a"), script.journal);
  }

  @Test
  void runReturnsTheStartupFailureStatusInsteadOfThrowing() {
    Ordo app = Ordo.builder().controller(script.component("base").build())
        .controller(script.component("bad").critical().dependsOn("base")
            .onStart(c -> ScriptedController.fail("no connection")).build())
        .build();
    assertEquals(ShutdownReport.EXIT_STARTUP_FAILED, app.run());
    assertEquals(ApplicationState.FAILED, app.state());
    assertTrue(script.journal.contains("stop base"), script.journal::toString);
  }

  @Test
  void runReturnsTheReportsStatusWhenAStopIsAbandoned() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    Ordo app = Ordo.builder().shutdownTimeout(Duration.ofSeconds(1))
        .controller(script.component("stuck").onStop(c -> {
          never.await();
          return null;
        }).build())
        .build();
    try {
      CompletableFuture<Integer> run = runOnAThread(app, new AtomicBoolean());
      awaitRunning(app);
      app.stopAsync();
      assertEquals(ShutdownReport.EXIT_BUDGET_EXCEEDED, run.get(30, TimeUnit.SECONDS));
    } finally {
      never.countDown();
    }
  }

  @Test
  void anInterruptStopsGracefullyAndRunReturnsWithTheInterruptStatusSet() throws Exception {
    Ordo app = Ordo.builder().controller(script.component("a").build()).build();
    AtomicBoolean interrupted = new AtomicBoolean();
    CompletableFuture<Integer> result = new CompletableFuture<>();
    Thread runner = EngineProbe.thread("test-run", () -> {
      result.complete(app.run());
      interrupted.set(Thread.currentThread().isInterrupted());
    });
    awaitRunning(app);
    runner.interrupt();
    assertEquals(ShutdownReport.EXIT_OK, result.get(30, TimeUnit.SECONDS));
    runner.join(30_000);
    assertTrue(interrupted.get(), "the interrupt status was not set again");
    assertEquals(ApplicationState.STOPPED, app.state());
    assertTrue(script.journal.contains("stop a"), script.journal::toString);
  }

  @Test
  void aStopDuringTheStartEndsRunWithThatShutdownsStatus() throws Exception {
    CompletableFuture<Void> open = new CompletableFuture<>();
    CountDownLatch starting = new CountDownLatch(1);
    Ordo app = Ordo.builder().controller(script.component("slow").onStart(c -> {
      starting.countDown();
      return open;
    }).build()).build();
    CompletableFuture<Integer> run = runOnAThread(app, new AtomicBoolean());
    assertTrue(starting.await(30, TimeUnit.SECONDS));
    CompletableFuture<ShutdownReport> stopping = app.stopAsync();
    open.complete(null);
    assertEquals(stopping.get(30, TimeUnit.SECONDS).exitCode(), run.get(30, TimeUnit.SECONDS));
    assertEquals(ShutdownReason.MANUAL, stopping.get().reason());
  }

  @Test
  void runIsRefusedOnceTheApplicationWasStarted() {
    Ordo app = Ordo.builder().controller(script.component("a").build()).build();
    app.start();
    try {
      assertThrows(IllegalStateException.class, app::run);
    } finally {
      app.stop();
    }
    assertThrows(IllegalStateException.class, app::run);
  }
}
