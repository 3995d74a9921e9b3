package dev.ordo.runtime.events;

import static dev.ordo.runtime.events.Parts.part;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.LifecycleListener;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.ShutdownReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Delivery: failing, blocking and slow sinks are isolated; overflow is counted; shutdown loses nothing. */
@Timeout(60)
class EventDeliveryTest {
  private static EventPublisher publisher(int queueSize, EventSink... sinks) {
    EventOptions options = EventOptions.defaults().queueSize(queueSize).source("/test");
    for (EventSink sink : sinks) {
      options = options.sink(sink);
    }
    return new EventPublisher("test", options.resolve(new Properties(), Map.of()));
  }

  private static long deadlineIn(Duration d) {
    return System.nanoTime() + d.toNanos();
  }

  private static void publish(EventPublisher p, int n) {
    for (int i = 0; i < n; i++) {
      p.publish("c", "tick", null, Map.of("i", i));
    }
  }

  /** Throws on every second event. */
  private static final class FailingSink implements EventSink {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public void deliver(Event event) {
      if (calls.incrementAndGet() % 2 == 0) {
        throw new IllegalStateException("broker unavailable");
      }
    }
  }

  /** Blocks every delivery until released. */
  private static final class BlockingSink implements EventSink {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger delivered = new AtomicInteger();

    @Override
    public void deliver(Event event) throws InterruptedException {
      release.await();
      delivered.incrementAndGet();
    }
  }

  @Test
  void aFailingSinkIsCountedAndTheOthersReceiveEverything() {
    FailingSink failing = new FailingSink();
    InMemoryEventSink memory = new InMemoryEventSink();
    EventPublisher p = publisher(1024, failing, memory);
    publish(p, 100);
    EventStats stats = p.finish(ApplicationState.STOPPING, ApplicationState.STOPPED, ShutdownReason.MANUAL,
        Duration.ZERO, deadlineIn(Duration.ofSeconds(10)));
    assertEquals(101, memory.size(), "100 events and application.stopped");
    assertEquals(101, stats.published());
    EventStats.SinkStats f = stats.sinks().get(0);
    assertEquals(50, f.failed());
    assertEquals(51, f.delivered());
    assertEquals(101, stats.sinks().get(1).delivered());
    assertFalse(stats.lossless());
  }

