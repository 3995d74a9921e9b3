package dev.ordo.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class OrdoStartupTest {
  private final ScriptedController.Script script = new ScriptedController.Script();

  private Ordo app(ScriptedController.Script.Spec... specs) {
    Ordo.Builder b = Ordo.builder();
    for (ScriptedController.Script.Spec s : specs) {
      b.controller(s.build());
    }
    return b.build();
  }

  private int indexOf(String entry) {
    int i = script.journal.indexOf(entry);
    assertTrue(i >= 0, entry + " missing from " + script.journal);
    return i;
  }

  @Test
  void startsInDependencyOrderAndStopsInReverse() {
    Ordo app = app(
        script.component("store").dependsOn("pool"),
        script.component("api").dependsOn("store", "cache"),
        script.component("pool"),
        script.component("cache"));
    app.start();
    assertEquals(ApplicationState.RUNNING, app.state());
    assertTrue(indexOf("start pool") < indexOf("start store"));
    assertTrue(indexOf("start store") < indexOf("start api"));
    assertTrue(indexOf("start cache") < indexOf("start api"));
    ShutdownReport report = app.stop();
    assertTrue(report.clean(), report::toString);
    assertEquals(ApplicationState.STOPPED, app.state());
    assertTrue(indexOf("stop api") < indexOf("stop store"));
    assertTrue(indexOf("stop store") < indexOf("stop pool"));
    assertTrue(indexOf("stop api") < indexOf("stop cache"));
    for (ComponentStatus s : app.components()) {
      assertEquals(ComponentState.STOPPED, s.state(), s.name());
    }
  }

  @Test
  void independentComponentsStartInParallel() {
    // Four independent hooks meet at a barrier: run one at a time, they would never get past it.
    CyclicBarrier barrier = new CyclicBarrier(4);
    List<ScriptedController.Script.Spec> specs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      specs.add(script.component("c" + i).onStart(c -> {
        barrier.await(30, TimeUnit.SECONDS);
        return null;
      }));
    }
    Ordo app = app(specs.toArray(new ScriptedController.Script.Spec[0]));
    assertEquals(4, app.parallelism());
    app.start();
    assertEquals(ApplicationState.RUNNING, app.state());
    app.stop();
  }

  @Test
  void independentComponentsStopInParallel() {
    CyclicBarrier barrier = new CyclicBarrier(3);
    Ordo app = app(
        script.component("a").onStop(c -> { barrier.await(30, TimeUnit.SECONDS); return null; }),
        script.component("b").onStop(c -> { barrier.await(30, TimeUnit.SECONDS); return null; }),
        script.component("c").onStop(c -> { barrier.await(30, TimeUnit.SECONDS); return null; }));
    app.start();
    ShutdownReport report = app.stop();
    assertTrue(report.clean(), report::toString);
  }

  @Test
  void optionalFailureDegradesAndSkipsHardDependentsTransitively() {
    Ordo app = app(
        script.component("index").onStart(c -> { throw new IllegalStateException("index corrupt"); }),
        script.component("search").dependsOn("index"),
        script.component("suggest").dependsOn("search"),
        script.component("checkout").dependsOnOptionally("index"),
        script.component("store").critical());
    app.start();
    assertEquals(ApplicationState.RUNNING, app.state());
    assertTrue(app.isDegraded());
    assertEquals(ComponentState.FAILED, status(app, "index").state());
    assertEquals("index corrupt", status(app, "index").failure().getMessage());
    assertEquals(ComponentState.SKIPPED, status(app, "search").state());
    assertEquals(ComponentState.SKIPPED, status(app, "suggest").state());
    assertEquals(ComponentState.RUNNING, status(app, "checkout").state());
    assertEquals(ComponentState.RUNNING, status(app, "store").state());
    assertFalse(script.journal.contains("start search"));
    app.stop();
    assertFalse(script.journal.contains("stop index"), "a failed component is not stopped");
    assertEquals(ComponentState.FAILED, status(app, "index").state());
  }

  @Test
  void asyncHookFailureCountsAsFailure() {
    Ordo app = app(script.component("async").onStart(c -> ScriptedController.fail("async boom")));
    app.start();
    assertEquals(ComponentState.FAILED, status(app, "async").state());
    assertEquals("async boom", status(app, "async").failure().getMessage());
    app.stop();
  }

  @Test
  void criticalFailureRollsBackInReverseOrderAndNamesEveryFailure() {
    // payments fails only once index is failing, so both failures are there to be named.
    CountDownLatch indexFailing = new CountDownLatch(1);
    Ordo app = app(
        script.component("pool").critical(),
        script.component("store").critical().dependsOn("pool"),
        script.component("cache"),
        script.component("index").onStart(c -> {
          indexFailing.countDown();
          throw new IllegalStateException("index corrupt");
        }),
        script.component("payments").critical().dependsOn("store", "cache").onStart(c -> {
          indexFailing.await(30, TimeUnit.SECONDS);
          throw new IllegalStateException("no payment provider");
        }),
        script.component("api").critical().dependsOn("payments"));
    StartupFailedException e = assertThrows(StartupFailedException.class, app::start);
    assertEquals(ApplicationState.FAILED, app.state());
    assertTrue(e.getMessage().contains("payments: java.lang.IllegalStateException: no payment provider"), e.getMessage());
    assertTrue(e.getMessage().contains("index: java.lang.IllegalStateException: index corrupt"), e.getMessage());
    assertTrue(e.getMessage().contains("api: "), "a skipped critical component is a failure: " + e.getMessage());
    assertTrue(e.failures().containsKey("payments"));
    assertFalse(e.interruptedByShutdown());
    assertTrue(indexOf("stop store") < indexOf("stop pool"), script.journal.toString());
    assertTrue(script.journal.contains("stop cache"));
    assertFalse(script.journal.contains("start api"));
    assertEquals(ComponentState.STOPPED, status(app, "pool").state());
    assertEquals(ComponentState.SKIPPED, status(app, "api").state());
  }

  @Test
  void criticalFailureCancelsPendingComponents() {
    // "critical" fails once "slow" runs; "slow" finishes only once the failure is known, so
    // "late" becomes ready after the startup was abandoned.
    CountDownLatch slowEntered = new CountDownLatch(1);
    CountDownLatch criticalFailed = new CountDownLatch(1);
    Ordo app = Ordo.builder()
        .controller(script.component("critical").critical().onStart(c -> {
          slowEntered.await(30, TimeUnit.SECONDS);
          throw new IllegalStateException("down");
        }).build())
        .controller(script.component("slow").onStart(c -> {
          slowEntered.countDown();
          criticalFailed.await(30, TimeUnit.SECONDS);
          return null;
        }).build())
        .controller(script.component("late").dependsOn("slow").build())
        .listener(new LifecycleListener() {
          @Override
          public void componentStateChanged(ComponentTransition t) {
            if (t.name().equals("critical") && t.to() == ComponentState.FAILED) {
              criticalFailed.countDown();
            }
          }
        })
        .build();
    assertThrows(StartupFailedException.class, app::start);
    assertFalse(script.journal.contains("start late"), script.journal.toString());
    ComponentStatus late = status(app, "late");
    assertEquals(ComponentState.SKIPPED, late.state());
    assertEquals("startup was abandoned: critical (critical) is FAILED", late.failure().getMessage());
    assertEquals(ComponentState.STOPPED, status(app, "slow").state(), "started, so rolled back");
  }

  @Test
  void hangingHookTimesOutWithoutBlockingOthers() {
    CountDownLatch release = new CountDownLatch(1);
    Ordo app = app(
        script.component("hang").startupTimeout(Duration.ofMillis(200)).onStart(c -> {
          release.await();
          return null;
        }),
        script.component("next").dependsOnOptionally("hang"),
        script.component("other"));
    app.start();
    ComponentStatus hang = status(app, "hang");
    assertEquals(ComponentState.FAILED, hang.state());
    assertInstanceOf(HookTimeoutException.class, hang.failure());
    assertEquals("hang.start() did not finish within 200ms", hang.failure().getMessage());
    assertEquals(ComponentState.RUNNING, status(app, "next").state());
    assertEquals(ComponentState.RUNNING, status(app, "other").state());
    app.stop();
    release.countDown();
  }

  @Test
  void hookThatNeverCompletesItsStageTimesOut() {
    Ordo app = app(script.component("never").startupTimeout(Duration.ofMillis(100))
        .onStart(c -> new CompletableFuture<>()));
    app.start();
    assertInstanceOf(HookTimeoutException.class, status(app, "never").failure());
    app.stop();
  }

  @Test
  void contextTellsTheHookWhereItIs() {
    List<LifecycleContext> seen = new ArrayList<>();
    Ordo app = app(script.component("ctx").onStart(c -> {
      seen.add(c);
      return null;
    }));
    app.start();
    assertEquals("ctx", seen.get(0).componentName());
    assertEquals(LifecycleContext.Phase.STARTUP, seen.get(0).phase());
    app.stop();
  }

  @Test
  void listenersSeeEveryTransitionInOrder() {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    Ordo app = Ordo.builder()
        .controller(script.component("a").build())
        .controller(script.component("b").dependsOn("a").build())
        .listener(new LifecycleListener() {
          @Override
          public void applicationStateChanged(ApplicationState from, ApplicationState to) {
            seen.add("app " + from + "->" + to);
          }

          @Override
          public void componentStateChanged(ComponentTransition t) {
            seen.add(t.name() + " " + t.from() + "->" + t.to());
          }
        })
        .build();
    app.start();
    app.stop();
    assertEquals(List.of(
        "app NEW->STARTING",
        "a PENDING->STARTING", "a STARTING->RUNNING",
        "b PENDING->STARTING", "b STARTING->RUNNING",
        "app STARTING->RUNNING",
        "app RUNNING->DRAINING", "app DRAINING->STOPPING",
        "b RUNNING->STOPPING", "b STOPPING->STOPPED",
        "a RUNNING->STOPPING", "a STOPPING->STOPPED",
        "app STOPPING->STOPPED"), seen);
  }

  @Test
  void missingDependencyInstanceIsAClearErrorAtBuild() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> app(script.component("api").dependsOn("store")));
    assertEquals("Component api depends on store, but no instance of it was given to the builder:"
        + " add .component(...) with an instance of store, make the dependency optional"
        + " (@DependsOn(value = ..., optional = true)) to start without it, or remove the @DependsOn.", e.getMessage());
  }

  @Test
  void sameComponentTwiceIsAnError() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> app(script.component("a"), script.component("a")));
    assertTrue(e.getMessage().startsWith("Component a was given twice"), e.getMessage());
  }

  @Test
  void cycleOfHandWrittenControllersIsAnErrorAtBuild() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> app(script.component("a").dependsOn("b"), script.component("b").dependsOn("a")));
    assertTrue(e.getMessage().contains("a depends on b"), e.getMessage());
    assertTrue(e.getMessage().contains("b depends on a"), e.getMessage());
  }

  @Test
  void optionalEdgeThatClosesACycleYieldsAndHardOrderHolds() {
    Ordo app = app(
        script.component("a").dependsOn("b"),
        script.component("b").dependsOnOptionally("a"),
        script.component("c").dependsOn("a"));
    app.start();
    assertTrue(indexOf("start b") < indexOf("start a"));
    assertTrue(indexOf("start a") < indexOf("start c"));
    app.stop();
    assertTrue(indexOf("stop a") < indexOf("stop b"));
  }

  @Test
  void componentWithoutGeneratedControllerIsAClearError() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Ordo.builder().component("just a string").build());
    assertTrue(e.getMessage().startsWith("No generated controller for java.lang.String"), e.getMessage());
  }

  @Test
  void startTwiceIsRejected() {
    Ordo app = app(script.component("a"));
    app.start();
    assertThrows(IllegalStateException.class, app::start);
    app.stop();
  }

  @Test
  void reportsStartTimeAndUptime() {
    Ordo app = app(script.component("a"));
    assertEquals(Duration.ZERO, app.uptime());
    app.start();
    assertTrue(app.startTime() != null);
    assertFalse(app.uptime().isNegative());
    app.stop();
  }

  @Test
  void emptyApplicationStartsAndStops() {
    Ordo app = Ordo.builder().build();
    app.start();
    assertEquals(ApplicationState.RUNNING, app.state());
    assertTrue(app.stop().clean());
  }

  @Test
  void poolIsSizedToTheGraphWithACap() {
    List<ScriptedController.Script.Spec> specs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      specs.add(script.component("c" + i));
    }
    Ordo.Builder b = Ordo.builder().startupThreads(3);
    specs.forEach(s -> b.controller(s.build()));
    assertEquals(3, b.build().parallelism());
    ScriptedController.Script chain = new ScriptedController.Script();
    Ordo linear = Ordo.builder()
        .controller(chain.component("a").build())
        .controller(chain.component("b").dependsOn("a").build())
        .controller(chain.component("c").dependsOn("b").build())
        .build();
    // The cap, not the graph's widest level: threads are added only as hooks block.
    assertEquals(3, linear.parallelism());
  }

  static ComponentStatus status(Ordo app, String name) {
    return app.components().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }
}
