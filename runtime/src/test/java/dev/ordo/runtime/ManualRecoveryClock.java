package dev.ordo.runtime;

import dev.ordo.runtime.engine.HookInvoker;
import dev.ordo.runtime.engine.RecoveryClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A clock for retries that only moves when a test says so: {@link #advance} runs what became due,
 * on the test's thread (the engine's timers only hand the attempt to its worker pool). So a backoff
 * of a minute takes no time, and a test never sleeps to wait for one.
 */
final class ManualRecoveryClock implements RecoveryClock {
  /** One scheduled action. */
  private record Timer(long at, Runnable action) {}

  private long now = TimeUnit.HOURS.toNanos(1);
  private final List<Timer> timers = new ArrayList<>();
  /** Every delay scheduled so far (from the moment it was scheduled), in order. */
  private final List<Duration> delays = new ArrayList<>();

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized HookInvoker.Scheduled schedule(long at, Runnable action) {
    Timer t = new Timer(at, action);
    timers.add(t);
    delays.add(Duration.ofNanos(at - now));
    notifyAll();
    return () -> {
      synchronized (this) {
        timers.remove(t);
      }
    };
  }

  /** How many actions are scheduled and not yet run or cancelled. */
  synchronized int pending() {
    return timers.size();
  }

  /** The delays scheduled so far, in order. */
  synchronized List<Duration> delays() {
    return List.copyOf(delays);
  }

  /** Waits (in real time, at most {@code timeout}) until {@code count} delays were scheduled in all; returns the last. */
  synchronized Duration awaitScheduled(int count, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (delays.size() < count) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("only " + delays.size() + " of " + count + " retries were scheduled: " + delays);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return delays.get(count - 1);
  }

  /** Moves the clock by {@code d} and runs, in order of their time, the actions that became due. */
  void advance(Duration d) {
    List<Timer> due = new ArrayList<>();
    synchronized (this) {
      now += d.toNanos();
      for (Timer t : timers) {
        if (t.at() - now <= 0) {
          due.add(t);
        }
      }
      timers.removeAll(due);
    }
    due.sort(Comparator.comparingLong(Timer::at));
    for (Timer t : due) {
      t.action().run();
    }
  }

  /** Moves the clock to the earliest pending action and runs what is due then. */
  void advanceToNext() {
    long next;
    synchronized (this) {
      if (timers.isEmpty()) {
        throw new AssertionError("nothing is scheduled");
      }
      next = timers.stream().mapToLong(Timer::at).min().getAsLong();
    }
    advance(Duration.ofNanos(Math.max(0, next - nanoTime())));
  }
}
