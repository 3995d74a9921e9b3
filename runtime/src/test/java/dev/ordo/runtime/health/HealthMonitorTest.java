package dev.ordo.runtime.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.Health;
import dev.ordo.runtime.LifecycleListener;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.StartupFailedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HealthMonitorTest {
  /** Long enough that only the first scheduled run and explicit refreshes run a check. */
  static final Duration RARELY = Duration.ofHours(1);

  static CheckResult check(HealthReport report, String id) {
    for (CheckResult c : report.checks()) {
      if (c.id().equals(id)) {
        return c;
      }
    }
    throw new AssertionError("no check " + id + " in " + report);
  }

  /** Waits until every check of a running component reported once (the first scheduled round). */
  static HealthReport awaitFirstResults(Ordo app) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      HealthReport r = app.health().report();
      if (r.checks().stream().noneMatch(CheckResult::pending)) {
        return r;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("checks still pending: " + app.health().report());
  }

  @Test
  void hangingCheckTimesOutAndBlocksNeitherOtherChecksNorReaders() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    CheckedComponent stuck = CheckedComponent.component("stuck")
        .check("ping", Duration.ofMillis(200), RARELY, c -> {
          try {
            never.await();
          } catch (InterruptedException e) {
            interrupted.countDown();
            never.await(); // ignores the interrupt: truly hung
          }
          return Health.up();
        }).build();
    CheckedComponent fine = CheckedComponent.component("fine").check("ping", c -> Health.up()).build();
    try (Ordo app = Ordo.builder().controller(stuck).controller(fine)
        .health(HealthOptions.defaults().interval(RARELY)).build()) {
      app.start();
      long t0 = System.nanoTime();
      HealthReport report = app.health().refresh();
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "refresh waits for timeouts only");
      CheckResult hung = check(report, "stuck.ping");
      assertEquals(Health.Status.DOWN, hung.status(), "the first result counts at once");
      assertEquals("timed out after 200ms", hung.last().details().get("reason"));
      assertEquals(Health.Status.UP, check(report, "fine.ping").status());
      assertEquals(HealthStatus.DEGRADED, report.status(), "an optional component's check degrades");
      assertTrue(report.ready());
      assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the hung thread was interrupted at the timeout");

      // The hung check never runs twice; each turn while it hangs counts one more DOWN.
      for (int i = 0; i < 3; i++) {
        report = app.health().refresh();
      }
      assertEquals(1, stuck.calls(0));
      assertTrue(fine.calls(0) >= 4, "the other check kept running: " + fine.calls(0));
      assertTrue(check(report, "stuck.ping").consecutiveFailures() >= 4);
      assertTrue(((String) check(report, "stuck.ping").last().details().get("reason")).contains("still running"));

      // Reading never waits for a check.
      long r0 = System.nanoTime();
      for (int i = 0; i < 1000; i++) {
        app.health().report();
      }
      assertTrue(System.nanoTime() - r0 < TimeUnit.SECONDS.toNanos(5));
    } finally {
      never.countDown();
    }
  }

  @Test
  void hangingChecksDoNotStarveTheOthersOfThreads() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    Ordo.Builder b = Ordo.builder().health(HealthOptions.defaults().interval(RARELY).timeout(Duration.ofMillis(100)));
    int hanging = CheckPool.MAX_BASE + 2;
    for (int i = 0; i < hanging; i++) {
      b.controller(CheckedComponent.component("hung" + i).check("ping", c -> {
        while (true) {
          try {
            never.await();
            return Health.up();
          } catch (InterruptedException ignored) {
            // keeps hanging
          }
        }
      }).build());
    }
    CheckedComponent last = CheckedComponent.component("last").dependsOn("hung" + (hanging - 1))
        .check("ping", Duration.ofSeconds(30), null, c -> Health.up()).build();
    try (Ordo app = b.controller(last).build()) {
      app.start();
      HealthReport report = awaitFirstResults(app);
      CheckResult r = check(report, "last.ping");
      assertEquals(Health.Status.UP, r.status(), "ran once threads were added for the hung checks: " + r);
    } finally {
      never.countDown();
    }
  }

  @Test
  void checksRunInParallel() throws Exception {
    int n = 4;
    CyclicBarrier barrier = new CyclicBarrier(n);
    Ordo.Builder b = Ordo.builder().health(HealthOptions.defaults().interval(RARELY));
    for (int i = 0; i < n; i++) {
      // Serially, the first check would wait at the barrier for the others until its timeout.
      b.controller(CheckedComponent.component("c" + i).check("meet", Duration.ofSeconds(20), null, c -> {
        barrier.await(15, TimeUnit.SECONDS);
        return Health.up();
      }).build());
    }
    try (Ordo app = b.build()) {
      app.start();
      HealthReport report = awaitFirstResults(app);
      for (int i = 0; i < n; i++) {
        assertEquals(Health.Status.UP, check(report, "c" + i + ".meet").status(), report.toString());
      }
      report = app.health().refresh();
      assertEquals(HealthStatus.UP, report.status(), report.toString());
    }
  }

  @Test
  void thresholdsDampFlapping() throws Exception {
    AtomicBoolean healthy = new AtomicBoolean(true);
    CheckedComponent db = CheckedComponent.component("db").critical()
        .check("ping", c -> Health.of(healthy.get())).build();
    try (Ordo app = Ordo.builder().controller(db).health(HealthOptions.defaults().interval(RARELY)).build()) {
      app.start();
      awaitFirstResults(app);
      HealthMonitor health = app.health();
      healthy.set(false);
      assertEquals(Health.Status.UP, check(health.refresh(), "db.ping").status(), "1 failure");
      assertEquals(Health.Status.UP, check(health.refresh(), "db.ping").status(), "2 failures");
      HealthReport down = health.refresh();
      assertEquals(Health.Status.DOWN, check(down, "db.ping").status(), "3 failures");
      assertEquals(HealthStatus.DOWN, down.status());
      assertFalse(down.ready());
      assertTrue(down.live(), "a failing dependency does not make the process dead");
      assertEquals(List.of("db.ping"), down.down());
      healthy.set(true);
      assertEquals(Health.Status.DOWN, check(health.refresh(), "db.ping").status(), "1 success");
      HealthReport up = health.refresh();
      assertEquals(Health.Status.UP, check(up, "db.ping").status(), "2 successes");
      assertTrue(up.ready());
      // A single blip is absorbed.
      healthy.set(false);
      health.refresh();
      healthy.set(true);
      assertEquals(Health.Status.UP, check(health.refresh(), "db.ping").status());
    }
  }

  @Test
  void thresholdsAreConfigurable() throws Exception {
    AtomicBoolean healthy = new AtomicBoolean(true);
    CheckedComponent db = CheckedComponent.component("db").critical()
        .check("ping", c -> Health.of(healthy.get())).build();
    try (Ordo app = Ordo.builder().controller(db)
        .health(HealthOptions.defaults().interval(RARELY).failureThreshold(1).successThreshold(1)).build()) {
      app.start();
      awaitFirstResults(app);
      healthy.set(false);
      assertEquals(Health.Status.DOWN, check(app.health().refresh(), "db.ping").status());
      healthy.set(true);
      assertEquals(Health.Status.UP, check(app.health().refresh(), "db.ping").status());
    }
  }

  @Test
  void firstDownResultCountsAtOnceAndCriticalMeansNotReady() throws Exception {
    CheckedComponent db = CheckedComponent.component("db").critical()
        .check("ping", c -> Health.down("connection refused").withDetail("attempts", 3)).build();
    try (Ordo app = Ordo.builder().controller(db).health(HealthOptions.defaults().interval(RARELY)).build()) {
      app.start();
      HealthReport report = awaitFirstResults(app);
      CheckResult r = check(report, "db.ping");
      assertEquals(Health.Status.DOWN, r.status());
      assertEquals(3, r.last().details().get("attempts"));
      assertEquals(HealthStatus.DOWN, report.status());
      assertFalse(report.ready());
      assertTrue(report.started());
      assertEquals(HealthStatus.DOWN, app.health().status());
    }
  }

  @Test
  void aggregationFollowsCriticality() throws Exception {
    AtomicBoolean optionalHealthy = new AtomicBoolean(false);
    CheckedComponent store = CheckedComponent.component("store").critical().check("ping", c -> Health.up()).build();
    CheckedComponent search = CheckedComponent.component("search")
        .check("ping", c -> Health.of(optionalHealthy.get())).build();
    CheckedComponent mailer = CheckedComponent.component("mailer")
        .onStart(() -> {
          throw new IllegalStateException("smtp down");
        }).build();
    CheckedComponent digest = CheckedComponent.component("digest").dependsOn("mailer").build();
    try (Ordo app = Ordo.builder().controller(store).controller(search).controller(mailer).controller(digest)
        .health(HealthOptions.defaults().interval(RARELY).successThreshold(1)).build()) {
      app.start();
      HealthReport report = awaitFirstResults(app);
      assertEquals(HealthStatus.DEGRADED, report.status());
      assertTrue(report.ready(), "degraded is still ready");
      assertEquals(List.of("mailer FAILED", "digest SKIPPED", "search.ping"), report.degraded());
      assertEquals(List.of(), report.down());
      optionalHealthy.set(true);
      report = app.health().refresh();
      assertEquals(List.of("mailer FAILED", "digest SKIPPED"), report.degraded());
      assertEquals(HealthStatus.DEGRADED, report.status(), "components that did not start still degrade");
    }
  }

  @Test
  void criticalFailureAtStartupIsNotLive() {
    CheckedComponent db = CheckedComponent.component("db").critical().onStart(() -> {
      throw new IllegalStateException("no database");
    }).build();
    Ordo app = Ordo.builder().controller(db).build();
    assertThrows(StartupFailedException.class, app::start);
    HealthReport report = app.health().report();
    assertEquals(ApplicationState.FAILED, report.state());
    assertFalse(report.live());
    assertFalse(report.started());
    assertFalse(report.ready());
    assertEquals(HealthStatus.DOWN, report.status());
    assertEquals(List.of("db FAILED"), report.down());
  }

  @Test
  void checksRunOnTheirScheduleAndStopAtShutdown() throws Exception {
    CheckedComponent first = CheckedComponent.component("first")
        .check("ping", null, Duration.ofMillis(20), c -> Health.up()).build();
    Ordo app = Ordo.builder().controller(first).build();
    app.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (first.calls(0) < 3 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(first.calls(0) >= 3, "runs on its 20ms schedule");
    app.stop();
    Thread.sleep(100); // a run that began just before the stop may still count itself
    int seen = first.calls(0);
    Thread.sleep(200);
    assertEquals(seen, first.calls(0), "no check runs after the shutdown");
  }

  @Test
  void checksDoNotRunBeforeRunning() throws Exception {
    CheckedComponent first = CheckedComponent.component("first")
        .check("ping", null, Duration.ofMillis(10), c -> Health.up()).build();
    AtomicInteger callsSeen = new AtomicInteger(-1);
    CheckedComponent second = CheckedComponent.component("second").dependsOn("first")
        .onStart(() -> {
          Thread.sleep(100);
          callsSeen.set(first.calls(0));
        }).build();
    try (Ordo app = Ordo.builder().controller(first).controller(second).build()) {
      app.start();
      assertEquals(0, callsSeen.get(), "first is RUNNING but the application was STARTING");
    }
  }

  @Test
  void listenersSeeEveryChangeInOrder() throws Exception {
    AtomicBoolean healthy = new AtomicBoolean(true);
    List<String> events = new CopyOnWriteArrayList<>();
    LifecycleListener listener = new LifecycleListener() {
      @Override
      public void healthCheckChanged(Health.Status from, CheckResult to) {
        events.add(to.id() + " " + from + "->" + to.status());
      }

      @Override
      public void healthChanged(HealthStatus from, HealthStatus to) {
        events.add("app " + from + "->" + to);
      }
    };
    CheckedComponent db = CheckedComponent.component("db").critical()
        .check("ping", c -> Health.of(healthy.get())).build();
    CheckedComponent cache = CheckedComponent.component("cache").check("ping", c -> Health.down()).build();
    try (Ordo app = Ordo.builder().controller(db).controller(cache).listener(listener)
        .health(HealthOptions.defaults().interval(RARELY).failureThreshold(1).successThreshold(1)).build()) {
      app.start();
      awaitFirstResults(app);
      app.health().refresh();
      awaitSize(events, 3); // listeners hear of changes on their own threads
      assertTrue(events.contains("db.ping null->UP"), events.toString());
      assertTrue(events.contains("cache.ping null->DOWN"), events.toString());
      assertTrue(events.contains("app UP->DEGRADED"), events.toString());
      assertEquals(3, events.size(), events.toString());
      events.clear();
      healthy.set(false);
      app.health().refresh();
      awaitSize(events, 2);
      assertEquals(List.of("db.ping UP->DOWN", "app DEGRADED->DOWN"), events);
      events.clear();
      healthy.set(true);
      app.health().refresh();
      awaitSize(events, 2);
      assertEquals(List.of("db.ping DOWN->UP", "app DOWN->DEGRADED"), events);
      events.clear();
      app.health().refresh();
      Thread.sleep(100);
      assertEquals(List.of(), events, "no change, no event");
    }
  }

  @Test
  void aThrowingCheckIsDownAndItsMessageStaysInsideUnlessDetailsAreOn() throws Exception {
    CheckedComponent db = CheckedComponent.component("db")
        .check("ping", c -> {
          throw new java.io.IOException("password=hunter2 rejected");
        }).build();
    for (boolean details : new boolean[] {false, true}) {
      try (Ordo app = Ordo.builder().controller(db)
          .health(HealthOptions.defaults().interval(RARELY).details(details)).build()) {
        app.start();
        HealthReport report = awaitFirstResults(app);
        CheckResult r = check(report, "db.ping");
        assertEquals(Health.Status.DOWN, r.status());
        assertEquals("threw an exception", r.last().details().get("reason"));
        assertEquals("password=hunter2 rejected", r.error().getMessage());
        String json = report.json(HealthProbe.HEALTH, app.health().showsDetails());
        assertEquals(details, json.contains("hunter2"), json);
        assertFalse(json.contains("at dev.ordo"), "never a stack trace");
      }
    }
  }

  @Test
  void aCheckReceivesItsDeadlineAndPhase() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    CheckedComponent db = CheckedComponent.component("db").check("ping", Duration.ofSeconds(5), RARELY, c -> {
      seen.add(c.phase() + " " + c.componentName() + " " + (c.remaining().toMillis() > 3000) + " " + c.isCancelled());
      return Health.up();
    }).build();
    try (Ordo app = Ordo.builder().controller(db).build()) {
      app.start();
      awaitFirstResults(app);
      assertEquals("HEALTH_CHECK db true false", seen.get(0));
    }
  }

  @Test
  void refreshBeforeStartRunsNothing() {
    CheckedComponent db = CheckedComponent.component("db").check("ping", c -> fail("must not run")).build();
    Ordo app = Ordo.builder().controller(db).build();
    HealthReport report = app.health().refresh();
    assertTrue(check(report, "db.ping").pending());
    assertNull(check(report, "db.ping").last());
    assertFalse(report.started());
    assertTrue(report.live());
    assertEquals(ApplicationState.NEW, report.state());
    assertEquals(ComponentState.PENDING, report.components().get(0).state());
    app.stop();
  }

  private static void awaitSize(List<String> events, int size) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (events.size() < size && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
  }
}
