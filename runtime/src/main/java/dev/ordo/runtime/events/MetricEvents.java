package dev.ordo.runtime.events;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.LifecycleListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The {@code <prefix>.metric.recorded} events ({@code ordo.events.metrics-interval}): a snapshot of
 * the application's own figures, every interval while it runs, and a last one when it shuts down,
 * after its components stopped ({@link EventPublisher#finish}).
 *
 * <p>Threads: the engine calls this observer inline on the threads that change the application's
 * state; it only starts or stops the schedule, which never blocks. The schedule runs on one daemon
 * thread of its own ({@code <application>-metrics}), which reads the snapshot (statuses, counters:
 * no user code, no lock of the engine held while it publishes) and offers the event, which never
 * blocks either; a snapshot that throws is logged and the schedule goes on. The schedule starts
 * when the application is RUNNING and stops when its shutdown begins; {@link #close} waits for a
 * run in progress a short while, so that no metrics thread outlives the shutdown.
 */
final class MetricEvents implements LifecycleListener {
  private static final System.Logger LOG = System.getLogger("dev.ordo.runtime.events");

  private final EventPublisher publisher;
  private final Duration interval;
  private final Supplier<Map<String, Object>> snapshot;
  private final String threadName;
  /** Guarded by this: the schedule, while it runs. */
  private ScheduledThreadPoolExecutor schedule;
  /** Guarded by this: the shutdown began; the schedule never starts again. */
  private boolean over;
  /** Guarded by this: the schedule after it was stopped, which {@link #close} waits for. */
  private ScheduledThreadPoolExecutor stopped;
  /** Guarded by this: the first snapshot's task, which {@link #close} waits for within the budget. */
  private java.util.concurrent.Future<?> first;
  /**
   * The schedule's one thread, set by its thread factory (which runs on whichever thread first
   * submits a task: the one in {@link #start}) and read by {@link #close} on the shutdown's thread,
   * which joins it so that it is gone when {@code stop()} returns.
   */
  private volatile Thread thread;

  MetricEvents(EventPublisher publisher, Duration interval, Supplier<Map<String, Object>> snapshot, String threadName) {
    this.publisher = publisher;
    this.interval = interval;
    this.snapshot = snapshot;
    this.threadName = threadName;
  }

  @Override
  public void applicationStateChanged(ApplicationState from, ApplicationState to) {
    if (to == ApplicationState.RUNNING) {
      start();
    } else if (to != ApplicationState.STARTING) {
      stop();
    }
  }

  private synchronized void start() {
    if (over || schedule != null) {
      return;
    }
    ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      thread = t;
      return t;
    });
    // The first snapshot, "as it becomes RUNNING", is a one-shot task that a shutdown beginning at
    // once does not cancel (close() waits for it, shortly, before the last snapshot is offered); the
    // periodic ones after it are cancelled by the shutdown.
    s.setExecuteExistingDelayedTasksAfterShutdownPolicy(true);
    s.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    // An interval past a long of nanoseconds (some 292 years; 3000000h parses) means "not again":
    // toNanos() would throw here, on the thread that made the application RUNNING.
    long nanos = interval.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE
        : Math.max(1, interval.toNanos());
    first = s.submit(this::publishNow);
    s.scheduleAtFixedRate(this::publishNow, nanos, nanos, TimeUnit.NANOSECONDS);
    schedule = s;
  }

  /**
   * Stops the schedule (never blocks); a run in progress finishes on its own. Returns the schedule
   * even when an earlier call stopped it (the application's move to STOPPING does, on a listener
   * thread, before the shutdown's {@link #close}), so that close still waits for its thread.
   */
  private ScheduledThreadPoolExecutor stop() {
    ScheduledThreadPoolExecutor s;
    synchronized (this) {
      over = true;
      s = schedule != null ? schedule : stopped;
      stopped = s;
      schedule = null;
    }
    if (s != null) {
      s.shutdown();
    }
    return s;
  }

  /** Stops the schedule and waits until {@code deadlineNanos} at most for a run in progress. */
  void close(long deadlineNanos) {
    java.util.concurrent.Future<?> firstSnapshot;
    synchronized (this) {
      firstSnapshot = first;
    }
    ScheduledThreadPoolExecutor s = stop();
    if (s == null) {
      return;
    }
    boolean interrupted = false;
    try {
      if (firstSnapshot != null) {
        // The snapshot "as it becomes RUNNING" is promised even to a stop that follows at once: it
        // reads counters only (no user code, no lock held long), so it is waited for within the
        // shutdown's budget, however late a loaded machine schedules its thread.
        try {
          firstSnapshot.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
            | java.util.concurrent.CancellationException e) {
          // Failed (logged by publishNow) or out of budget: the last snapshot is offered all the same.
        }
      }
      // Within the budget, not a fixed grace: the thread runs no user code, so it ends promptly, but a
      // loaded machine may schedule its exit late, and the thread must be gone when stop() returns.
      long until = System.nanoTime() + Math.max(0, deadlineNanos - System.nanoTime());
      if (s.awaitTermination(until - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        // Terminated means its last task ended; the thread itself exits just after: wait for that too.
        Thread t = thread;
        long left = until - System.nanoTime();
        if (t != null && left > 0) {
          TimeUnit.NANOSECONDS.timedJoin(t, left);
        }
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void publishNow() {
    try {
      publisher.offer(event(), false);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "Could not take the metrics snapshot for " + publisher.type("metric.recorded"), e);
    }
  }

  /** A {@code metric.recorded} event with the snapshot now. */
  Event event() {
    return publisher.event(publisher.type("metric.recorded"), null, publisher.runId(),
        java.util.Collections.unmodifiableMap(snapshot.get()));
  }
}
