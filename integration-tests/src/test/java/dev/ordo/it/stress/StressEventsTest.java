package dev.ordo.it.stress;

import static dev.ordo.it.stress.Stress.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.ShutdownReport;
import dev.ordo.runtime.events.Event;
import dev.ordo.runtime.events.EventOptions;
import dev.ordo.runtime.events.EventSink;
import dev.ordo.runtime.events.EventStats;
import dev.ordo.runtime.events.InMemoryEventSink;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sinks that throw errors, block in flush, or keep up, with publishers racing the shutdown: an
 * event counts as delivered only once written, every accepted event reaches every working sink,
 * {@code application.stopped} last, and nothing is accepted after it.
 */
@Timeout(120)
class StressEventsTest {
  private static final String STOPPED = "dev.ordo.application.stopped";
  private final Script script = new Script();

  private Ordo.Builder graph() {
    return Ordo.builder().components(new Base(script), new Mid(script), new Top(script));
  }

  /** Throws an {@code Error} from {@code deliver} for every third event, and from {@code close}. */
  static final class ErrorSink implements EventSink {
    final AtomicInteger calls = new AtomicInteger();
    final List<String> written = new CopyOnWriteArrayList<>();

    @Override
    public void deliver(Event event) {
      if (calls.incrementAndGet() % 3 == 0) {
        throw new AssertionError("sink error on " + event.type());
      }
      written.add(event.type());
    }

    @Override
    public void close() {
      throw new LinkageError("close");
    }
  }

  private static EventStats.SinkStats sink(EventStats stats, String name) {
    return stats.sinks().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(
        () -> new AssertionError(name + " not in " + stats));
  }

  private static void assertEveryEventEndedOnce(EventStats stats, EventStats.SinkStats s) {
    assertEquals(0, s.pending(), s::toString);
    assertEquals(stats.published(), s.delivered() + s.failed() + s.dropped(), () -> s + " of " + stats);
  }

  @Test
  void publishersRacingTheShutdownLoseNoAcceptedEventAndNothingIsAcceptedAfterTheEnd() throws Exception {
    InMemoryEventSink memory = new InMemoryEventSink();
    ErrorSink erring = new ErrorSink();
    Ordo app = graph()
        .events(EventOptions.defaults().sink(memory).sink(erring).queueSize(100_000))
        .build();
    app.start();
    // a wait past the nanosecond range means no limit, it does not overflow
    memory.await(e -> e.type().equals("dev.ordo.application.started"), ChronoUnit.FOREVER.getDuration());
    AtomicBoolean publishing = new AtomicBoolean(true);
    AtomicLong accepted = new AtomicLong();
    AtomicLong acceptedAfterStop = new AtomicLong();
    AtomicBoolean stopReturned = new AtomicBoolean();
    List<CompletableFuture<Void>> publishers = new ArrayList<>();
    CountDownLatch warm = new CountDownLatch(4);
    for (int t = 0; t < 4; t++) {
      int thread = t;
      publishers.add(CompletableFuture.runAsync(() -> {
        long n = 0;
        while (publishing.get()) {
          boolean afterStop = stopReturned.get();
          if (app.events().publish(Base.class.getName(), "stress-tick", null, Map.of("thread", thread, "n", n++))) {
            accepted.incrementAndGet();
            if (afterStop) {
              acceptedAfterStop.incrementAndGet();
            }
          }
          if (n == 200) {
            warm.countDown();
          }
        }
      }, r -> new Thread(r, "test-publisher").start()));
    }
    await("publishers warm", warm);
    ShutdownReport report = app.stop();
    stopReturned.set(true);
    Thread.sleep(20);
    publishing.set(false);
    for (CompletableFuture<Void> p : publishers) {
      p.get(30, TimeUnit.SECONDS);
    }
    assertEquals(ApplicationState.STOPPED, app.state());
    assertEquals(0, acceptedAfterStop.get(), "nothing is accepted once the application stopped");
    assertFalse(app.events().publish(Base.class.getName(), "stress-tick", null, Map.of()));
    List<Event> events = memory.events();
    assertEquals(STOPPED, events.get(events.size() - 1).type(), "application.stopped last");
    assertEquals(accepted.get(), memory.ofType("dev.ordo.stress-tick").size(), "every accepted event was delivered");
    assertEquals(events.size(), events.stream().map(Event::id).distinct().count(), "ids unique within the source");
    EventStats stats = app.events().stats();
    assertEveryEventEndedOnce(stats, sink(stats, memory.name()));
    assertEveryEventEndedOnce(stats, sink(stats, erring.name()));
    assertEquals(stats.published(), sink(stats, memory.name()).delivered(), stats::toString);
    assertTrue(sink(stats, erring.name()).failed() > 0, stats::toString);
    assertEquals(erring.written.size(), sink(stats, erring.name()).delivered(), "delivered means written: " + stats);
    assertFalse(stats.lossless(), stats::toString);
    assertTrue(report.clean(), report::toString);
  }

