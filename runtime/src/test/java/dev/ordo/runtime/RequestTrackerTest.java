package dev.ordo.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
