package dev.ordo.runtime.events;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The correlation id of the operation the current thread is running: what ties the events of one
 * request, message or job together (the {@code correlationid} attribute of their CloudEvents).
 *
 * <p>A generated operation method ({@code CheckoutService_Events.checkout(id, work)}) makes its id
 * current for the duration of {@code work}; an operation nested in it on the same thread, called
 * without an id, inherits it. Threads do not inherit it: pass it explicitly, with {@link #wrap}
 * or {@link #call}:
 *
 * <pre>{@code
 * events.checkout(requestId, () -> {
 *   String id = Correlation.current();                       // requestId
 *   executor.submit(Correlation.wrap(() -> audit.record()));  // runs with requestId on the pool
 *   return store.place(order);
 * });
 * }</pre>
 *
 * @since 0.1
 */
public final class Correlation {
  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  private Correlation() {}

  /** The current thread's correlation id, or {@code null} outside any operation. */
  public static String current() {
    return CURRENT.get();
  }

  /** A new random correlation id: 32 hex digits (128 bits), cheaper than a {@code UUID}. */
  public static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] hex = new char[32];
    long hi = random.nextLong();
    long lo = random.nextLong();
    for (int i = 0; i < 16; i++) {
      hex[i] = Character.forDigit((int) (hi >>> (60 - 4 * i)) & 0xf, 16);
      hex[16 + i] = Character.forDigit((int) (lo >>> (60 - 4 * i)) & 0xf, 16);
    }
    return new String(hex);
  }

  /** {@code id} if given, else the current id, else a new one. */
  static String resolve(String id) {
    if (id != null && !id.isEmpty()) {
      return id;
    }
    String current = CURRENT.get();
    return current != null ? current : newId();
  }

  /** Runs {@code work} with {@code id} current on this thread, then restores the previous id. */
  public static <T> T call(String id, Callable<T> work) throws Exception {
    Objects.requireNonNull(work, "work");
    String previous = enter(id);
    try {
      return work.call();
    } finally {
      CURRENT.set(previous);
    }
  }

  /** Runs {@code work} with {@code id} current on this thread, then restores the previous id. */
  public static void run(String id, Runnable work) {
    Objects.requireNonNull(work, "work");
    String previous = enter(id);
    try {
      work.run();
    } finally {
      CURRENT.set(previous);
    }
  }

  /** {@code work} bound to the current correlation id, to run on another thread. */
  public static Runnable wrap(Runnable work) {
    Objects.requireNonNull(work, "work");
    String id = CURRENT.get();
    return id == null ? work : () -> run(id, work);
  }

  /** {@code work} bound to the current correlation id, to run on another thread. */
  public static <T> Callable<T> wrap(Callable<T> work) {
    Objects.requireNonNull(work, "work");
    String id = CURRENT.get();
    return id == null ? work : () -> call(id, work);
  }

  /** Makes {@code id} current and returns the previous one, to give back to {@link #exit}. */
  static String enter(String id) {
    String previous = CURRENT.get();
    CURRENT.set(id);
    return previous;
  }

  static void exit(String previous) {
    CURRENT.set(previous);
  }
}
