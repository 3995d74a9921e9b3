package dev.ordo.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How the worker pool grows when hooks block: it doubles while nothing ends, and the threads it
 * adds are started partly by threads it started before (a tree), not all by the thread that
 * noticed. None of that may pass {@code ordo.startup.threads}, or leave a thread of the
 * application alive once {@code stop()} returned, even when {@code stop()} comes while threads
 * are still being started. No assertion depends on the machine's speed: the hooks meet at
 * barriers or wait for latches.
 */
@Timeout(120)
class ThreadGrowthTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private final ScriptedController.Script script = new ScriptedController.Script();

  @Test
  void blockedRootsGetEveryThreadTheCapAllowsAndNoMore() throws Exception {
    // 60 roots whose hooks block; the cap is 12. The first 12 meet at a barrier (which needs 12
    // threads at once, so the pool must grow to the cap); no hook ever runs on a 13th thread.
    int n = 60;
    int cap = 12;
    CyclicBarrier twelve = new CyclicBarrier(cap);
    AtomicInteger started = new AtomicInteger();
    Set<Thread> hookThreads = ConcurrentHashMap.newKeySet();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger mostInside = new AtomicInteger();
    Ordo.Builder b = Ordo.builder().startupThreads(cap);
    for (int i = 0; i < n; i++) {
      b.controller(script.component("r" + i).onStart(c -> {
        hookThreads.add(Thread.currentThread());
        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        try {
          if (started.incrementAndGet() <= cap) {
            twelve.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
          } else {
            Thread.sleep(1);
          }
        } finally {
          inside.decrementAndGet();
        }
        return null;
      }).build());
    }
    Ordo app = b.build();
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    app.start();
    assertEquals(ApplicationState.RUNNING, app.state());
    assertTrue(app.stop().clean());
    assertEquals(n, started.get());
    assertTrue(hookThreads.size() <= cap, hookThreads.size() + " threads ran hooks; the cap is " + cap);
    assertTrue(mostInside.get() <= cap, mostInside.get() + " hooks ran at once; the cap is " + cap);
    assertEquals(List.of(), ThreadHygieneTest.newOrdoThreads(before));
  }

  @Test
  void aWideGraphOfBlockingHooksGetsAThreadPerReadyHookAndLeavesNoneBehind() throws Exception {
    // Three levels of 24 whose hooks block until the whole level runs at once: each level needs
    // 24 threads together (the cap of 64 allows them), which the pool must reach by doubling.
    int width = 24;
    CyclicBarrier[] level = {new CyclicBarrier(width), new CyclicBarrier(width), new CyclicBarrier(width)};
    Ordo.Builder b = Ordo.builder();
    for (int l = 0; l < 3; l++) {
      for (int i = 0; i < width; i++) {
        CyclicBarrier meet = level[l];
        ScriptedController.Script.Spec c = script.component("c" + l + "-" + i).onStart(ctx -> {
          meet.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
          return null;
        });
        if (l > 0) {
          c.dependsOn("c" + (l - 1) + "-" + i).dependsOn("c" + (l - 1) + "-" + ((i + 1) % width));
        }
        b.controller(c.build());
      }
    }
    Ordo app = b.build();
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    app.start();
    assertEquals(ApplicationState.RUNNING, app.state());
    for (int l = 0; l < 3; l++) {
      for (int i = 0; i < width; i++) {
        assertEquals(ComponentState.RUNNING, EngineProbe.status(app, "c" + l + "-" + i).state());
      }
    }
    assertTrue(app.stop().clean());
    assertEquals(List.of(), ThreadHygieneTest.newOrdoThreads(before));
  }

  @Test
  void aStopWhileThreadsAreStillBeingStartedLeavesNoThreadAlive() throws Exception {
    // 64 roots whose hooks block until interrupted or released: the pool grows towards 64 while
    // stop() comes from another thread as soon as the first hook runs, so threads are being
    // started (some by other new threads) while the shutdown closes the pool. Whatever the
    // interleaving, no thread of the application is alive once stop() returned.
    for (int round = 0; round < 10; round++) {
      int n = 64;
      CountDownLatch firstHook = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Ordo.Builder b = Ordo.builder().shutdownTimeout(Duration.ofSeconds(30));
      for (int i = 0; i < n; i++) {
        b.controller(script.component("x" + round + "-" + i).startupTimeout(Duration.ofSeconds(30)).onStart(c -> {
          firstHook.countDown();
          release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
          return null;
        }).build());
      }
      Ordo app = b.build();
      Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
      CompletableFuture<Throwable> starting = CompletableFuture.supplyAsync(() -> {
        try {
          app.start();
          return null;
        } catch (Throwable t) {
          return t;
        }
      });
      assertTrue(firstHook.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
      CompletableFuture<ShutdownReport> stopping = CompletableFuture.supplyAsync(app::stop);
      release.countDown(); // the hooks end, so the shutdown can stop what started
      ShutdownReport report = stopping.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertEquals(ApplicationState.STOPPED, app.state(), report.toString());
      assertEquals(List.of(), ThreadHygieneTest.newOrdoThreads(before), "round " + round);
      starting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS); // start() ended too (RUNNING or rolled back)
    }
  }

  @Test
  void startReturnsOnceEveryComponentSettledWhereverItSettled() throws Exception {
    // Components settle on the workers (hooks that return), on other threads (stages completed
    // by an executor of the test's), on the thread in start() (a timeout) and as skips: start()
    // must see every one of them, and return as soon as the last has settled, each round.
    java.util.concurrent.ExecutorService elsewhere = java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      for (int round = 0; round < 30; round++) {
        Ordo.Builder b = Ordo.builder();
        int n = 300;
        for (int i = 0; i < n; i++) {
          String name = "s" + round + "-" + i;
          ScriptedController.Script.Spec c = script.component(name);
          switch (i % 5) {
            case 0 -> c.onStart(ctx -> CompletableFuture.runAsync(() -> {}, elsewhere));
            case 1 -> c.onStart(ctx -> {
              Thread.sleep(1);
              return null;
            });
            case 2 -> c.dependsOn("s" + round + "-" + (i - 2));
            default -> { }
          }
          if (i == 7) {
            c.startupTimeout(Duration.ofMillis(50)).onStart(ctx -> new CompletableFuture<Void>()); // times out
          }
          if (i == 8) {
            c.dependsOn("s" + round + "-7"); // skipped: its dependency failed
          }
          b.controller(c.build());
        }
        Ordo app = b.build();
        app.start();
        assertEquals(ApplicationState.RUNNING, app.state(), "round " + round);
        assertEquals(ComponentState.FAILED, EngineProbe.status(app, "s" + round + "-7").state());
        assertEquals(ComponentState.SKIPPED, EngineProbe.status(app, "s" + round + "-8").state());
        int running = 0;
        for (int i = 0; i < n; i++) {
          ComponentState st = EngineProbe.status(app, "s" + round + "-" + i).state();
          assertTrue(st == ComponentState.RUNNING || i == 7 || i == 8, "s" + round + "-" + i + " " + st);
          running += st == ComponentState.RUNNING ? 1 : 0;
        }
        assertEquals(n - 2, running);
        app.stop();
      }
    } finally {
      elsewhere.shutdownNow();
    }
  }
}
