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
      return t;
    });
    s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    long nanos = Math.max(1, interval.toNanos());
    s.scheduleAtFixedRate(this::publishNow, 0, nanos, TimeUnit.NANOSECONDS);
    schedule = s;
  }

  /** Stops the schedule (never blocks); a run in progress finishes on its own. */
  private ScheduledThreadPoolExecutor stop() {
    ScheduledThreadPoolExecutor s;
    synchronized (this) {
      over = true;
      s = schedule;
      schedule = null;
    }
    if (s != null) {
      s.shutdown();
    }
    return s;
  }

  /** Stops the schedule and waits until {@code deadlineNanos} at most for a run in progress. */
  void close(long deadlineNanos) {
    ScheduledThreadPoolExecutor s = stop();
    if (s == null) {
      return;
    }
    boolean interrupted = false;
    try {
      long left = deadlineNanos - System.nanoTime();
      s.awaitTermination(Math.max(0, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200))), TimeUnit.NANOSECONDS);
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
