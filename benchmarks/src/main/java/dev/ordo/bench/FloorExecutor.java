package dev.ordo.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The hand-written floor of a parallel lifecycle engine: a dependency-counting scheduler on a
 * fixed pool, with no timeouts, states, listeners or reports. Starts run each component once all
 * its dependencies started; stops run in reverse. Its pool is created by {@link #start()} and ended
 * by {@link #stop()}, as an engine's own pool would be.
 */
public final class FloorExecutor {
  private static final int[] NONE = new int[0];

  private final Hook[] hooks;
  private final int[][] dependencies;
  private final int[][] dependents;
  private final int threads;
  private ThreadPoolExecutor pool;

  public FloorExecutor(Hook[] hooks, int[][] dependencies, int threads) {
    this.hooks = hooks;
    this.dependencies = dependencies;
    this.threads = threads;
    int n = hooks.length;
    int[] count = new int[n];
    for (int[] deps : dependencies) {
      for (int d : deps) {
        count[d]++;
      }
    }
    dependents = new int[n][];
    for (int i = 0; i < n; i++) {
      dependents[i] = count[i] == 0 ? NONE : new int[count[i]];
    }
    int[] fill = new int[n];
    for (int i = 0; i < n; i++) {
      for (int d : dependencies[i]) {
        dependents[d][fill[d]++] = i;
      }
    }
  }

  /** No dependencies at all: the flat scenario. */
  public static int[][] independent(int n) {
    int[][] deps = new int[n][];
    java.util.Arrays.fill(deps, NONE);
    return deps;
  }

  /** Each component depends on the one before it. */
  public static int[][] chain(int n) {
    int[][] deps = new int[n][];
    deps[0] = NONE;
    for (int i = 1; i < n; i++) {
      deps[i] = new int[] {i - 1};
    }
    return deps;
  }

  public void start() throws InterruptedException {
    AtomicInteger number = new AtomicInteger();
    pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "floor-" + number.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    new Pass(true).run();
  }

  public void stop() throws InterruptedException {
    new Pass(false).run();
    pool.shutdown();
  }

  /** One walk of the graph, forwards (start) or backwards (stop). */
  private final class Pass {
    private final boolean forward;
    private final int[][] waitFor;
    private final int[][] release;
    private final AtomicIntegerArray left;
    private final AtomicInteger done = new AtomicInteger();
    private final CountDownLatch finished = new CountDownLatch(1);

    Pass(boolean forward) {
      this.forward = forward;
      this.waitFor = forward ? dependencies : dependents;
      this.release = forward ? dependents : dependencies;
      this.left = new AtomicIntegerArray(hooks.length);
    }

    void run() throws InterruptedException {
      int n = hooks.length;
      if (n == 0) {
        return;
      }
      for (int i = 0; i < n; i++) {
        left.set(i, waitFor[i].length);
      }
      for (int i = 0; i < n; i++) {
        if (waitFor[i].length == 0) {
          pool.execute(new Task(i));
        }
      }
      finished.await();
    }

    private final class Task implements Runnable {
      private final int i;

      Task(int i) {
        this.i = i;
      }

      @Override
      public void run() {
        if (forward) {
          hooks[i].start();
        } else {
          hooks[i].stop();
        }
        for (int d : release[i]) {
          if (left.decrementAndGet(d) == 0) {
            pool.execute(new Task(d));
          }
        }
        if (done.incrementAndGet() == hooks.length) {
          finished.countDown();
        }
      }
    }
  }
}
