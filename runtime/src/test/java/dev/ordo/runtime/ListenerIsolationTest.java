package dev.ordo.runtime;

import static dev.ordo.runtime.EngineProbe.millisSince;
import static dev.ordo.runtime.EngineProbe.sleepUninterruptibly;
import static dev.ordo.runtime.EngineProbe.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.health.CheckResult;
import dev.ordo.runtime.health.HealthStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression tests for defect 3 of issue 10: listeners never run on the engine's threads or under
 * its locks; each listener hears its notifications in order, on its own serial queue, and a
 * listener that throws or blocks hurts only itself.
 */
@Timeout(120)
class ListenerIsolationTest {
  private final ScriptedController.Script script = new ScriptedController.Script();

  /** Counts down when the application's final transition (to STOPPED or FAILED) arrives. */
  private static final class FinalTransition {
    final CountDownLatch heard = new CountDownLatch(1);

    void saw(ApplicationState to) {
      if (to == ApplicationState.STOPPED || to == ApplicationState.FAILED) {
        heard.countDown();
      }
    }

    void await() throws InterruptedException {
      assertTrue(heard.await(30, TimeUnit.SECONDS), "the listener never heard the application's end");
    }
  }

  /** Throws an AssertionError, an Error, from every callback. */
  private static final class ThrowingListener implements LifecycleListener {
    @Override
    public void applicationStateChanged(ApplicationState from, ApplicationState to) {
      throw new AssertionError("listener: " + from + " -> " + to);
    }

    @Override
    public void componentStateChanged(ComponentTransition transition) {
      throw new AssertionError("listener: " + transition);
    }

    @Override
    public void drainStarted(long inFlight) {
      throw new AssertionError("listener: drain started");
    }

    @Override
    public void drainEnded(long inFlight, Duration took) {
      throw new AssertionError("listener: drain ended");
    }

    @Override
    public void shutdownCompleted(ShutdownReport report) {
      throw new AssertionError("listener: shutdown completed");
    }
  }

