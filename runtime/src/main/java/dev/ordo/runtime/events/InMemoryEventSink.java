package dev.ordo.runtime.events;

import dev.ordo.runtime.engine.Nanos;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Keeps every event it receives, in order, for tests and tools.
 *
 * <pre>{@code
 * InMemoryEventSink events = new InMemoryEventSink();
 * Ordo app = Ordo.builder().components(...).events(EventOptions.defaults().sink(events)).build();
 * app.start();
 * app.stop();                                    // the stop flushes: every accepted event is here
 * assertEquals("dev.ordo.application.starting", events.events().get(0).type());
 * }</pre>
 *
 * @since 0.1
 */
public final class InMemoryEventSink implements EventSink {
  private final List<Event> events = new ArrayList<>();

  /** An empty sink. */
  public InMemoryEventSink() {}

  @Override
  public synchronized void deliver(Event event) {
    events.add(event);
    notifyAll();
  }

  /** A copy of the events received so far, in order. */
  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /** The events received so far whose type is {@code type}. */
  public synchronized List<Event> ofType(String type) {
    List<Event> list = new ArrayList<>();
    for (Event e : events) {
      if (e.type().equals(type)) {
        list.add(e);
      }
    }
    return list;
  }

  /** How many events were received. */
  public synchronized int size() {
    return events.size();
  }

  /** Forgets every event received so far. */
  public synchronized void clear() {
    events.clear();
  }

  /**
   * Waits until an event that matches {@code condition} has arrived, and returns it.
   *
   * @throws AssertionError if none arrived within {@code timeout}
   */
  public synchronized Event await(Predicate<Event> condition, Duration timeout) throws InterruptedException {
    // A timeout past the nanosecond range waits without limit (toNanos() would throw).
    long deadline = Nanos.deadline(System.nanoTime(), Nanos.of(timeout));
    int seen = 0;
    while (true) {
      for (; seen < events.size(); seen++) {
        if (condition.test(events.get(seen))) {
          return events.get(seen);
        }
      }
      if (deadline == Nanos.NO_LIMIT) {
        wait();
        continue;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("No matching event within " + timeout + "; received " + events.size());
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  @Override
  public String name() {
    return "in-memory";
  }
}
