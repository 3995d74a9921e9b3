package dev.ordo.runtime;

import dev.ordo.runtime.internal.LifecycleThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The timeouts of the hooks in flight, enforced by one sweeper thread.
 *
 * <p>Most hooks return long before their timeout, so arming a timer per hook (a scheduled task
 * created and cancelled under a lock) would cost more than the hook. Here a hook registers a
 * {@link Deadline} (one allocation and one lock-free enqueue) and marks it done when it ends (one
 * volatile write); the sweeper wakes at the earliest pending deadline — or every
 * {@value #MAX_SLEEP_MILLIS} ms while deadlines are pending — fires those that passed, and drops
 * those that are done. A timeout therefore fires within about {@value #MAX_SLEEP_MILLIS} ms of its
 * deadline, and usually at it.
 */
final class HookDeadlines {
  static final long MAX_SLEEP_MILLIS = 10;

  private final ConcurrentLinkedQueue<Deadline> pending = new ConcurrentLinkedQueue<>();
  private final Thread sweeper;
  private volatile boolean closed;

  /** One hook's deadline; {@link #done()} when the hook ended (or timed out). */
  static final class Deadline {
    final long deadlineNanos;
    private Runnable onTimeout;
    private volatile boolean done;

    Deadline(long deadlineNanos, Runnable onTimeout) {
      this.deadlineNanos = deadlineNanos;
      this.onTimeout = onTimeout;
    }

    /**
     * The hook ended: its timeout will not fire. The action (and all it holds) is let go at once;
     * the small entry itself leaves at the sweeper's next look.
     */
    void done() {
      done = true;
      onTimeout = null;
    }
  }

  /** After this many new deadlines the sweeper looks at once, so that ended ones never pile up. */
  private static final int SWEEP_EVERY = 1024;

  private final java.util.concurrent.atomic.AtomicInteger added = new java.util.concurrent.atomic.AtomicInteger();

  HookDeadlines(String name) {
    sweeper = new Thread(LifecycleThreads.marked(this::sweep), name);
    sweeper.setDaemon(true);
    sweeper.start();
  }

  /** Registers a hook that must end within {@code timeoutNanos}, else {@code onTimeout} runs. */
  Deadline add(long timeoutNanos, Runnable onTimeout) {
    Deadline d = new Deadline(System.nanoTime() + timeoutNanos, onTimeout);
    pending.add(d);
    if (timeoutNanos < TimeUnit.MILLISECONDS.toNanos(MAX_SLEEP_MILLIS)
        || added.incrementAndGet() % SWEEP_EVERY == 0) {
      LockSupport.unpark(sweeper); // sooner than the sweeper's next look
    }
    return d;
  }

  /** Stops the sweeper; deadlines still pending do not fire. */
  void close() {
    closed = true;
    LockSupport.unpark(sweeper);
  }

  private void sweep() {
    List<Deadline> due = new ArrayList<>();
    while (!closed) {
      long now = System.nanoTime();
      long next = now + TimeUnit.MILLISECONDS.toNanos(MAX_SLEEP_MILLIS);
      for (var it = pending.iterator(); it.hasNext(); ) {
        Deadline d = it.next();
        if (d.done) {
          it.remove();
        } else if (d.deadlineNanos - now <= 0) {
          it.remove();
          due.add(d);
        } else if (d.deadlineNanos - next < 0) {
          next = d.deadlineNanos;
        }
      }
      for (Deadline d : due) {
        Runnable action = d.onTimeout;
        if (!d.done && action != null) {
          d.done = true;
          try {
            action.run();
          } catch (RuntimeException | Error e) {
            System.getLogger(Ordo.class.getName())
                .log(System.Logger.Level.ERROR, "A timeout action failed", e);
          }
        }
      }
      due.clear();
      long sleep = next - System.nanoTime();
      if (sleep > 0) {
        if (pending.isEmpty()) {
          LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(MAX_SLEEP_MILLIS));
        } else {
          LockSupport.parkNanos(this, sleep);
        }
      }
      Thread.interrupted();
    }
  }
}
