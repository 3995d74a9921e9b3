package dev.ordo.runtime.events;

import static dev.ordo.runtime.events.Parts.part;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ordo.runtime.Ordo;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Features an application does not use cost nothing: without a sink, no queue, no thread, no event. */
@Timeout(60)
class EventsWithoutSinkTest {
  private static Ordo app(EventOptions events) {
    return Ordo.builder().controller(part("a")).controller(part("b", "a")).events(events).build();
  }

  /** Live threads started since {@code before} whose name says they deliver events. */
  private static List<String> newEventThreads(Set<Thread> before) {
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!before.contains(t) && t.isAlive() && t.getName().contains("-events")) {
        names.add(t.getName());
      }
    }
    return names;
  }

  @Test
  void withoutASinkNoEventThreadEverRuns() throws Exception {
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    Ordo app = app(EventOptions.defaults());
    assertFalse(app.events().enabled());
    app.start();
    Operation op = app.events().operation("b", "work");
    assertEquals(3, (int) op.call("req-1", () -> 3));
    op.begin(null).completed();
    assertFalse(app.events().publish("b", "placed", null, Map.of("id", 1)));
    assertEquals(List.of(), newEventThreads(before), "while running");
    app.stop();
    assertEquals(List.of(), newEventThreads(before), "after the stop");
    assertEquals(new EventStats(0, 0, List.of()), app.events().stats());
    assertEquals(0, app.events().flushReserveNanos(java.time.Duration.ofSeconds(30)), "no budget kept for events");
  }

  @Test
  void withASinkTheEventThreadEndsWithTheApplication() throws Exception {
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    Ordo app = app(EventOptions.defaults().sink(new InMemoryEventSink()));
    assertTrue(app.events().enabled());
    app.start();
    assertFalse(newEventThreads(before).isEmpty(), "the check above sees event threads when there are some");
    app.stop();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!newEventThreads(before).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(List.of(), newEventThreads(before), "no event thread outlives the stop");
  }

  @Test
  void anOperationWithoutASinkBuildsNoEvent() throws Exception {
    assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    EventPublisher p = new EventPublisher("test", EventOptions.defaults().resolve(new java.util.Properties(), Map.of()));
    Operation op = p.operation("c", "work");
    Runnable work = () -> {};
    long id = Thread.currentThread().getId();
    for (int i = 0; i < 20_000; i++) {
      op.run("req", work); // warm up
    }
    long runs = 100_000;
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < runs; i++) {
      op.run("req", work);
    }
    long allocated = threads.getThreadAllocatedBytes(id) - before;
    // An event (envelope, id, data map) is well over 100 bytes; the measurement itself costs a few.
    assertTrue(allocated < runs, "allocated " + allocated + " bytes for " + runs + " operations");
  }

  /**
   * Without a sink the events' lifecycle listener has nothing to do, so the engine must not
   * register it (with listener notifications on one queue per listener, each registered listener
   * costs work on every transition).
   */
  @Test
  void withoutASinkTheEventsListenerIsNotRegistered() {
    Ordo app = app(EventOptions.defaults());
    app.start();
    app.stop();
    assertEquals(0, ((LifecycleEvents) app.events().lifecycleListener()).callsWithoutSink(),
        "transitions were delivered to the events' listener although there is no sink");
  }
}
