package dev.ordo.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RequestTrackerTest {
  @Test
  void countsTicketsAndClosingTwiceLeavesOnce() {
    RequestTracker tracker = new RequestTracker();
    RequestTracker.Ticket a = tracker.enter();
    RequestTracker.Ticket b = tracker.enter();
    assertEquals(2, tracker.inFlight());
    a.close();
    a.close();
    assertEquals(1, tracker.inFlight());
    b.close();
    assertEquals(0, tracker.inFlight());
  }

  @Test
  void runAndCallWrapOneUnitOfWorkEvenWhenItThrows() throws Exception {
    RequestTracker tracker = new RequestTracker();
    tracker.run(() -> assertEquals(1, tracker.inFlight()));
    assertEquals(42, tracker.call(() -> 42));
    assertThrows(IllegalStateException.class, () -> tracker.run(() -> {
      throw new IllegalStateException("boom");
    }));
    assertEquals(0, tracker.inFlight());
    tracker.startDraining();
    assertThrows(RequestRejectedException.class, () -> tracker.run(() -> {}));
  }

  @Test
  void drainingRefusesNewWorkWithATypedRejection() {
    RequestTracker tracker = new RequestTracker();
    tracker.startDraining();
    assertThrows(RequestRejectedException.class, tracker::enter);
    assertNull(tracker.tryEnter());
    assertEquals(0, tracker.inFlight());
  }

  @Test
  void drainEndsWhenTheLastTicketClosesNotAtTheEndOfItsBudget() throws Exception {
    RequestTracker tracker = new RequestTracker();
    RequestTracker.Ticket ticket = tracker.enter();
    tracker.startDraining();
    CompletableFuture<Long> drained = CompletableFuture.supplyAsync(() -> tracker.awaitDrained(System.nanoTime() + Duration.ofMinutes(10).toNanos()));
    ticket.close();
    assertEquals(0L, drained.get(30, TimeUnit.SECONDS), "returned long before the 10 minute budget");
  }

  @Test
  void drainGivesUpAtItsBudgetAndSaysWhatIsLeft() {
    RequestTracker tracker = new RequestTracker();
    tracker.enter();
    tracker.startDraining();
    assertEquals(1, tracker.awaitDrained(System.nanoTime() + Duration.ofMillis(50).toNanos()));
  }

  @Test
  void concurrentWorkIsNeverLostAcrossTheDrain() throws Exception {
    RequestTracker tracker = new RequestTracker();
    AtomicLong completed = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong attempted = new AtomicLong();
    AtomicLong admittedAfterDrain = new AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean drained = new java.util.concurrent.atomic.AtomicBoolean();
    CountDownLatch running = new CountDownLatch(4);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread th = new Thread(() -> {
        running.countDown();
        for (int i = 0; i < 200_000; i++) {
          attempted.incrementAndGet();
          RequestTracker.Ticket ticket = tracker.tryEnter();
          if (ticket == null) {
            refused.incrementAndGet();
            continue;
          }
          try (ticket) {
            // Work holding a ticket while the drain says "nothing in flight" would be lost work.
            if (drained.get()) {
              admittedAfterDrain.incrementAndGet();
            }
            completed.incrementAndGet();
          }
        }
      });
      threads.add(th);
      th.start();
    }
    running.await();
    tracker.startDraining();
    assertEquals(0, tracker.awaitDrained(System.nanoTime() + Duration.ofSeconds(30).toNanos()));
    drained.set(true);
    for (Thread th : threads) {
      th.join();
    }
    assertEquals(0, admittedAfterDrain.get(), "no work runs after the drain completed");
    assertEquals(attempted.get(), completed.get() + refused.get());
    assertEquals(0, tracker.inFlight());
    assertTrue(refused.get() > 0 || completed.get() == 800_000);
  }

  // --- tracker.executor(delegate): counted from execute(), not from the moment a thread runs it ---

  @Test
  void executorCountsATaskFromExecuteUntilItEnds() {
    RequestTracker tracker = new RequestTracker();
    List<Runnable> queue = new ArrayList<>();
    Executor accepted = tracker.executor(queue::add);
    List<Long> seenWhileRunning = new ArrayList<>();
    accepted.execute(() -> seenWhileRunning.add(tracker.inFlight()));
    accepted.execute(() -> seenWhileRunning.add(tracker.inFlight()));
    assertEquals(2, tracker.inFlight(), "queued, not yet running: already in flight");
    queue.get(0).run();
    assertEquals(1, tracker.inFlight());
    queue.get(1).run();
    assertEquals(0, tracker.inFlight());
    assertEquals(List.of(2L, 1L), seenWhileRunning);
  }

  @Test
  void executorRefusesWithTheTypedRejectionOnlyWhatArrivesAfterDrainingBegan() throws Exception {
    RequestTracker tracker = new RequestTracker();
    List<Runnable> queue = new ArrayList<>();
    Executor accepted = tracker.executor(queue::add);
    AtomicBoolean queuedRan = new AtomicBoolean();
    accepted.execute(() -> queuedRan.set(true));
    tracker.startDraining();

    RejectedExecutionException refused =
        assertThrows(RejectedExecutionException.class, () -> accepted.execute(() -> {}));
    assertInstanceOf(RequestRejectedException.class, refused, "the documented rejection, as the Executor contract asks");
    assertEquals(1, queue.size(), "a refused task never reaches the delegate");
    assertEquals(1, tracker.inFlight(), "the task queued before the drain is still in flight");

    CompletableFuture<Long> drained =
        CompletableFuture.supplyAsync(() -> tracker.awaitDrained(System.nanoTime() + Duration.ofMinutes(10).toNanos()));
    queue.get(0).run();
    assertEquals(0L, drained.get(30, TimeUnit.SECONDS), "the drain waited for the queued task, then ended");
    assertTrue(queuedRan.get());
  }

  @Test
  void executorLeavesWhenTheDelegateRefusesOrTheTaskThrows() throws Exception {
    RequestTracker tracker = new RequestTracker();
    Executor full = task -> {
      throw new RejectedExecutionException("queue full");
    };
    RejectedExecutionException e =
        assertThrows(RejectedExecutionException.class, () -> tracker.executor(full).execute(() -> {}));
    assertEquals("queue full", e.getMessage(), "the delegate's own refusal reaches the caller");
    assertEquals(0, tracker.inFlight(), "a task the delegate refused is not in flight");

    // A delegate that runs tasks on the caller's thread: the task's exception passes through
    // execute(), and the task leaves once (the ticket is closed twice).
    assertThrows(IllegalStateException.class, () -> tracker.executor(Runnable::run).execute(() -> {
      throw new IllegalStateException("boom");
    }));
    assertEquals(0, tracker.inFlight());

    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "tracked-task");
      t.setUncaughtExceptionHandler((thread, failure) -> uncaught.add(failure));
      return t;
    });
    try {
      Executor accepted = tracker.executor(pool);
      for (int i = 0; i < 3; i++) {
        accepted.execute(() -> {
          throw new IllegalStateException("boom");
        });
      }
    } finally {
      pool.shutdown();
      assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    }
    assertEquals(0, tracker.inFlight(), "a task that throws leaves (before the pool sees it fail)");
    // A worker thread's uncaught-exception handler runs as the thread ends, after the pool may
    // already count as terminated.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (uncaught.size() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertEquals(3, uncaught.size(), "the task's failure still reaches the pool's thread");
    try (RequestTracker.Ticket t = tracker.enter()) {
      assertEquals(1, tracker.inFlight(), "the count did not go below zero");
    }
  }

  @Test
  void executorRacingTheDrainEitherCountsAndRunsATaskOrRefusesIt() throws Exception {
    RequestTracker tracker = new RequestTracker();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    Executor accepted = tracker.executor(pool);
    AtomicLong handedOver = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong ran = new AtomicLong();
    AtomicLong ranAfterDrain = new AtomicLong();
    AtomicBoolean drained = new AtomicBoolean();
    List<Thread> submitters = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread th = new Thread(() -> {
        for (int i = 0; i < 50_000; i++) {
          try {
            accepted.execute(() -> {
              // A task that runs while the drain says "nothing in flight" would be lost work.
              if (drained.get()) {
                ranAfterDrain.incrementAndGet();
              }
              ran.incrementAndGet();
            });
            handedOver.incrementAndGet();
          } catch (RequestRejectedException e) {
            refused.incrementAndGet();
          }
        }
      });
      submitters.add(th);
      th.start();
    }
    while (handedOver.get() < 1_000 && submitters.stream().anyMatch(Thread::isAlive)) {
      Thread.onSpinWait();
    }
    tracker.startDraining();
    assertEquals(0, tracker.awaitDrained(System.nanoTime() + Duration.ofSeconds(30).toNanos()));
    drained.set(true);
    for (Thread th : submitters) {
      th.join();
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    assertEquals(0, ranAfterDrain.get(), "nothing counted ran after the drain completed");
    assertEquals(200_000, handedOver.get() + refused.get());
    assertEquals(handedOver.get(), ran.get(), "every task counted also ran: none was counted and dropped");
    assertEquals(0, tracker.inFlight());
  }

  @Test
  void duringThePreStopDelayWorkIsAcceptedAndReadinessIsDown() throws Exception {
    RequestTracker tracker = new RequestTracker();
    List<Long> drainStarts = new CopyOnWriteArrayList<>();
    ScriptedController.Script script = new ScriptedController.Script();
    Ordo app = Ordo.builder()
        .controller(script.component("api").build())
        .requestTracker(tracker)
        // Long enough for the checks below on any machine; they take milliseconds.
        .shutdownDelay(Duration.ofSeconds(3))
        .listener(new LifecycleListener() {
          @Override
          public void drainStarted(long inFlight) {
            drainStarts.add(inFlight);
          }
        })
        .build();
    app.start();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Executor accepted = tracker.executor(pool);
      CompletableFuture<ShutdownReport> stopping = app.stopAsync();
      while (app.state() != ApplicationState.DRAINING) {
        Thread.sleep(1);
      }
      assertFalse(app.health().report().ready(), "readiness answers DOWN from the start of the delay");
      assertFalse(tracker.isDraining(), "the tracker still accepts work during the delay");
      CompletableFuture<String> served = new CompletableFuture<>();
      accepted.execute(() -> served.complete("served"));
      assertEquals("served", served.get(10, TimeUnit.SECONDS));
      RequestTracker.Ticket ticket = tracker.tryEnter();
      assertNotNull(ticket, "tryEnter() too");
      ticket.close();
      assertEquals(List.of(), drainStarts, "the drain has not begun");

      while (!tracker.isDraining()) {
        Thread.sleep(1);
      }
      assertThrows(RequestRejectedException.class, () -> accepted.execute(() -> {}), "after the delay: refused");
      ShutdownReport report = stopping.get(30, TimeUnit.SECONDS);
      assertEquals(ShutdownReport.EXIT_OK, report.exitCode());
      assertEquals(List.of(0L), drainStarts);
      assertTrue(report.duration().compareTo(Duration.ofSeconds(3)) >= 0, "the drain began after the delay: " + report);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void applicationDrainsBeforeStoppingAndReportsInFlight() throws Exception {
    ScriptedController.Script script = new ScriptedController.Script();
    List<Long> drainStarts = new ArrayList<>();
    Ordo app = Ordo.builder()
        .controller(script.component("api").build())
        .listener(new LifecycleListener() {
          @Override
          public void drainStarted(long inFlight) {
            drainStarts.add(inFlight);
          }
        })
        .build();
    app.start();
    RequestTracker.Ticket inFlight = app.requestTracker().enter();
    CompletableFuture<ShutdownReport> stopping = CompletableFuture.supplyAsync(app::stop);
    while (!app.requestTracker().isDraining()) {
      Thread.onSpinWait();
    }
    assertThrows(RequestRejectedException.class, () -> app.requestTracker().enter());
    assertTrue(!script.journal.contains("stop api"), "components stop only after the drain");
    inFlight.close();
    ShutdownReport report = stopping.get(30, TimeUnit.SECONDS);
    assertEquals(1, report.inFlightAtDrainStart());
    assertEquals(0, report.inFlightAtDrainEnd());
    assertEquals(List.of(1L), drainStarts);
    assertEquals(ShutdownReport.EXIT_OK, report.exitCode());
  }

  @Test
  void exitCodesFollowTheReport() {
    ScriptedController.Script script = new ScriptedController.Script();
    Ordo app = Ordo.builder()
        .controller(script.component("db").critical().onStop(c -> { throw new IllegalStateException("x"); }).build())
        .build();
    app.start();
    assertEquals(ShutdownReport.EXIT_CRITICAL_STOP_FAILED, app.stop().exitCode());

    Ordo slowDrain = Ordo.builder().drainTimeout(Duration.ofMillis(50)).controller(script.component("x").build()).build();
    slowDrain.start();
    slowDrain.requestTracker().enter();
    ShutdownReport report = slowDrain.stop();
    assertEquals(1, report.inFlightAtDrainEnd());
    assertEquals(ShutdownReport.EXIT_BUDGET_EXCEEDED, report.exitCode());
  }
}
