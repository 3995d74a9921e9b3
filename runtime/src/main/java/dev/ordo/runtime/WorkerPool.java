package dev.ordo.runtime;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The threads that run lifecycle hooks. Hooks block (they open connections and files), so the
 * pool is sized to the parallelism the graph allows rather than to the number of cores; threads
 * are created only when a task finds no idle one, and end after a second without work.
 *
 * <p>A hook that passes its timeout may keep its thread busy forever; {@link #compensate()} adds
 * a thread so that the rest of the graph keeps its parallelism.
 */
final class WorkerPool {
  private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String namePrefix;
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private int maxThreads;
  private int threads;
  private int idle;
  private int signalled;
  private int created;

  WorkerPool(String namePrefix, int maxThreads) {
    this.namePrefix = namePrefix;
    this.maxThreads = maxThreads;
  }

  void execute(Runnable task) {
    boolean spawn = false;
    synchronized (this) {
      queue.addLast(task);
      if (idle > signalled) {
        signalled++;
        notify();
      } else if (threads < maxThreads) {
        threads++;
        spawn = true;
      }
    }
    if (spawn) {
      Thread t = new Thread(this::work, namePrefix + nextNumber());
      t.setDaemon(true);
      t.start();
    }
  }

  /** Allows one more thread, in place of one held by a hook that passed its timeout. */
  synchronized void compensate() {
    maxThreads++;
    if (!queue.isEmpty() && idle <= signalled && threads < maxThreads) {
      threads++;
      Thread t = new Thread(this::work, namePrefix + (++created));
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
      }
      try {
        task.run();
      } catch (Throwable t) {
        // Tasks handle their own failures; an escaped one must not kill the worker.
        System.getLogger(WorkerPool.class.getName())
            .log(System.Logger.Level.ERROR, "Unexpected error in a lifecycle task", t);
      }
      Thread.interrupted();
    }
  }
}