  @Test
  void aBlockingSinkDelaysOnlyItselfAndLosesOnlyWhatOverflowsItsOwnBuffer() throws Exception {
    BlockingSink blocking = new BlockingSink();
    InMemoryEventSink memory = new InMemoryEventSink();
    EventPublisher p = publisher(64, blocking, memory);
    for (int round = 1; round <= 10; round++) {
      publish(p, 50); // fewer than the queue holds: the dispatcher keeps up
      long deadline = deadlineIn(Duration.ofSeconds(5));
      while (memory.size() < round * 50 && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
    }
    assertEquals(500, memory.size(), "the other sink got every event while this one was blocked");
    EventStats stats = p.stats();
    EventStats.SinkStats slow = stats.sinks().get(0);
    assertEquals(0, stats.dropped(), "nothing was refused at the hand-off");
    assertEquals(0, slow.delivered());
    assertEquals(500, slow.dropped() + slow.pending(), "each missed, or pending (one in the blocked sink's hand): " + slow);
    assertTrue(slow.dropped() >= 500 - 64 - 1, slow.toString());
    blocking.release.countDown();
    assertTrue(p.flush(Duration.ofSeconds(10)));
    EventStats.SinkStats after = p.stats().sinks().get(0);
    assertEquals(500 - after.dropped(), after.delivered(), after.toString());
    assertEquals(0, after.pending());
  }

  @Test
  void overflowAtTheHandOffIsCountedNeverWaitedFor() throws Exception {
    BlockingSink blocking = new BlockingSink();
    EventPublisher p = publisher(16, blocking);
    long began = System.nanoTime();
    int accepted = 0;
    for (int i = 0; i < 10_000; i++) {
      if (p.publish("c", "tick", null, Map.of("i", i))) {
        accepted++;
      }
    }
    long took = System.nanoTime() - began;
    assertTrue(took < TimeUnit.SECONDS.toNanos(5), "publishing never waits for the blocked sink");
    EventStats stats = p.stats();
    assertEquals(10_000, stats.published() + stats.dropped(), stats.toString());
    assertEquals(accepted, stats.published());
    assertTrue(stats.dropped() > 0, stats.toString());
    EventStats.SinkStats sink = stats.sinks().get(0);
    // The dispatcher may still be handing events over: what it handed is dropped or pending (in hand too).
    assertTrue(sink.dropped() + sink.pending() <= stats.published(), stats.toString());
    assertEquals(0, sink.delivered());
    blocking.release.countDown();
    p.finish(ApplicationState.STOPPING, ApplicationState.STOPPED, ShutdownReason.MANUAL, Duration.ZERO,
        deadlineIn(Duration.ofSeconds(10)));
  }

  @Test
  void shutdownFlushesEveryAcceptedEventFromManyThreadsBeforeStopped() throws Exception {
    InMemoryEventSink memory = new InMemoryEventSink();
    AtomicReference<Integer> seenAtStopped = new AtomicReference<>();
    Ordo app = Ordo.builder()
        .controller(part("a"))
        .controller(part("b", "a"))
        .events(EventOptions.defaults().sink(memory).queueSize(1 << 20))
        .listener(new LifecycleListener() {
          @Override
          public void applicationStateChanged(ApplicationState from, ApplicationState to) {
            if (to == ApplicationState.STOPPED) {
              seenAtStopped.set(memory.size());
            }
          }
        })
        .build();
    app.start();
    int threads = 8;
    int perThread = 5_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Operation op = app.events().operation("c", "work");
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(pool.submit(() -> {
        for (int i = 0; i < perThread; i++) {
          op.run(null, () -> {});
        }
      }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    app.stop();
    EventStats stats = app.events().stats();
    assertEquals(0, stats.dropped(), stats.toString());
    assertEquals(stats.published(), memory.size(), "count in = count out");
    assertTrue(stats.lossless(), stats.toString());
    assertEquals(threads * perThread, memory.ofType("dev.ordo.work.completed").size());
    assertEquals(memory.size(), (int) seenAtStopped.get(), "every event was delivered before STOPPED was reported");
    // Events of one thread keep their order: each run's started precedes its completed.
    Map<String, Integer> started = new java.util.HashMap<>();
    List<Event> all = memory.events();
    for (int i = 0; i < all.size(); i++) {
      Event e = all.get(i);
      if (e.type().endsWith(".started") && e.get("operation") != null) {
        started.put(e.correlationId(), i);
      }
    }
    assertEquals(threads * perThread, started.size(), "every run has its own correlation id");
    assertFalse(app.events().publish("c", "late", null, Map.of()), "after the stop, events are refused");
    assertEquals(1, app.events().stats().dropped());
  }

  @Test
  void aSinkStillBlockedAtTheEndOfTheBudgetIsAbandonedAndTheStopReturnsInTime() {
    BlockingSink blocking = new BlockingSink();
    InMemoryEventSink memory = new InMemoryEventSink();
    Ordo app = Ordo.builder()
        .controller(part("a"))
        .shutdownTimeout(Duration.ofMillis(500))
        .events(EventOptions.defaults().sink(blocking).sink(memory))
        .build();
    app.start();
    long began = System.nanoTime();
    app.stop();
    long took = System.nanoTime() - began;
    // Upper bound only, with the same generous margin as elsewhere for a loaded machine.
    assertTrue(took < TimeUnit.MILLISECONDS.toNanos(500 + 5_000), "stop took " + took / 1_000_000 + " ms");
    EventStats stats = app.events().stats();
    EventStats.SinkStats stuck = stats.sinks().get(0);
    assertEquals(stats.published(), stuck.dropped(), "everything the blocked sink did not deliver is counted: " + stats);
    assertEquals(0, stuck.delivered());
    assertEquals(0, stuck.failed(), "its interrupted delivery is abandoned, not failed");
    assertEquals(stats.published(), stats.sinks().get(1).delivered(), "the other sink got everything");
    blocking.release.countDown();
  }

  @Test
  void budgetsAndTimeoutsPastTheNanosecondRangeMeanNoLimit() {
    EventPublisher p = publisher(16, new InMemoryEventSink());
    Duration forever = java.time.temporal.ChronoUnit.FOREVER.getDuration();
    assertEquals(TimeUnit.MILLISECONDS.toNanos(250), p.flushReserveNanos(forever));
    assertEquals(TimeUnit.MILLISECONDS.toNanos(100), p.flushReserveNanos(Duration.ofSeconds(1)));
    assertEquals(0, p.flushReserveNanos(Duration.ofSeconds(-1)));
    publish(p, 10);
    assertTrue(p.flush(forever));
    p.flush(Duration.ofSeconds(-1)); // a negative timeout does not wait, nor throw
    assertTrue(p.finish(ApplicationState.STOPPING, ApplicationState.STOPPED, ShutdownReason.MANUAL, Duration.ZERO,
        System.nanoTime() + Long.MAX_VALUE / 4).lossless());
  }

  @Test
  void withoutSinksNothingIsBuiltAndOperationsStillRun() throws Exception {
    EventPublisher p = publisher(16);
    assertFalse(p.enabled());
    assertEquals(3, (int) p.operation("c", "op").call(null, () -> 3));
    assertFalse(p.publish("c", "x", null, Map.of()));
    assertEquals(new EventStats(0, 0, List.of()), p.stats());
  }

  @Test
  void anIdleLaneWaitsWithoutTimeoutAndStillHearsTheNextEvent() throws Exception {
    InMemoryEventSink sink = new InMemoryEventSink();
    EventPublisher p = publisher(16, sink);
    p.publish("c", "tick", null, Map.of("i", 0));
    assertTrue(p.flush(Duration.ofSeconds(30)));
    Thread lane = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("test-events")).findFirst().orElseThrow();
    // Caught up: parked until woken (WAITING), not sleeping in turns (TIMED_WAITING).
    long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (lane.getState() != Thread.State.WAITING && System.nanoTime() < waitUntil) {
      Thread.sleep(1);
    }
    assertEquals(Thread.State.WAITING, lane.getState());
    p.publish("c", "tick", null, Map.of("i", 1));
    assertTrue(sink.await(e -> Integer.valueOf(1).equals(e.data().get("i")), Duration.ofSeconds(30)) != null);
    p.finish(ApplicationState.STOPPING, ApplicationState.STOPPED, ShutdownReason.MANUAL, Duration.ZERO,
        deadlineIn(Duration.ofSeconds(30)));
    lane.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(lane.isAlive());
  }
}
