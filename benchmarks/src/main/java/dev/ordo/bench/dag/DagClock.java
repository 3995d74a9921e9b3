package dev.ordo.bench.dag;

import java.util.concurrent.TimeUnit;

/** Records when each DAG component's 5 ms startup began and ended, for every system alike. */
public final class DagClock {
  public static final long HOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final int SIZE = DagShape.DEPENDENCIES.length;
  private static final long[] BEGAN = new long[SIZE];
  private static final long[] ENDED = new long[SIZE];

  private DagClock() {}

  /** The startup hook of component {@code i}: a blocking 5 ms, like opening a connection. */
  public static void hook(int i) {
    BEGAN[i] = System.nanoTime();
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ENDED[i] = System.nanoTime();
  }

  public static synchronized void reset() {
    java.util.Arrays.fill(BEGAN, 0);
    java.util.Arrays.fill(ENDED, 0);
  }

  /** Copies of the timestamps; the hooks' writes happen-before the startup's completion. */
  public static synchronized long[][] snapshot() {
    return new long[][] {BEGAN.clone(), ENDED.clone()};
  }
}
