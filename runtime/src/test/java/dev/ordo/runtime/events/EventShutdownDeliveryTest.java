package dev.ordo.runtime.events;

import static dev.ordo.runtime.events.Parts.part;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.Ordo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * While the shutdown budget lasts, every accepted event reaches every sink, the final ones
 * included, however slow the sink, and however full its queue was.
 */
@Timeout(60)
class EventShutdownDeliveryTest {
  /** Works, slowly: 20 ms per event. */
  private static final class SlowSink implements EventSink {
    final InMemoryEventSink received = new InMemoryEventSink();

    @Override
    public void deliver(Event event) throws InterruptedException {
      Thread.sleep(20);
      received.deliver(event);
    }
  }

  private static Ordo app(EventOptions events) {
    return Ordo.builder()
        .controller(part("a"))
        .controller(part("b", "a"))
        .controller(part("c", "b"))
        .events(events)
        .build(); // the default budget: 30 s
  }

  private static void assertEndsWithTheShutdown(List<Event> events, String sink) {
    List<String> types = events.stream().map(Event::type).toList();
    assertEquals("dev.ordo.application.stopped", types.get(types.size() - 1), sink + " received " + types);
    assertEquals(3, types.stream().filter("dev.ordo.component.stopped"::equals).count(), sink + " received " + types);
    assertTrue(types.contains("dev.ordo.application.stopping"), sink + " received " + types);
  }

  @Test
  void aSlowSinkWhoseQueueIsFullStillReceivesTheFinalEvents() {
    SlowSink slow = new SlowSink();
    Ordo app = app(EventOptions.defaults().sink(slow).queueSize(16));
    app.start();
    for (int i = 0; i < 40; i++) {
      app.events().publish("c", "tick", null, Map.of("i", i)); // fills the queue: some are dropped
    }
    long began = System.nanoTime();
    app.stop();
    long took = System.nanoTime() - began;
    EventStats stats = app.events().stats();
    assertTrue(stats.dropped() > 0, "the queue was full: " + stats);
    assertEndsWithTheShutdown(slow.received.events(), "the slow sink");
    EventStats.SinkStats s = stats.sinks().get(0);
    assertEquals(stats.published(), s.delivered(), "every accepted event was delivered: " + stats);
    assertEquals(stats.published(), slow.received.size());
    assertEquals(0, s.failed() + s.dropped() + s.pending(), stats.toString());
    assertTrue(took < TimeUnit.SECONDS.toNanos(20), "took " + took / 1_000_000 + " ms");
  }

  @Test
  void aSlowSinkBesideAFastOneReceivesTheFinalEventsToo() throws Exception {
    SlowSink slow = new SlowSink();
    InMemoryEventSink fast = new InMemoryEventSink();
    Ordo app = app(EventOptions.defaults().sink(slow).sink(fast).queueSize(16));
    app.start();
    for (int round = 0; round < 4; round++) {
      for (int i = 0; i < 10; i++) {
        app.events().publish("c", "tick", null, Map.of("i", i)); // fewer than the queue holds
      }
      Thread.sleep(20); // the dispatcher keeps up; the slow sink's own buffer overflows
    }
    app.stop();
    EventStats stats = app.events().stats();
    EventStats.SinkStats s = stats.sinks().get(0);
    assertTrue(s.dropped() > 0, "the slow sink's buffer was full: " + stats);
    assertEndsWithTheShutdown(slow.received.events(), "the slow sink");
    assertEndsWithTheShutdown(fast.events(), "the fast sink");
    assertEquals(stats.published() - s.dropped(), s.delivered(), stats.toString());
    assertEquals(0, s.failed() + s.pending(), stats.toString());
    assertEquals(stats.published() - stats.sinks().get(1).dropped(), fast.size(), stats.toString());
  }

  @Test
  void aSlowSinkWithALongBacklogGetsEverythingWithinTheBudget() {
    SlowSink slow = new SlowSink();
    Ordo app = app(EventOptions.defaults().sink(slow));
    app.start();
    for (int i = 0; i < 100; i++) {
      app.events().publish("c", "tick", null, Map.of("i", i)); // 2 s of work for the sink
    }
    app.stop();
    EventStats stats = app.events().stats();
    assertTrue(stats.lossless(), stats.toString());
    assertEndsWithTheShutdown(slow.received.events(), "the slow sink");
  }

  @Test
  void eventsOfTheEndComeInOrderAndNothingIsAcceptedAfterTheFinalOne() {
    InMemoryEventSink memory = new InMemoryEventSink();
    Ordo app = app(EventOptions.defaults().sink(memory));
    app.start();
    app.stop();
    assertEndsWithTheShutdown(memory.events(), "the sink");
    long published = app.events().stats().published();
    assertEquals(false, app.events().publish("c", "late", null, Map.of()));
    assertEquals(published, app.events().stats().published());
    assertEquals(1, app.events().stats().dropped());
    assertEquals(published, memory.size());
    // A second finish changes nothing.
    app.events().finish(dev.ordo.runtime.ApplicationState.STOPPED, dev.ordo.runtime.ApplicationState.STOPPED,
        dev.ordo.runtime.ShutdownReason.MANUAL, Duration.ZERO, System.nanoTime());
    assertEquals(published, memory.size());
  }
}
