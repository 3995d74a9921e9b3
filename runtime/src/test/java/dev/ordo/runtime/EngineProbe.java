package dev.ordo.runtime;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What the engine tests observe from outside: components' statuses, the threads alive, and waits
 * that end as soon as a condition holds. Only the public API is used, so that the tests hold
 * whatever shape the engine takes inside.
 */
final class EngineProbe {
  /** The name of every thread an application starts: {@code ordo-<n>-...}. */
  static final Pattern ORDO_THREAD = Pattern.compile("ordo-\\d+-.*");

  private EngineProbe() {}

  static ComponentStatus status(Ordo app, String name) {
    return app.components().stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no component " + name + " in " + app.components()));
  }

  /** Waits until {@code condition} holds, failing after {@code timeout} with {@code what}. */
  static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        fail("Timed out after " + timeout.toMillis() + " ms waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  /** Every thread alive now. */
  static Set<Thread> liveThreads() {
    return new HashSet<>(Thread.getAllStackTraces().keySet());
  }

  /**
   * The names of the threads alive now that were not alive in {@code before} and whose name
   * matches {@code name}, after waiting up to {@code patience} for them to end.
   */
  static List<String> newThreadsStillAlive(Set<Thread> before, Predicate<String> name, Duration patience)
      throws InterruptedException {
    long end = System.nanoTime() + patience.toNanos();
    while (true) {
      List<String> alive = new ArrayList<>();
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.isAlive() && !before.contains(t) && name.test(t.getName())) {
          alive.add(t.getName() + " (" + t.getState() + ")");
        }
      }
      if (alive.isEmpty() || System.nanoTime() - end > 0) {
        return alive;
      }
      Thread.sleep(20);
    }
  }

  /** Sleeps for {@code d} whatever interrupts arrive, then restores the interrupt status. */
  static void sleepUninterruptibly(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    boolean interrupted = false;
    long left;
    while ((left = end - System.nanoTime()) > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(left);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether {@code message} shows {@code d} in one of the usual forms ({@code 2s}, {@code 2000ms}, {@code PT2S}). */
  static boolean mentionsDuration(String message, Duration d) {
    List<String> forms = new ArrayList<>();
    forms.add(d.toString());
    forms.add(d.toMillis() + "ms");
    forms.add(d.toMillis() + " ms");
    if (d.toMillis() % 1000 == 0) {
      forms.add(d.toSeconds() + "s");
      forms.add(d.toSeconds() + " s");
    }
    for (String f : forms) {
      if (message.contains(f)) {
        return true;
      }
    }
    return false;
  }

  /** Starts a daemon thread named {@code name} running {@code body}. */
  static Thread thread(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
