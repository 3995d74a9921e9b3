package dev.ordo.runtime.events;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

/**
 * One sink and what it did with the events handed to it. An event counts as delivered only once
 * the sink has written it: {@link EventSink#deliver} returned, and then the next
 * {@link EventSink#flush} returned too. If {@code deliver} throws, that event failed; if
 * {@code flush} throws, every event written since the previous flush failed. Failures are logged
 * once, with the cause, and then at most every 10 seconds as a count, never once per event.
 *
 * <p>{@link #deliver}, {@link #flush} and {@link #close} run on the one thread that delivers to
 * the sink; {@link #abandon} and {@link #counts} may run on any thread.
 */
final class SinkDelivery {
  private static final System.Logger LOG = System.getLogger(EventPublisher.class.getName());
  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  final EventSink sink;
  /** The lane this sink's events wait in; its thread runs this sink. */
  private final DeliveryLane lane;

  /** Written by deliver() since the last flush (the delivering thread only). */
  private long written;
  private long lastFailureLog;
  private long failuresLogged;

  // Guarded by this: what was decided, frozen once abandoned.
  private long delivered;
  private long failed;
  private long lost;
  private boolean abandoned;

  SinkDelivery(EventSink sink, DeliveryLane lane) {
    this.sink = sink;
    this.lane = lane;
  }

  String name() {
    return sink.name();
  }

  void deliver(Event event) {
    try {
      sink.deliver(event);
      written++;
    } catch (Throwable t) {
      rethrowFatal(t);
      failed(1, t, "failed to deliver " + event.type());
    }
  }

  /** Flushes the sink: decides for every event written since the last flush. */
  void flush() {
    long n = written;
    written = 0;
    try {
      sink.flush();
      synchronized (this) {
        if (!abandoned) {
          delivered += n;
        }
      }
    } catch (Throwable t) {
      rethrowFatal(t);
      failed(n, t, "failed to flush " + n + " event(s)");
    }
  }

  /** Flushes, then closes the sink; a failure to close after a good flush loses nothing. */
  void close() {
    flush();
    try {
      sink.close();
    } catch (Throwable t) {
      rethrowFatal(t);
      failed(0, t, "failed to close");
    }
  }

  private void failed(long events, Throwable cause, String what) {
    long total;
    synchronized (this) {
      if (abandoned) {
        return; // already counted as abandoned, and interrupted on purpose
      }
      failed += events;
      total = failed;
    }
    long now = System.nanoTime();
    if (failuresLogged == 0) {
      failuresLogged = 1;
      lastFailureLog = now;
      LOG.log(Level.WARNING, "Event sink " + sink.name() + " " + what + ": those events are not delivered and are"
          + " counted as failed (EventStats.SinkStats.failed()); the other sinks are not affected. Further failures"
          + " of this sink are logged at most every 10 seconds", cause);
    } else if (now - lastFailureLog >= LOG_INTERVAL_NANOS) {
      lastFailureLog = now;
      failuresLogged++;
      LOG.log(Level.WARNING, "Event sink " + sink.name() + " is still failing: " + total + " event(s) failed so far;"
          + " last: " + what + ": " + cause);
    }
  }

  private static void rethrowFatal(Throwable t) {
    if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
      throw (VirtualMachineError) t;
    }
  }

  /**
   * The sink's lane was abandoned at the end of the budget: every event handed to it and not yet
   * delivered or failed (queued, in hand, or written but not flushed) is lost, and what the stuck
   * thread still does is not counted.
   */
  synchronized long abandon() {
    if (!abandoned) {
      abandoned = true;
      lost = Math.max(0, lane.accepted() - delivered - failed);
    }
    return lost;
  }

  /**
   * The sink's statistics.
   *
   * @param refused events it never received: its buffer was full, or lost upstream
   */
  synchronized EventStats.SinkStats counts(long refused) {
    long pending = abandoned ? 0 : Math.max(0, lane.accepted() - delivered - failed);
    return new EventStats.SinkStats(sink.name(), delivered, failed, refused + lost, pending);
  }
}