  /** A sink whose flush never returns, and ignores its interrupt, until released. */
  static final class StuckSink implements EventSink {
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch stuck = new CountDownLatch(1);
    final AtomicBoolean armed = new AtomicBoolean();

    @Override
    public void deliver(Event event) {}

    @Override
    public void flush() {
      if (armed.get()) {
        stuck.countDown();
        Stress.hangUninterruptibly(release);
      }
    }
  }

  @Test
  void aSinkStuckInFlushPastTheBudgetReportsNothingDeliveredAndHoldsNoOtherSink() throws Exception {
    StuckSink stuck = new StuckSink();
    InMemoryEventSink memory = new InMemoryEventSink();
    Stress.Recorder recorder = new Stress.Recorder(false);
    Ordo app = graph()
        .listener(recorder)
        .shutdownTimeout(Duration.ofSeconds(1))
        .events(EventOptions.defaults().sink(stuck).sink(memory))
        .build();
    app.start();
    ShutdownReport report;
    try {
      await("the start's events flushed", () -> app.events().stats().sinks().stream().allMatch(s -> s.pending() == 0));
      stuck.armed.set(true);
      assertTrue(app.events().publish(Base.class.getName(), "stress-tick", null, Map.of()));
      await("the sink is stuck", stuck.stuck);
      report = app.stop();
      assertEquals(ApplicationState.STOPPED, app.state());
      EventStats stats = app.events().stats();
      EventStats.SinkStats s = sink(stats, stuck.name());
      assertEquals(0, s.pending(), s::toString);
      assertEquals(stats.published(), s.delivered() + s.failed() + s.dropped(), stats::toString);
      assertTrue(s.dropped() >= 2, "the stuck event and application.stopped are not delivered: " + s);
      assertFalse(stats.lossless());
      List<Event> events = memory.events();
      assertEquals(STOPPED, events.get(events.size() - 1).type(), "the other sink is not held");
      assertEquals(stats.published(), sink(stats, memory.name()).delivered(), stats::toString);
    } finally {
      stuck.release.countDown();
    }
    assertTrue(report.clean(), report::toString);
    await("the listener hears the end", recorder::heardFinal);
  }

  @Test
  void aSinkStuckInFlushLeavesOnlyItsOwnThreadBehindAndOnlyUntilItReturns() throws Exception {
    StuckSink stuck = new StuckSink();
    Set<Thread> before = Stress.ordoThreads();
    Ordo app = graph().shutdownTimeout(Duration.ofMillis(500)).events(EventOptions.defaults().sink(stuck)).build();
    app.start();
    try {
      await("the start's events flushed", () -> app.events().stats().sinks().get(0).pending() == 0);
      stuck.armed.set(true);
      app.events().publish(Base.class.getName(), "stress-tick", null, Map.of());
      await("the sink is stuck", stuck.stuck);
      app.stop();
      List<String> left = Stress.newOrdoThreads(before);
      assertTrue(left.size() <= 1, () -> "only the stuck sink's thread may outlive stop(): " + left);
    } finally {
      stuck.release.countDown();
    }
    await("no Ordo thread left once the sink returned", () -> Stress.newOrdoThreads(before).isEmpty());
  }

  /** Records every call and the thread it came on. */
  static final class CallRecorder implements EventSink {
    final String name;
    final List<String> calls = new CopyOnWriteArrayList<>();
    final Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();

    CallRecorder(String name) {
      this.name = name;
    }

    @Override
    public void deliver(Event event) {
      threads.add(Thread.currentThread());
      calls.add("deliver " + event.type());
    }

    @Override
    public void flush() {
      threads.add(Thread.currentThread());
      calls.add("flush");
    }

    @Override
    public void close() {
      threads.add(Thread.currentThread());
      calls.add("close");
    }

    @Override
    public String name() {
      return name;
    }
  }

