package dev.ordo.runtime;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads that run lifecycle hooks. Hooks block (they open connections and files), so the
 * pool may grow to the parallelism the graph allows rather than to the number of cores; but
 * threads cost time to create (tens of microseconds each), and most hooks return at once, so the
 * pool starts as many threads as there are cores, and adds more only when work waits while the
 * running hooks make no progress for {@value #STALL_MICROS} µs: the sign that they block. Threads
 * end after a second without work.
 *
 * <p>A hook that passes its timeout may keep its thread busy forever; {@link #compensate()} adds
 * a thread so that the rest of the graph keeps its parallelism.
 */
final class WorkerPool {
  private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(1);
  static final long STALL_MICROS = 100;
  /** Threads started as soon as work needs them, before any sign that hooks block. */
  private static final int EAGER_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

  private final String namePrefix;
  private final java.util.function.Consumer<Throwable> onUnexpected;
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private int maxThreads;
  private int threads;
  private int idle;
  private int signalled;
  private int created;
  /** Tasks taken by workers so far: the watcher's measure of progress. */
  private long taken;
  /** Whether a watcher thread is looking for stalls. */
  private boolean watching;

  /**
   * @param onUnexpected told of anything a task lets escape: tasks handle the hooks' failures
   *     themselves, so an escaped throwable is a failure of the engine itself
   */
  WorkerPool(String namePrefix, int maxThreads, java.util.function.Consumer<Throwable> onUnexpected) {
    this.namePrefix = namePrefix;
    this.onUnexpected = onUnexpected;
    this.maxThreads = maxThreads;
  }

  void execute(Runnable task) {
    boolean spawn = false;
    boolean watch = false;
    synchronized (this) {
      queue.addLast(task);
      if (idle > signalled) {
        signalled++;
        notify();
      } else if (threads < maxThreads && threads < EAGER_THREADS) {
        threads++;
        spawn = true;
      } else if (threads < maxThreads && !watching) {
        watching = true;
        watch = true;
      }
    }
    if (spawn) {
      startWorker();
    }
    if (watch) {
      Thread t = new Thread(this::watch, namePrefix + "watcher");
      t.setDaemon(true);
      t.start();
    }
  }

  private void startWorker() {
    Thread t = new Thread(dev.ordo.runtime.internal.LifecycleThreads.marked(this::work), namePrefix + nextNumber());
    t.setDaemon(true);
    t.start();
  }

  /**
   * Runs while work waits and the pool may still grow: when no task was taken for a stall
   * interval, the running hooks block, and a thread is added for each waiting task (up to the
   * limit). Quick hooks keep the count of taken tasks moving, and no thread is added for them.
   */
  private void watch() {
    long seen;
    synchronized (this) {
      seen = taken;
    }
    while (true) {
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(STALL_MICROS));
      int add = 0;
      synchronized (this) {
        if (queue.isEmpty() || threads >= maxThreads) {
          watching = false;
          return;
        }
        if (taken == seen) {
          add = Math.min(queue.size(), maxThreads - threads);
          threads += add;
        }
        seen = taken;
      }
      for (int i = 0; i < add; i++) {
        startWorker();
      }
    }
  }

  /** Allows one more thread, in place of one held by a hook that passed its timeout. */
  synchronized void compensate() {
    maxThreads++;
    if (!queue.isEmpty() && idle <= signalled && threads < maxThreads) {
      threads++;
      Thread t = new Thread(dev.ordo.runtime.internal.LifecycleThreads.marked(this::work), namePrefix + (++created));
      t.setDaemon(true);
      t.start();
    }
  }

  private synchronized int nextNumber() {
    return ++created;
  }

  private void work() {
    while (true) {
      Runnable task;
      synchronized (this) {
        long deadline = System.nanoTime() + KEEP_ALIVE_NANOS;
        while (queue.isEmpty()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            threads--;
            return;
          }
          idle++;
          try {
            TimeUnit.NANOSECONDS.timedWait(this, left);
          } catch (InterruptedException e) {
            // A stale interrupt from a hook that timed out; the thread keeps serving.
          } finally {
            idle--;
            if (signalled > 0) {
              signalled--;
            }
          }
        }
        task = queue.pollFirst();
        taken++;
      }
      try {
        task.run();
      } catch (Throwable t) {
        // Tasks handle their own failures; an escaped one must not kill the worker.
        try {
          onUnexpected.accept(t);
        } catch (Throwable ignored) {
          // Nothing more can be done here; the worker keeps serving.
        }
      }
      Thread.interrupted();
    }
  }
}
