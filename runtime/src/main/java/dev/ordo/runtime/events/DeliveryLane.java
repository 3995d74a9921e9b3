package dev.ordo.runtime.events;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded queue drained by one daemon thread. Offering never blocks: past the capacity the event
 * is refused and counted. The queue is lock-free (a {@link ConcurrentLinkedQueue} with an atomic
 * size), and the consumer parks only when it is empty, so that an offer costs an allocation and
 * two atomic updates, and wakes the consumer only when it sleeps.
 */
abstract class DeliveryLane implements Runnable {
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final String threadName;
  private final int capacity;
  private final ConcurrentLinkedQueue<Event> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder refused = new LongAdder();
  /** Events taken off the queue and handled (written only by the lane's thread). */
  private final AtomicLong handled = new AtomicLong();
  /** {@link #handled} when {@link #idle()} last ran: what the last flush covered. */
  private final AtomicLong flushedThrough = new AtomicLong();
  private final AtomicLong abandoned = new AtomicLong();
  private volatile Thread thread;
  private volatile boolean waiting;
  private volatile boolean closing;
  private volatile boolean abandon;

  DeliveryLane(String threadName, int capacity) {
    this.threadName = threadName;
    this.capacity = capacity;
  }

  /** Handles one event on the lane's thread; must not throw. */
  abstract void handle(Event event);

  /** The queue is empty: push what is buffered. Must not throw. */
  void idle() {}

  /** The lane ends (after its last event, or abandoned). Must not throw. */
  void closed() {}

  /** Queues {@code event}, or refuses it (false) when the queue is full. Never blocks. */
  final boolean offer(Event event) {
    if (size.incrementAndGet() > capacity) {
      size.decrementAndGet();
      refused.increment();
      return false;
    }
    queue.offer(event);
    accepted.increment();
    Thread t = thread;
    if (t == null) {
      start();
    } else if (waiting) {
      LockSupport.unpark(t);
    }
    return true;
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
    long lastFlushed = 0;
    while (!abandon) {
      Event e = queue.poll();
      if (e != null) {
        size.decrementAndGet();
        handle(e);
        handled.incrementAndGet();
        continue;
      }
      long done = handled.get();
      if (done != lastFlushed) {
        idle();
        lastFlushed = done;
      }
      flushedThrough.set(done);
      if (closing && queue.isEmpty()) {
        break;
      }
      if (spinUntilOffered()) {
        continue;
      }
      waiting = true;
      if (queue.isEmpty() && !closing && !abandon) {
        LockSupport.parkNanos(this, IDLE_PARK_NANOS);
        if (Thread.interrupted() && !abandon) {
          continue; // only an abandon interrupts; anything else is ignored
        }
      }
      waiting = false;
    }
    if (abandon) {
      while (queue.poll() != null) {
        size.decrementAndGet(); // counted as abandoned by close()
      }
    }
    closed();
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
   * true if it was.
   */
  final boolean awaitFlushed(long deadlineNanos) {
    long target = accepted.sum();
    Thread t = thread;
    while (flushedThrough.get() < target) {
      if (t == null || !t.isAlive() || System.nanoTime() - deadlineNanos >= 0) {
        return flushedThrough.get() >= target;
      }
      if (waiting) {
        LockSupport.unpark(t);
      }
      LockSupport.parkNanos(200_000);
    }
    return true;
  }

  /**
   * Ends the lane: it handles what is queued, flushes, closes and exits; if it has not by the
   * deadline (its sink blocks), it is interrupted and what it still holds is counted as abandoned.
   * True if it ended in time.
   */
  final boolean close(long deadlineNanos) {
    closing = true;
    Thread t = thread;
    if (t == null) {
      closed();
      return true;
    }
    LockSupport.unpark(t);
    try {
      long left = deadlineNanos - System.nanoTime();
      if (left > 0) {
        TimeUnit.NANOSECONDS.timedJoin(t, left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!t.isAlive()) {
      return true;
    }
    // What is queued or in hand counts as abandoned now, not when the stuck thread gets to it
    // (whatever that thread still does is not counted again: see abandoning()).
    abandon = true;
    abandoned.set(Math.max(0, accepted.sum() - handled.get()));
    t.interrupt();
    while (queue.poll() != null) {
      size.decrementAndGet();
    }
    return false;
  }

  /** Whether the lane was abandoned: what its thread still finishes is already counted as abandoned. */
  final boolean abandoning() {
    return abandon;
  }

  final long accepted() {
    return accepted.sum();
  }

  final long refused() {
    return refused.sum();
  }

  final long abandoned() {
    return abandoned.get();
  }

  final long pending() {
    return size.get();
  }

  final String threadName() {
    return threadName;
  }
}
