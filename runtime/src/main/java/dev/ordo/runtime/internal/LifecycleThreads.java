package dev.ordo.runtime.internal;

/**
 * Marks the threads on which the runtime calls user code — lifecycle hooks, listeners, health
 * checks — and which the runtime itself may wait for. {@code Ordo.stop()} called on such a thread
 * only requests the shutdown instead of waiting for it, since waiting there would wait for itself.
 */
public final class LifecycleThreads {
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  private LifecycleThreads() {}

  /** Whether the current thread is one the runtime may wait for. */
  public static boolean isLifecycleThread() {
    return DEPTH.get()[0] > 0;
  }

  /** Marks the current thread until the matching {@link #exit()}; calls nest. */
  public static void enter() {
    DEPTH.get()[0]++;
  }

  /** Ends the matching {@link #enter()}. */
  public static void exit() {
    DEPTH.get()[0]--;
  }

  /** A runnable that runs {@code task} on a marked thread. */
  public static Runnable marked(Runnable task) {
    return () -> {
      enter();
      try {
        task.run();
      } finally {
        exit();
      }
    };
  }
}
