package dev.ordo.runtime.events;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded queue drained by one daemon thread, started by the first event. Offering never blocks:
 * past the capacity the event is refused and counted, unless the offer is forced (lifecycle
 * events, which are few: a handful per component and run). The queue is lock-free (a
 * {@link ConcurrentLinkedQueue} with an atomic size), and the consumer parks only when it is
 * empty, so that an offer costs an allocation and a few atomic updates, and wakes the consumer
 * only when it sleeps.
 *
 * <p>The consumer {@linkplain #flush() flushes} whenever it has caught up, and at least every
 * {@value #FLUSH_EVERY} events while it has not.
 *
 * <p>Closing ({@link #beginClose}, then {@link #awaitClosed}) refuses every later offer, lets the
 * consumer handle everything accepted before (and the close's own last event after all of them),
 * flush and end. Closing and offering meet in the one atomic {@link #size}: the close adds
 * {@link #CLOSED} to it, so that an offer that reserves its place afterwards sees it and backs
 * out, while one that reserved its place before is waited for by the consumer, even if it has not
 * reached the queue yet. So every accepted event is handled before the lane ends, none is stranded.
 */
abstract class DeliveryLane implements Runnable {
  /** At most this many events are handled between two flushes. */
  static final int FLUSH_EVERY = 256;

  /** Added to {@link #size} by the close: far above any capacity, so every later offer backs out. */
  private static final long CLOSED = 1L << 40;

  private final String threadName;
  private final int capacity;
  /** {@link Event}s, and {@link Forced} ones, in order. */
  private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
  /** Places reserved by offers and not yet taken by the consumer, plus {@link #CLOSED} once closed. */
  private final AtomicLong size = new AtomicLong();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder refusedFull = new LongAdder();
  private final LongAdder refusedClosed = new LongAdder();
  /** Events taken off the queue and handled (written only by the lane's thread). */
  private final AtomicLong handled = new AtomicLong();
  /** {@link #handled} when the lane last flushed: what the flushes covered. */
  private volatile long flushedThrough;
  private final Object flushMonitor = new Object();
  private volatile int flushWaiters;
  private volatile Thread thread;
  private volatile boolean waiting;
  private volatile boolean closing;
  private volatile boolean abandon;
  /** The close's last event, handled after every other accepted one. */
  private volatile Event last;
  private volatile long abandoned;

  DeliveryLane(String threadName, int capacity) {
    this.threadName = threadName;
    this.capacity = capacity;
  }

  /** An event offered past the capacity; the consumer is told so. */
  private record Forced(Event event) {}

  /** Handles one event on the lane's thread; must not throw. {@code forced}: it was offered past the capacity. */
  abstract void handle(Event event, boolean forced);

  /** Pushes what the handled events left buffered. Must not throw. */
  void flush() {}

  /** The lane ends (after its last event, or abandoned). Must not throw. */
  void closed() {}

  /** The lane was abandoned with {@code notHandled} events queued or in hand; called once, on the closing thread. */
  void abandoned(long notHandled) {}

  /**
   * Queues {@code event}, or refuses it (false) when the queue is full (unless {@code force}) or
   * closed. Never blocks.
   */
  final boolean offer(Event event, boolean force) {
    long s = size.incrementAndGet();
    if (s >= CLOSED || (s > capacity && !force)) {
      size.decrementAndGet();
      (s >= CLOSED ? refusedClosed : refusedFull).increment();
      return false;
    }
    queue.offer(force ? new Forced(event) : event);
    accepted.increment();
    wake();
    return true;
  }

  private void wake() {
    Thread t = thread;
    if (t == null) {
      start();
    } else if (waiting) {
      LockSupport.unpark(t);
    }
  }

  private synchronized void start() {
    if (thread == null) {
      Thread t = new Thread(this, threadName);
      t.setDaemon(true);
      thread = t;
      t.start();
    }
  }

  @Override
  public final void run() {
    int sinceFlush = 0;
    Event stashedLast = null;
    try {
      while (!abandon) {
        Object o = queue.poll();
        if (o != null) {
          size.decrementAndGet();
          if (o == last) {
            stashedLast = (Event) o; // handled after everything else that was accepted
            continue;
          }
          if (o instanceof Forced) {
            handle(((Forced) o).event, true);
          } else {
            handle((Event) o, false);
          }
          handled.incrementAndGet();
          if (++sinceFlush >= FLUSH_EVERY) {
            flushed();
            sinceFlush = 0;
          }
          continue;
        }
        if (sinceFlush > 0) {
          flushed();
          sinceFlush = 0;
        }
        if (closing) {
          if (size.get() == CLOSED) {
            break; // every place reserved before the close was taken: nothing is on its way
          }
          Thread.yield(); // an offer reserved its place and is about to queue its event
          continue;
        }
        if (spinUntilOffered()) {
          continue;
        }
        // Parks until woken, without a timeout: an offer queues its event, then reads waiting;
        // this thread writes waiting, then reads the queue. Both are volatile accesses, so one of
        // the two sees the other: either the offer unparks this thread (a permit is kept if it has
        // not parked yet), or the queue is not empty here. beginClose and an abandon unpark (or
        // interrupt) it always.
        waiting = true;
        if (queue.isEmpty() && !closing && !abandon) {
          LockSupport.park(this);
          Thread.interrupted(); // only an abandon interrupts, and the loop checks for it; anything else is ignored
        }
        waiting = false;
      }
      if (!abandon && stashedLast != null) {
        handle(stashedLast, true);
        handled.incrementAndGet();
        flushed();
      }
      if (abandon) {
        while (queue.poll() != null) {
          size.decrementAndGet(); // counted as abandoned by awaitClosed()
        }
      }
      closed();
    } finally {
      synchronized (flushMonitor) {
        flushMonitor.notifyAll(); // whoever waits for a flush stops waiting for this thread
      }
    }
  }

  /** Flushes, then publishes what the flush covered to whoever waits for it. */
  private void flushed() {
    flush();
    flushedThrough = handled.get();
    if (flushWaiters > 0) {
      synchronized (flushMonitor) {
        flushMonitor.notifyAll();
      }
    }
  }

  /**
   * Spins a little before parking: under a steady stream of events the next one usually comes
   * within microseconds, and a consumer that is not parked spares the publishers an unpark.
   */
  private boolean spinUntilOffered() {
    for (int i = 0; i < 200; i++) {
      if (!queue.isEmpty()) {
        return true;
      }
      if (i < 100) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
    return false;
  }

  /**
   * Waits until every event accepted before the call was handled and flushed, or the deadline;
   * true if it was. An interrupt does not end the wait early; the interrupt status is kept.
   */
  final boolean awaitFlushed(long deadlineNanos) {
    long target = accepted.sum();
    if (flushedThrough >= target) {
      return true;
    }
    boolean interrupted = false;
    synchronized (flushMonitor) {
      flushWaiters++;
      try {
        while (flushedThrough < target) {
          Thread t = thread;
          long left = deadlineNanos - System.nanoTime();
          if (t == null || !t.isAlive() || left <= 0) {
            return flushedThrough >= target;
          }
          if (waiting) {
            LockSupport.unpark(t);
          }
          try {
            TimeUnit.NANOSECONDS.timedWait(flushMonitor, left);
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
        return true;
      } finally {
        flushWaiters--;
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /**
   * Begins to end the lane: from now on every offer is refused; the lane handles what was
   * accepted, then {@code last} (if not null: it is accepted past the capacity and handled after
   * every other event, even one whose offer was under way), flushes, calls {@link #closed()} and
   * exits. Returns at once; {@link #awaitClosed} waits. Called once.
   */
  final void beginClose(Event last) {
    // First, so that what the consumer takes from now on is known to be the end's (the consumer
    // does not end before the gate below is in place: until then the size is not CLOSED).
    closing = true;
    if (last != null) {
      this.last = last;
      size.addAndGet(CLOSED + 1); // the close, and the place of the last event
      queue.offer(last);
      accepted.increment();
    } else {
      size.addAndGet(CLOSED);
    }
    Thread t = thread;
    if (t == null) {
      start(); // even without events: the sink is flushed and closed on the lane's thread, not the caller's
    } else {
      LockSupport.unpark(t);
    }
  }

  /**
   * Waits for the lane begun to close to end, until the deadline. If it has not by then (its sink
   * blocks), it is interrupted, and what it still holds is counted as abandoned. True if it ended
   * in time. An interrupt does not end the wait early; the interrupt status is kept.
   */
  final boolean awaitClosed(long deadlineNanos) {
    Thread t = thread;
    boolean interrupted = false;
    while (t.isAlive()) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        TimeUnit.NANOSECONDS.timedJoin(t, left);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (!t.isAlive()) {
      return true;
    }
    // What is queued or in hand counts as abandoned now, not when the stuck thread gets to it
    // (the subclass stops counting what that thread still does, before it is interrupted).
    abandon = true;
    long lost = Math.max(0, accepted.sum() - handled.get());
    abandoned = lost;
    abandoned(lost);
    t.interrupt();
    while (queue.poll() != null) {
      size.decrementAndGet();
    }
    return false;
  }

  /** Whether {@link #beginClose} was called: the lane accepts nothing more. */
  final boolean isClosing() {
    return closing;
  }

  /** Whether the lane was closed: it accepts nothing more. */
  final boolean isClosed() {
    return size.get() >= CLOSED;
  }

  final long accepted() {
    return accepted.sum();
  }

  /** Refused because the queue was full. */
  final long refusedFull() {
    return refusedFull.sum();
  }

  /** Refused because the lane was closed. */
  final long refusedClosed() {
    return refusedClosed.sum();
  }

  /** Events the lane held (queued or in hand) when it was abandoned. */
  final long abandoned() {
    return abandoned;
  }
}
