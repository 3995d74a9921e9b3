package dev.ordo.runtime;

import static dev.ordo.runtime.EngineProbe.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How the engine hands ready hooks to its workers: many ready hooks go to the pool as one batch, a
 * worker runs the dependent (or, when stopping, the dependency) its hook released itself, and each
 * worker keeps the deadline of the hook it runs in a slot of its own. None of this may let a hook
 * that blocks hold back a ready one while {@code ordo.startup.threads} allows another thread, nor
 * lose or misplace a deadline. The waits below are barriers between hooks: if a blocked hook held
 * the others back, they would never meet and the barrier (or the test's timeout) would fail; no
 * assertion depends on the machine's speed.
 */
@Timeout(120)
class HandOffTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private final ScriptedController.Script script = new ScriptedController.Script();

  private static ScriptedController.Hook meetAt(CyclicBarrier barrier) {
    return c -> {
      barrier.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      return null;
    };
  }

  private static void assertAll(Ordo app, ComponentState state, int n, String prefix) {
    for (int i = 0; i < n; i++) {
      ComponentStatus s = status(app, prefix + i);
      assertEquals(state, s.state(), prefix + i + ": " + s);
    }
  }

  @Test
  void readyRootsWhoseHooksBlockStillStartTogetherUpToTheCap() {
    // 40 roots handed over as one batch; each start hook blocks until all 40 run at once, which
    // needs 40 threads: a blocked hook must not hold back the rest of its batch.
    int n = 40;
    CyclicBarrier all = new CyclicBarrier(n);
    Ordo.Builder b = Ordo.builder().startupThreads(n);
    for (int i = 0; i < n; i++) {
      b.controller(script.component("r" + i).onStart(meetAt(all)).build());
    }
    Ordo app = b.build();
    assertTimeoutPreemptively(PATIENCE.multipliedBy(2), () -> {
      app.start();
      assertEquals(ApplicationState.RUNNING, app.state());
      assertAll(app, ComponentState.RUNNING, n, "r");
      assertTrue(app.stop().clean());
    });
  }

  @Test
  void dependentsReleasedTogetherStartTogetherWhileTheOneRunInlineBlocks() {
    // a releases d0..d7 at once: its worker keeps one to start itself, the others go to the pool.
    // Every dependent's hook blocks until all eight run: the one run inline must not hold back
    // the seven others, which get threads of their own up to the cap.
    int n = 8;
    CyclicBarrier all = new CyclicBarrier(n);
    Ordo.Builder b = Ordo.builder().startupThreads(n + 1);
    b.controller(script.component("a").build());
    for (int i = 0; i < n; i++) {
      b.controller(script.component("d" + i).dependsOn("a").onStart(meetAt(all)).build());
    }
    Ordo app = b.build();
    assertTimeoutPreemptively(PATIENCE.multipliedBy(2), () -> {
      app.start();
      assertEquals(ApplicationState.RUNNING, app.state());
      assertAll(app, ComponentState.RUNNING, n, "d");
      assertTrue(app.stop().clean());
    });
  }

  @Test
  void aChainRunInlineStillStartsAndStopsInOrder() {
    // Each start releases exactly one dependent, which its worker starts itself: the order of the
    // chain holds both ways, and a chain much longer than a stack could recurse is no problem.
    int n = 20_000;
    Ordo.Builder b = Ordo.builder();
    for (int i = 0; i < n; i++) {
      ScriptedController.Script.Spec c = script.component("c" + i);
      if (i > 0) {
        c.dependsOn("c" + (i - 1));
      }
      b.controller(c.build());
    }
    Ordo app = b.build();
    assertTimeoutPreemptively(PATIENCE.multipliedBy(2), () -> {
      app.start();
      assertEquals(ApplicationState.RUNNING, app.state());
      ShutdownReport report = app.stop();
      assertTrue(report.clean(), report.toString());
    });
    java.util.Map<String, Integer> at = new java.util.HashMap<>();
    for (int k = 0; k < script.journal.size(); k++) {
      at.putIfAbsent(script.journal.get(k), k);
    }
    assertEquals(2 * n, at.size(), "each component started and stopped once");
    for (int i = 1; i < n; i++) {
      assertTrue(at.get("start c" + (i - 1)) < at.get("start c" + i), "start " + i);
      assertTrue(at.get("stop c" + i) < at.get("stop c" + (i - 1)), "stop " + i);
    }
  }

  @Test
  void stopHooksOfABatchThatBlockStillStopTogetherUpToTheCap() {
    // 16 independent components stop as one batch; each stop hook blocks until all 16 run at once.
    int n = 16;
    CyclicBarrier all = new CyclicBarrier(n);
    Ordo.Builder b = Ordo.builder().startupThreads(n);
    for (int i = 0; i < n; i++) {
      b.controller(script.component("s" + i).onStop(meetAt(all)).build());
    }
    Ordo app = b.build();
    assertTimeoutPreemptively(PATIENCE.multipliedBy(2), () -> {
      app.start();
      ShutdownReport report = app.stop();
      assertTrue(report.clean(), report.toString());
      assertAll(app, ComponentState.STOPPED, n, "s");
    });
  }

  @Test
  void aStageThatOutlivesItsHookKeepsItsDeadlineAndLeavesTheNextHookItsOwn() {
    // One worker: "slow" and "async" return stages that have not completed (so their deadlines
    // must outlive the worker's move to other hooks); "slow" never completes and times out. Then
    // the same worker runs "hang", which completes "async"'s stage (ending that call on this very
    // thread, while its own deadline is armed) and blocks until interrupted: the late completion
    // must not cancel the deadline of the hook that runs now.
    CompletableFuture<Void> asyncStage = new CompletableFuture<>();
    Ordo app = Ordo.builder().startupThreads(1)
        .controller(script.component("slow").startupTimeout(Duration.ofMillis(300))
            .onStart(c -> new CompletableFuture<Void>()).build())
        .controller(script.component("fast").dependsOn("slow").startupTimeout(Duration.ofSeconds(60)).build())
        .controller(script.component("async").startupTimeout(Duration.ofSeconds(60))
            .onStart(c -> asyncStage).build())
        .controller(script.component("hang").dependsOnOptionally("slow").startupTimeout(Duration.ofMillis(300))
            .onStart(c -> {
              asyncStage.complete(null);
              Thread.sleep(PATIENCE.toMillis());
              return null;
            }).build())
        .build();
    assertTimeoutPreemptively(PATIENCE, () -> {
      app.start();
      assertEquals(ComponentState.FAILED, status(app, "slow").state());
      assertInstanceOf(HookTimeoutException.class, status(app, "slow").failure());
      assertEquals(ComponentState.SKIPPED, status(app, "fast").state());
      assertEquals(ComponentState.RUNNING, status(app, "async").state());
      assertEquals(ComponentState.FAILED, status(app, "hang").state());
      assertInstanceOf(HookTimeoutException.class, status(app, "hang").failure());
      app.stop();
    });
  }

  @Test
  void aLargeFlatGraphOfNoOpHooksStillUsesNoMoreThreadsThanCores() {
    // Large batches get a thread per core at once; still never more than the cores.
    Set<Thread> hookThreads = ConcurrentHashMap.newKeySet();
    Ordo.Builder b = Ordo.builder();
    for (int i = 0; i < 3000; i++) {
      b.controller(script.component("n" + i).onStart(c -> {
        hookThreads.add(Thread.currentThread());
        return null;
      }).onStop(c -> {
        hookThreads.add(Thread.currentThread());
        return null;
      }).build());
    }
    Ordo app = b.build();
    assertTimeoutPreemptively(PATIENCE, () -> {
      app.start();
      assertTrue(app.stop().clean());
    });
    int cores = Runtime.getRuntime().availableProcessors();
    assertTrue(hookThreads.size() <= cores,
        hookThreads.size() + " threads ran 3000 no-op hooks on " + cores + " cores");
  }

  @Test
  void aHookThatHangsInABatchTimesOutAndTheRestOfTheBatchStarts() throws Exception {
    // One worker at most: the batch's first hook hangs past its timeout; the deadline kept in the
    // worker's slot fires, a thread is added in place of the held one, and the rest starts.
    CountDownLatch release = new CountDownLatch(1);
    Ordo.Builder b = Ordo.builder().startupThreads(1);
    b.controller(script.component("h0").startupTimeout(Duration.ofMillis(200)).onStart(c -> {
      release.await(); // ignores nothing: the timeout's interrupt ends it
      return null;
    }).build());
    for (int i = 1; i < 30; i++) {
      b.controller(script.component("h" + i).build());
    }
    Ordo app = b.build();
    try {
      assertTimeoutPreemptively(PATIENCE, () -> {
        app.start();
        assertEquals(ComponentState.FAILED, status(app, "h0").state());
        assertInstanceOf(HookTimeoutException.class, status(app, "h0").failure());
        for (int i = 1; i < 30; i++) {
          assertEquals(ComponentState.RUNNING, status(app, "h" + i).state(), "h" + i);
          assertNull(status(app, "h" + i).failure());
        }
        app.stop();
      });
    } finally {
      release.countDown();
    }
  }
}
