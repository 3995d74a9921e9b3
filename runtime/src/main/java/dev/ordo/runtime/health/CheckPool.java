package dev.ordo.runtime.health;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The daemon threads that run health checks: as many as there are checks, at most
 * {@value #MAX_BASE}, created on demand and ended when idle. A check that passes its timeout may
 * hold its thread for good; {@link #compensate()} adds a thread in its place until it returns
 * ({@link #release()}), so that hanging checks never starve the others. Since one check never
 * runs twice at once, the pool never grows past the number of checks plus {@value #MAX_BASE}.
 */
final class CheckPool {
  static final int MAX_BASE = 8;

  private final ThreadPoolExecutor executor;
  private final int base;
  private int stuck;

  CheckPool(java.util.concurrent.ThreadFactory threads, int checks) {
    this.base = Math.max(1, Math.min(MAX_BASE, checks));
    this.executor = new ThreadPoolExecutor(base, base, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
    executor.allowCoreThreadTimeOut(true);
  }

  void execute(Runnable task) {
    executor.execute(task);
  }

  /** One more thread, in place of one held by a check that passed its timeout. */
  synchronized void compensate() {
    stuck++;
    // Grow the maximum first: the core size may never exceed it.
    executor.setMaximumPoolSize(base + stuck);
    executor.setCorePoolSize(base + stuck);
  }

  /** A check that had passed its timeout returned: its thread is available again. */
  synchronized void release() {
    stuck--;
    executor.setCorePoolSize(base + stuck);
    executor.setMaximumPoolSize(base + stuck);
  }

  /** Threads now alive (for tests). */
  int threads() {
    return executor.getPoolSize();
  }

  void shutdownNow() {
    executor.shutdownNow();
  }

  void awaitTermination(long nanos) throws InterruptedException {
    executor.awaitTermination(nanos, TimeUnit.NANOSECONDS);
  }
}
