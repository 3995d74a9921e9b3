package dev.ordo.it.stress;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ComponentTransition;
import dev.ordo.runtime.LifecycleListener;
import dev.ordo.runtime.ShutdownReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** What the stress tests share: a recording listener, waiting on conditions, Ordo's threads. */
public final class Stress {
  private Stress() {}

  /** Generous: only a broken promise, never a slow machine, waits this long. */
  public static final Duration PATIENCE = Duration.ofSeconds(30);

  /**
   * A listener that records what it hears ("app STARTING->RUNNING", "component Base RUNNING",
   * "shutdownCompleted") and the thread it heard it on; it may block on its first call until
   * {@link #release()}.
   */
  public static final class Recorder implements LifecycleListener {
    public final List<String> heard = new CopyOnWriteArrayList<>();
    public final Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final CountDownLatch gate;
    public final CountDownLatch entered = new CountDownLatch(1);

    public Recorder(boolean blocks) {
      this.gate = new CountDownLatch(blocks ? 1 : 0);
    }

    public void release() {
      gate.countDown();
    }

    private void hear(String what) {
      threads.add(Thread.currentThread());
      entered.countDown();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      heard.add(what);
    }

    @Override
    public void applicationStateChanged(ApplicationState from, ApplicationState to) {
      hear("app " + from + "->" + to);
    }

    @Override
    public void componentStateChanged(ComponentTransition t) {
      hear("component " + t.component().type().getSimpleName() + " " + t.from() + "->" + t.to());
    }

    @Override
    public void shutdownCompleted(ShutdownReport report) {
      hear("shutdownCompleted");
    }

    /** Whether the last thing heard is the application's end (a component's "->FAILED" is not). */
    public boolean heardFinal() {
      if (heard.isEmpty()) {
        return false;
      }
      String last = heard.get(heard.size() - 1);
      return last.startsWith("app ") && (last.endsWith("->STOPPED") || last.endsWith("->FAILED"));
    }

    /** The application transitions heard, in order. */
    public List<String> appTransitions() {
      List<String> out = new ArrayList<>();
      for (String h : heard) {
        if (h.startsWith("app ")) {
          out.add(h.substring(4));
        }
      }
      return out;
    }
  }

  /** Waits for a condition, failing after {@link #PATIENCE}. */
  public static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what);
      }
    }
  }

  /** Awaits a latch for {@link #PATIENCE}. */
  public static void await(String what, CountDownLatch latch) {
    try {
      if (!latch.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("timed out waiting for: " + what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for: " + what);
    }
  }

  /** The live threads whose names say they belong to an Ordo application. */
  public static Set<Thread> ordoThreads() {
    Set<Thread> out = new java.util.HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith("ordo")) {
        out.add(t);
      }
    }
    return out;
  }

  /** The Ordo threads alive now that were not in {@code before}, by name. */
  public static List<String> newOrdoThreads(Set<Thread> before) {
    List<String> out = new ArrayList<>();
    for (Thread t : ordoThreads()) {
      if (!before.contains(t)) {
        out.add(t.getName() + " " + t.getState());
      }
    }
    return out;
  }

  /** Calls {@code app.start()} on another thread: completes with what it threw, or {@code null}. */
  public static java.util.concurrent.CompletableFuture<Throwable> startInBackground(dev.ordo.runtime.Ordo app) {
    return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        app.start();
        return null;
      } catch (Throwable t) {
        return t;
      }
    });
  }

  /**
   * Interrupts {@code caller} over and over until it ends (counting {@code interruptedOnce} down at
   * the first interrupt, or at the end), or {@link #PATIENCE} passes; returns when the interrupting
   * thread is gone.
   */
  public static void interruptUntilDone(Thread caller, CountDownLatch interruptedOnce) throws InterruptedException {
    java.util.concurrent.atomic.AtomicBoolean interrupting = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread interrupter = new Thread(() -> {
      while (interrupting.get() && caller.isAlive()) {
        caller.interrupt();
        interruptedOnce.countDown();
        Thread.onSpinWait();
      }
      interruptedOnce.countDown();
    }, "test-interrupter");
    interrupter.start();
    caller.join(PATIENCE.toMillis());
    interrupting.set(false);
    interrupter.join(PATIENCE.toMillis());
  }

  /** Waits, ignoring interrupts, until the latch opens: a hook that hangs past its timeout. */
  public static void hangUninterruptibly(CountDownLatch release) {
    boolean interrupted = false;
    while (true) {
      try {
        release.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops {@code app}, then opens {@code release} whatever happened: the hooks it holds may end. */
  public static dev.ordo.runtime.ShutdownReport stopThenRelease(dev.ordo.runtime.Ordo app, CountDownLatch release) {
    try {
      return app.stop();
    } finally {
      release.countDown();
    }
  }
}