  @Test
  void eachSinkIsCalledFromOneThreadInOrderFlushedAndClosedOnceAtTheEnd() throws Exception {
    for (int sinks = 1; sinks <= 2; sinks++) {
      List<CallRecorder> recorders = new ArrayList<>();
      EventOptions options = EventOptions.defaults();
      for (int i = 0; i < sinks; i++) {
        CallRecorder r = new CallRecorder("recorder-" + i);
        recorders.add(r);
        options = options.sink(r);
      }
      Ordo app = graph().events(options).build();
      app.start();
      for (int i = 0; i < 500; i++) {
        app.events().publish(Base.class.getName(), "stress-tick", null, Map.of("n", i));
      }
      CompletableFuture<ShutdownReport> other = CompletableFuture.supplyAsync(app::stop);
      app.stop();
      app.close();
      other.get(30, TimeUnit.SECONDS);
      for (CallRecorder r : recorders) {
        List<String> calls = r.calls;
        assertEquals(1, r.threads.size(), () -> r.name + " called from " + r.threads);
        assertEquals(1, calls.stream().filter("close"::equals).count(), calls.size() + " calls");
        assertEquals("close", calls.get(calls.size() - 1));
        assertEquals("flush", calls.get(calls.size() - 2), "flushed once more before close()");
        int lastDeliver = calls.size() - 2;
        while (!calls.get(lastDeliver).startsWith("deliver ")) {
          lastDeliver--;
        }
        assertEquals("deliver " + STOPPED, calls.get(lastDeliver), "application.stopped last");
        long ticks = calls.stream().filter(c -> c.equals("deliver dev.ordo.stress-tick")).count();
        assertEquals(500, ticks, "every accepted event, in order");
        int gap = 0;
        for (String c : calls) { // flushed at least every 256 events while behind
          gap = c.equals("flush") ? 0 : gap + 1;
          assertTrue(gap <= 256, "flush at least every 256 events");
        }
      }
    }
  }

  @Test
  void dataThatCannotBeWrittenFailsOnlyItsOwnEventInAJsonLinesFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("events.jsonl");
    Ordo app = graph().events(EventOptions.defaults().file(file)).build();
    app.start();
    List<Object> loop = new ArrayList<>();
    loop.add(loop); // a list that holds itself: no JSON form
    Map<String, Object> self = new java.util.HashMap<>();
    self.put("self", self);
    app.events().publish(Base.class.getName(), "stress-bad", null, Map.of("loop", loop));
    app.events().publish(Base.class.getName(), "stress-bad", null, Map.of("map", self));
    app.events().publish(Base.class.getName(), "stress-bad", null, Map.of("object", new Object() {
      @Override
      public String toString() {
        throw new IllegalStateException("no string either");
      }
    }));
    app.events().publish(Base.class.getName(), "stress-good", null, Map.of("n", 1));
    ShutdownReport report = app.stop();
    assertTrue(report.clean(), report::toString);
    assertEquals(ApplicationState.STOPPED, app.state());
    List<String> lines = java.nio.file.Files.readAllLines(file);
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (String line : lines) {
      json.readTree(line); // every line written is whole, strict JSON
    }
    assertTrue(lines.stream().anyMatch(l -> l.contains("stress-good")), lines::toString);
    assertTrue(lines.get(lines.size() - 1).contains("application.stopped"), lines::toString);
    EventStats stats = app.events().stats();
    EventStats.SinkStats s = stats.sinks().get(0);
    assertEquals(stats.published(), s.delivered() + s.failed() + s.dropped(), stats::toString);
    assertEquals(lines.size(), s.delivered(), "delivered means written: " + stats);
  }

  @Test
  void transitionsPassAFullQueueBehindABlockedSinkWhileOperationsAreDroppedAndNeverWaitedFor() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<String> types = new CopyOnWriteArrayList<>();
    List<String> subjects = new CopyOnWriteArrayList<>();
    EventSink blocked = new EventSink() {
      @Override
      public void deliver(Event event) throws Exception {
        Stress.hangUninterruptibly(release);
        types.add(event.type());
        subjects.add(event.type() + " " + event.subject());
      }

      @Override
      public String name() {
        return "blocked";
      }
    };
    Ordo app = graph().events(EventOptions.defaults().sink(blocked).queueSize(1)).build();
    try {
      app.start(); // the transitions are accepted past the queue's size
      int accepted = 0;
      for (int i = 0; i < 1_000; i++) { // never waits, though the sink does not move
        if (app.events().publish(Base.class.getName(), "stress-tick", null, Map.of("n", i))) {
          accepted++;
        }
      }
      assertTrue(accepted <= 2, "the queue holds one event: " + accepted);
      assertTrue(app.events().stats().dropped() >= 998, () -> app.events().stats().toString());
    } finally {
      release.countDown();
    }
    app.stop();
    for (String c : List.of("Base", "Mid", "Top")) {
      for (String t : List.of("starting", "started", "stopping", "stopped")) {
        String seen = "dev.ordo.component." + t + " dev.ordo.it.stress." + c;
        assertEquals(1, subjects.stream().filter(seen::equals).count(), seen + " in " + subjects);
      }
    }
    assertEquals(STOPPED, types.get(types.size() - 1));
    assertTrue(types.containsAll(List.of("dev.ordo.application.starting", "dev.ordo.application.started",
        "dev.ordo.application.draining", "dev.ordo.application.stopping")), types::toString);
  }
}