  @Test
  void aListenerThatThrowsAnErrorDisturbsNothing() {
    // Defect 3: an AssertionError from a listener made start() hang or left the app in STOPPING.
    Ordo app = Ordo.builder()
        .listener(new ThrowingListener())
        .controller(script.component("a").build())
        .controller(script.component("b").dependsOn("a").build())
        .controller(script.component("c").build())
        .build();
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      app.start();
      assertEquals(ApplicationState.RUNNING, app.state());
      ShutdownReport report = app.stop();
      assertTrue(report.clean(), report::toString);
    });
    assertEquals(ApplicationState.STOPPED, app.state());
    for (ComponentStatus s : app.components()) {
      assertEquals(ComponentState.STOPPED, s.state(), s.name());
    }
  }

  @Test
  void aListenerBlockedOnATimeoutDelaysNoOtherTimeout() {
    // Defect 3: the listener sleeps 3 s on the first FAILED transition; the other component's
    // 200 ms start timeout must still fire on time (they shared the deadline thread).
    AtomicBoolean first = new AtomicBoolean(true);
    CountDownLatch never = new CountDownLatch(1);
    ScriptedController.Hook hang = c -> {
      never.await();
      return null;
    };
    Ordo app = Ordo.builder()
        .listener(new LifecycleListener() {
          @Override
          public void componentStateChanged(ComponentTransition t) {
            if (t.to() == ComponentState.FAILED && first.compareAndSet(true, false)) {
              sleepUninterruptibly(Duration.ofSeconds(3));
            }
          }
        })
        .controller(script.component("x").startupTimeout(Duration.ofMillis(200)).onStart(hang).build())
        .controller(script.component("y").startupTimeout(Duration.ofMillis(200)).onStart(hang).build())
        .controller(script.component("z").build())
        .build();
    try {
      assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
        long t0 = System.nanoTime();
        app.start();
        long tookMs = millisSince(t0);
        assertEquals(ApplicationState.RUNNING, app.state());
        assertEquals(ComponentState.FAILED, status(app, "x").state());
        assertEquals(ComponentState.FAILED, status(app, "y").state());
        assertTrue(app.isDegraded());
        assertTrue(tookMs < 2_000, "start() took " + tookMs + " ms; both timeouts are 200 ms");
      });
    } finally {
      never.countDown();
      assertTimeoutPreemptively(Duration.ofSeconds(30), app::stop);
    }
  }

  @Test
  void aListenerSleepingDuringShutdownCostsTheShutdownNothing() {
    // Defect 3: a listener that sleeps 3 s during a shutdown with a 1 s budget made stop() take 3 s.
    AtomicBoolean stopping = new AtomicBoolean();
    AtomicBoolean slept = new AtomicBoolean();
    Ordo app = Ordo.builder()
        .shutdownTimeout(Duration.ofSeconds(1))
        .listener(new LifecycleListener() {
          private void maybeSleep() {
            if (stopping.get() && slept.compareAndSet(false, true)) {
              sleepUninterruptibly(Duration.ofSeconds(3));
            }
          }

          @Override
          public void applicationStateChanged(ApplicationState from, ApplicationState to) {
            maybeSleep();
          }

          @Override
          public void componentStateChanged(ComponentTransition transition) {
            maybeSleep();
          }

          @Override
          public void drainStarted(long inFlight) {
            maybeSleep();
          }
        })
        .controller(script.component("a").build())
        .controller(script.component("b").dependsOn("a").build())
        .build();
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      app.start();
      stopping.set(true);
      long t0 = System.nanoTime();
      ShutdownReport report = app.stop();
      long tookMs = millisSince(t0);
      assertTrue(tookMs < 2_500, "stop() took " + tookMs + " ms of a 1 s budget");
      assertTrue(report.clean(), report::toString);
    });
    assertEquals(ApplicationState.STOPPED, app.state());
    assertEquals(ComponentState.STOPPED, status(app, "a").state());
    assertEquals(ComponentState.STOPPED, status(app, "b").state());
  }

  @Test
  void aSlowListenerHearsEveryTransitionInOrderAndTheEndLast() throws Exception {
    // Defect 3: a listener taking 50 ms per call saw one component's transitions out of order,
    // and some after the application's final STOPPED.
    List<String> heard = new CopyOnWriteArrayList<>();
    FinalTransition end = new FinalTransition();
    Ordo app = Ordo.builder()
        .listener(new LifecycleListener() {
          private void hear(String what) {
            heard.add(what);
            sleepUninterruptibly(Duration.ofMillis(50));
          }

          @Override
          public void applicationStateChanged(ApplicationState from, ApplicationState to) {
            hear("app " + from + "->" + to);
            end.saw(to);
          }

          @Override
          public void componentStateChanged(ComponentTransition t) {
            hear(t.name() + " " + t.from() + "->" + t.to());
          }

          @Override
          public void drainStarted(long inFlight) {
            hear("drainStarted");
          }

          @Override
          public void drainEnded(long inFlight, Duration took) {
            hear("drainEnded");
          }

          @Override
          public void shutdownCompleted(ShutdownReport report) {
            hear("shutdownCompleted");
          }

          @Override
          public void healthCheckChanged(Health.Status from, CheckResult to) {
            hear("healthCheckChanged");
          }

          @Override
          public void healthChanged(HealthStatus from, HealthStatus to) {
            hear("healthChanged");
          }
        })
        .controller(script.component("a").build())
        .controller(script.component("b").dependsOn("a").build())
        .controller(script.component("c").build())
        .controller(script.component("d").dependsOn("c").build())
        .build();
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      app.start();
      app.stop();
    });
    end.await();
    Thread.sleep(500); // anything delivered after the end would arrive within this
    List<String> calls = new ArrayList<>(heard);
    for (String c : List.of("a", "b", "c", "d")) {
      List<String> own = new ArrayList<>();
      for (String call : calls) {
        if (call.startsWith(c + " ")) {
          own.add(call.substring(c.length() + 1));
        }
      }
      assertEquals(List.of("PENDING->STARTING", "STARTING->RUNNING", "RUNNING->STOPPING", "STOPPING->STOPPED"),
          own, "transitions of " + c + " in " + calls);
    }
    List<String> application = new ArrayList<>();
    for (String call : calls) {
      if (call.startsWith("app ")) {
        application.add(call.substring(4));
      }
    }
    for (int i = 1; i < application.size(); i++) {
      String previousTo = application.get(i - 1).split("->")[1];
      assertEquals(previousTo, application.get(i).split("->")[0], "application transitions in order: " + application);
    }
    assertTrue(application.get(0).startsWith("NEW->"), application::toString);
    String last = calls.get(calls.size() - 1);
    assertTrue(last.startsWith("app ") && last.endsWith("->STOPPED"),
        "the application's final STOPPED is the last call: " + calls);
    assertEquals(1, calls.stream().filter(c -> c.endsWith("->STOPPED") && c.startsWith("app ")).count(), calls::toString);
    int completed = calls.indexOf("shutdownCompleted");
    assertTrue(completed >= 0 && completed < calls.size() - 1, "shutdownCompleted before the end: " + calls);
  }

  @Test
  void listenersNeverRunOnTheCallersOrTheHooksThreads() throws Exception {
    // Defect 3: listeners ran on the thread that called start() or stop() and on hook threads.
    Set<Thread> hookThreads = ConcurrentHashMap.newKeySet();
    Set<Thread> listenerThreads = ConcurrentHashMap.newKeySet();
    FinalTransition end = new FinalTransition();
    ScriptedController.Hook record = c -> {
      hookThreads.add(Thread.currentThread());
      return null;
    };
    Ordo app = Ordo.builder()
        .listener(new LifecycleListener() {
          @Override
          public void applicationStateChanged(ApplicationState from, ApplicationState to) {
            listenerThreads.add(Thread.currentThread());
            end.saw(to);
          }

          @Override
          public void componentStateChanged(ComponentTransition transition) {
            listenerThreads.add(Thread.currentThread());
          }

          @Override
          public void drainStarted(long inFlight) {
            listenerThreads.add(Thread.currentThread());
          }

          @Override
          public void drainEnded(long inFlight, Duration took) {
            listenerThreads.add(Thread.currentThread());
          }

          @Override
          public void shutdownCompleted(ShutdownReport report) {
            listenerThreads.add(Thread.currentThread());
          }
        })
        .controller(script.component("a").onStart(record).onStop(record).build())
        .controller(script.component("b").dependsOn("a").onStart(record).onStop(record).build())
        .controller(script.component("c").onStart(record).onStop(record).build())
        .build();
    AtomicReference<Thread> starter = new AtomicReference<>();
    AtomicReference<Thread> stopper = new AtomicReference<>();
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      starter.set(Thread.currentThread());
      app.start();
      Thread t = EngineProbe.thread("test-stopper", () -> {
        stopper.set(Thread.currentThread());
        app.stop();
      });
      t.join(20_000);
      assertFalse(t.isAlive(), "stop() did not return");
    });
    end.await();
    assertFalse(listenerThreads.isEmpty());
    Set<Thread> forbidden = new HashSet<>(hookThreads);
    forbidden.add(starter.get());
    forbidden.add(stopper.get());
    Set<String> offenders = new HashSet<>();
    for (Thread t : listenerThreads) {
      if (forbidden.contains(t)) {
        offenders.add(t.getName());
      }
    }
    assertEquals(Set.of(), offenders, "listener ran on the caller's or a hook's thread");
  }
}
