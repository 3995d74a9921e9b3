package dev.ordo.runtime.engine;

import dev.ordo.runtime.internal.LifecycleThreads;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the daemon threads of one part of an application (its listeners', its health checks'),
 * marks them as the application's callback threads, and knows them, so that the shutdown can
 * wait until they are gone: after {@code stop()} returns, no thread of the application is left.
 * Internal to the runtime.
 */
public final class OwnedThreads implements ThreadFactory {
  private final String prefix;
  private final Object owner;
  private final AtomicInteger number = new AtomicInteger();
  private final Set<Thread> alive = ConcurrentHashMap.newKeySet();

  /** Threads named {@code prefix1}, {@code prefix2}, ... that run callbacks of {@code owner}. */
  public OwnedThreads(String prefix, Object owner) {
    this.prefix = prefix;
    this.owner = owner;
  }

  @Override
  public Thread newThread(Runnable r) {
    return newThread(r, prefix + number.incrementAndGet());
  }

  /** A factory of threads named {@code otherPrefix1}, ... that this object also knows and waits for. */
  public ThreadFactory named(String otherPrefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> newThread(r, otherPrefix + n.incrementAndGet());
  }

  private Thread newThread(Runnable r, String name) {
    return newThread(r, name, Thread::new);
  }

  /**
   * Like {@link #newThread(Runnable)}, with the thread made by {@code make} (a subclass that
   * carries per-thread state of its owner, e.g. the worker pool's).
   */
  <T extends Thread> T newThread(Runnable r, java.util.function.BiFunction<Runnable, String, T> make) {
    return newThread(r, prefix + number.incrementAndGet(), make);
  }

  private <T extends Thread> T newThread(Runnable r, String name, java.util.function.BiFunction<Runnable, String, T> make) {
    Runnable marked = LifecycleThreads.marked(owner, r);
    T t = make.apply(() -> {
      try {
        marked.run();
      } finally {
        alive.remove(Thread.currentThread());
      }
    }, name);
    t.setDaemon(true);
    alive.add(t);
    return t;
  }

  /**
   * Waits until every thread made here has ended, or {@code deadline} ({@link System#nanoTime()});
   * whether all had. Call after the executors using them were shut down. Interrupts are restored.
   */
  public boolean awaitGone(long deadline) {
    boolean interrupted = false;
    try {
      for (Thread t : alive.toArray(new Thread[0])) {
        while (t.isAlive()) {
          long left = Nanos.left(deadline, System.nanoTime());
          if (left == 0) {
            return false;
          }
          try {
            TimeUnit.NANOSECONDS.timedJoin(t, left == Nanos.NO_LIMIT ? TimeUnit.SECONDS.toNanos(1) : left);
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
      return true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
