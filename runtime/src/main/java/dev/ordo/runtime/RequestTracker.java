package dev.ordo.runtime;

import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts the units of work in flight (requests, messages, jobs) so that a shutdown can wait for
 * them. Code wraps each unit of work in a ticket:
 *
 * <pre>{@code
 * try (RequestTracker.Ticket ticket = app.requestTracker().enter()) {
 *   handle(request);
 * } catch (RequestRejectedException draining) {
 *   respond(503);   // with "Connection: close": this instance is going away
 * }
 * }</pre>
 *
 * <p>When the application starts DRAINING, new work is refused with a
 * {@link RequestRejectedException} while work already in flight completes; the drain ends as soon
 * as the count reaches zero. Entering and leaving take no lock: the count is a
 * {@link LongAdder}, which spreads contended updates over cells, and draining is a volatile flag
 * read after the increment, so either the new work sees the flag or the drain sees the work.
 *
 * @since 0.1
 */
public final class RequestTracker {
  private final LongAdder inFlight = new LongAdder();
  private volatile boolean draining;
  private final ConcurrentLinkedQueue<Thread> waiters = new ConcurrentLinkedQueue<>();

  /**
   * Creates a tracker. Components that handle work usually need it before the application is
   * built: create it first, give it to them, and to {@link Ordo.Builder#requestTracker}.
   */
  public RequestTracker() {}

  /**
   * A unit of work in flight; closing it leaves the tracker. Closing is atomic and idempotent:
   * however many threads close one ticket, however often, it leaves exactly once.
   */
  public final class Ticket implements AutoCloseable {
    private final AtomicBoolean closed = new AtomicBoolean();

    private Ticket() {}

    /** Leaves the tracker (the first call only). */
    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        leave();
      }
    }
  }

  /**
   * Enters one unit of work.
   *
   * @throws RequestRejectedException if the application is draining or stopped
   */
  public Ticket enter() {
    Ticket t = tryEnter();
    if (t == null) {
      throw new RequestRejectedException();
    }
    return t;
  }

  /** Enters one unit of work, or returns {@code null} if the application is draining or stopped. */
  public Ticket tryEnter() {
    inFlight.increment();
    if (draining) {
      leave();
      return null;
    }
    return new Ticket();
  }

  /** Runs {@code work} as one tracked unit. */
  public void run(Runnable work) {
    Ticket ticket = enter();
    try {
      work.run();
    } finally {
      ticket.close();
    }
  }

  /** Calls {@code work} as one tracked unit and returns its result. */
  public <T> T call(Callable<T> work) throws Exception {
    Ticket ticket = enter();
    try {
      return work.call();
    } finally {
      ticket.close();
    }
  }

  private void leave() {
    inFlight.decrement();
    if (draining) {
      for (Thread w : waiters) {
        LockSupport.unpark(w);
      }
    }
  }

  /** The number of units of work in flight now. */
  public long inFlight() {
    return Math.max(0, inFlight.sum());
  }

  /** Whether new work is refused. */
  public boolean isDraining() {
    return draining;
  }

  /** Refuses new work from now on. */
  void startDraining() {
    draining = true;
  }

  /**
   * Waits until no work is in flight or the {@link System#nanoTime()} {@code deadline} passed
   * ({@code Long.MAX_VALUE}: no limit), whichever is first; returns the count left in flight (0
   * when the drain completed). Called after {@link #startDraining()}; an interrupt does not end the
   * wait (a shutdown must finish) but is restored on return.
   */
  long awaitDrained(long deadline) {
    Thread me = Thread.currentThread();
    // Registered before the first look: a leave() after the look unparks us, and an unpark that
    // comes before the park makes the park return at once, so no wake-up is lost.
    waiters.add(me);
    boolean interrupted = false;
    try {
      long left;
      while ((left = inFlight()) > 0) {
        if (deadline == Long.MAX_VALUE) {
          LockSupport.park(this);
        } else {
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            return left;
          }
          LockSupport.parkNanos(this, remaining);
        }
        interrupted |= Thread.interrupted();
      }
      return 0;
    } finally {
      waiters.remove(me);
      if (interrupted) {
        me.interrupt();
      }
    }
  }
}
