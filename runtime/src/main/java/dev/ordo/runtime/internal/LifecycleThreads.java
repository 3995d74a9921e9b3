package dev.ordo.runtime.internal;

import java.util.ArrayList;

/**
 * Marks the threads on which the runtime calls user code — lifecycle hooks, listeners, health
 * checks — with the application they belong to. {@code Ordo.stop()} called on such a thread of
 * the same application only requests the shutdown instead of waiting for it, since waiting there
 * would wait for itself; on a thread of another application it waits as usual.
 */
public final class LifecycleThreads {
  private static final ThreadLocal<ArrayList<Object>> OWNERS = ThreadLocal.withInitial(() -> new ArrayList<>(2));

  private LifecycleThreads() {}

  /** Whether the current thread runs callbacks of {@code owner}. */
  public static boolean isCallbackThreadOf(Object owner) {
    ArrayList<Object> owners = OWNERS.get();
    for (int i = owners.size() - 1; i >= 0; i--) {
      if (owners.get(i) == owner) {
        return true;
      }
    }
    return false;
  }

  /** Marks the current thread as running callbacks of {@code owner} until the matching {@link #exit()}; calls nest. */
  public static void enter(Object owner) {
    OWNERS.get().add(owner);
  }

  /** Ends the matching {@link #enter(Object)}. */
  public static void exit() {
    ArrayList<Object> owners = OWNERS.get();
    owners.remove(owners.size() - 1);
    if (owners.isEmpty()) {
      OWNERS.remove();
    }
  }

  /** A runnable that runs {@code task} on a thread marked for {@code owner}. */
  public static Runnable marked(Object owner, Runnable task) {
    return () -> {
      enter(owner);
      try {
        task.run();
      } finally {
        exit();
      }
    };
  }
}
