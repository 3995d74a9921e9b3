package dev.ordo.runtime;

import static dev.ordo.runtime.EngineProbe.await;
import static dev.ordo.runtime.EngineProbe.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.events.Event;
import dev.ordo.runtime.events.EventOptions;
import dev.ordo.runtime.events.InMemoryEventSink;
import dev.ordo.runtime.health.HealthOptions;
import dev.ordo.runtime.health.HealthStatus;
import dev.ordo.runtime.metrics.OrdoMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14 §3: optional components that heal — retries with backoff on a clock the test moves,
 * the dependents skipped for them, health, events and metrics, restarts on a failed check, and the
 * shutdown during a retry. Public API only, but for the clock ({@code Builder.recoveryClock}).
 */
@Timeout(60)
class SelfHealingTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final HealingPart.Parts parts = new HealingPart.Parts();
  private final ManualRecoveryClock clock = new ManualRecoveryClock();
  private final Recorder recorder = new Recorder();

  /** Hears every transition and recovery, in order. */
  static final class Recorder implements LifecycleListener {
    final List<String> transitions = new CopyOnWriteArrayList<>();
    final List<ComponentRecovery> recoveries = new CopyOnWriteArrayList<>();

    @Override
    public void componentStateChanged(ComponentTransition t) {
      transitions.add(t.name() + " " + t.from() + "->" + t.to());
    }

    @Override
    public void componentRecovered(ComponentRecovery recovery) {
      transitions.add(recovery.name() + " recovered");
      recoveries.add(recovery);
    }

    List<String> of(String component) {
      List<String> list = new ArrayList<>();
      for (String t : transitions) {
        if (t.startsWith(component + " ")) {
          list.add(t.substring(component.length() + 1));
        }
      }
      return list;
    }
  }

  private static void assertBetween(Duration low, Duration high, Duration actual, String what) {
    assertTrue(actual.compareTo(low) >= 0 && actual.compareTo(high) <= 0,
        what + ": " + actual + " is not within [" + low + ", " + high + "]");
  }

  private static Duration seconds(double s) {
    return Duration.ofMillis(Math.round(s * 1000));
  }

  // ---------------------------------------------------------------------------------------------
  // Retries

  @Test
  void aFailedOptionalComponentIsRetriedWithExponentialBackoffUntilItStarts() throws Exception {
    HealingPart cache = parts.part("cache").failing(4).retry(Duration.ofSeconds(1), Duration.ofSeconds(4)).build();
    Ordo app = Ordo.builder()
        .controller(parts.part("store").build())
        .controller(cache)
        .listener(recorder)
        .recoveryClock(clock)
        .build();
    app.start();
    assertEquals(ApplicationState.RUNNING, app.state());
    assertTrue(app.isDegraded());
    ComponentStatus failed = status(app, "cache");
    assertEquals(ComponentState.FAILED, failed.state());
    assertTrue(failed.degraded());
    assertNotNull(failed.retry().nextAttempt(), failed.toString());
    assertEquals(1, failed.retry().attempts());

    // Delays double from initial up to max, each varied by up to 20% but never past max.
    assertBetween(seconds(0.8), seconds(1.2), clock.awaitScheduled(1, WAIT), "first retry");
    clock.advanceToNext();
    assertBetween(seconds(1.6), seconds(2.4), clock.awaitScheduled(2, WAIT), "second retry");
    clock.advanceToNext();
    assertBetween(seconds(3.2), seconds(4), clock.awaitScheduled(3, WAIT), "third retry");
    clock.advanceToNext();
    assertBetween(seconds(3.2), seconds(4), clock.awaitScheduled(4, WAIT), "fourth retry (at max)");
    assertTrue(app.isDegraded());
    clock.advanceToNext();

    await(WAIT, "cache RUNNING", () -> status(app, "cache").state() == ComponentState.RUNNING);
    await(WAIT, "the recovery heard", () -> !recorder.recoveries.isEmpty());
    assertFalse(app.isDegraded());
    assertEquals(5, cache.starts.get(), "the start and four retries");
    ComponentRecovery recovery = recorder.recoveries.get(0);
    assertEquals(ComponentRecovery.Reason.RETRY, recovery.reason());
    assertEquals(5, recovery.attempts());
    Duration waited = clock.delays().stream().reduce(Duration.ZERO, Duration::plus);
    assertEquals(waited, recovery.downtime(), "downtime on the recovery clock");
    assertInstanceOf(IllegalStateException.class, recovery.cause());
    RetryStatus after = status(app, "cache").retry();
    assertEquals(0, after.attempts());
    assertEquals(1, after.recoveries());
    assertNull(after.nextAttempt());
    assertFalse(status(app, "cache").degraded());
    await(WAIT, "every transition heard", () -> recorder.of("cache").contains("recovered"));
    assertEquals(List.of("PENDING->STARTING", "STARTING->FAILED",
        "FAILED->STARTING", "STARTING->FAILED",
        "FAILED->STARTING", "STARTING->FAILED",
        "FAILED->STARTING", "STARTING->FAILED",
        "FAILED->STARTING", "STARTING->RUNNING", "recovered"), recorder.of("cache"));
    ShutdownReport report = app.stop();
    assertTrue(report.clean(), report.toString());
    assertEquals(ComponentState.STOPPED, status(app, "cache").state());
    assertTrue(parts.journal.contains("stop cache"), "a recovered component is stopped");
  }

  @Test
  void nothingIsRetriedBeforeTheApplicationIsRunning() throws Exception {
    // The first retry is scheduled when the application is RUNNING, initial after the failure.
    CountDownLatch slowGate = new CountDownLatch(1);
    HealingPart cache = parts.part("cache").failing(1).retry(Duration.ofSeconds(1), Duration.ofMinutes(1)).build();
    HealingPart slow = parts.part("slow").build();
    slow.onStart.set(c -> {
      slowGate.await(); // the startup waits for this one
      return null;
    });
    Ordo app = Ordo.builder().controller(cache).controller(slow).recoveryClock(clock).build();
    Thread starter = EngineProbe.thread("test-starter", app::start);
    await(WAIT, "cache FAILED", () -> status(app, "cache").state() == ComponentState.FAILED);
    assertEquals(0, clock.pending(), "no retry while STARTING");
    assertNull(status(app, "cache").retry().nextAttempt());
    clock.advance(Duration.ofMinutes(5));
    slowGate.countDown();
    starter.join(WAIT.toMillis());
    assertEquals(ApplicationState.RUNNING, app.state());
    // Due long ago (on the recovery clock): it runs at once.
    assertEquals(Duration.ZERO, clock.awaitScheduled(1, WAIT));
    clock.advance(Duration.ZERO);
    await(WAIT, "cache RUNNING", () -> status(app, "cache").state() == ComponentState.RUNNING);
    assertTrue(app.stop().clean());
  }

  @Test
  void retriesStopAfterTheLimitAndTheComponentStaysFailed() throws Exception {
    HealingPart cache = parts.part("cache").failing(100)
        .retry(RetryPolicy.backoff(Duration.ofSeconds(1), Duration.ofSeconds(10)).attempts(2)).build();
    Ordo app = Ordo.builder().controller(cache).recoveryClock(clock).build();
    app.start();
    clock.awaitScheduled(1, WAIT);
    clock.advanceToNext();
    clock.awaitScheduled(2, WAIT);
    clock.advanceToNext();
    await(WAIT, "gave up", () -> status(app, "cache").retry().exhausted());
    RetryStatus r = status(app, "cache").retry();
    assertEquals(2, r.attempts());
    assertNull(r.nextAttempt());
    assertFalse(r.inProgress());
    assertEquals(0, clock.pending());
    assertEquals(3, cache.starts.get(), "the start and two retries");
    assertEquals(ComponentState.FAILED, status(app, "cache").state());
    assertTrue(app.isDegraded());
    assertTrue(app.stop().clean());
  }

  @Test
  void skippedHardDependentsStartInDependencyOrderOnceTheComponentRecovers() throws Exception {
    // cache <- index <- search (hard), report -> index (soft), mailer (independent, no retry, fails).
    HealingPart cache = parts.part("cache").failing(1).retry(Duration.ofSeconds(1), Duration.ofMinutes(1)).build();
    Ordo app = Ordo.builder()
        .controller(cache)
        .controller(parts.part("index").dependsOn("cache").build())
        .controller(parts.part("search").dependsOn("index").build())
        .controller(parts.part("report").dependsOnOptionally("search").build())
        .listener(recorder)
        .recoveryClock(clock)
        .build();
    app.start();
    assertEquals(ComponentState.SKIPPED, status(app, "index").state());
    assertEquals(ComponentState.SKIPPED, status(app, "search").state());
    assertEquals(ComponentState.RUNNING, status(app, "report").state(), "a soft dependent starts without it");
    assertNull(status(app, "index").retry(), "no policy of its own");
    assertTrue(status(app, "index").degraded());
    clock.awaitScheduled(1, WAIT);
    clock.advanceToNext();
    await(WAIT, "search RUNNING", () -> status(app, "search").state() == ComponentState.RUNNING);
    assertEquals(ComponentState.RUNNING, status(app, "index").state());
    assertFalse(app.isDegraded());
    assertTrue(parts.indexOf("start cache") < parts.indexOf("start index"), parts.journal::toString);
    assertTrue(parts.indexOf("start index") < parts.indexOf("start search"), parts.journal::toString);
    assertEquals(1, parts.journal.stream().filter("start report"::equals).count(), "the soft dependent is not restarted");
    await(WAIT, "three recoveries heard", () -> recorder.recoveries.size() == 3);
    assertEquals(List.of("cache RETRY 2", "index DEPENDENCY 1", "search DEPENDENCY 1"),
        recorder.recoveries.stream().map(r -> r.name() + " " + r.reason() + " " + r.attempts()).toList());
    assertEquals(List.of("PENDING->SKIPPED", "SKIPPED->STARTING", "STARTING->RUNNING", "recovered"),
        recorder.of("index"));
    ShutdownReport report = app.stop();
    assertTrue(report.clean(), report.toString());
    // Stopped in reverse order, the healed ones included.
    assertTrue(parts.indexOf("stop report") < parts.indexOf("stop search"), parts.journal::toString);
    assertTrue(parts.indexOf("stop search") < parts.indexOf("stop index"), parts.journal::toString);
    assertTrue(parts.indexOf("stop index") < parts.indexOf("stop cache"), parts.journal::toString);
  }

  @Test
  void aDependentThatFailsAfterTheRecoveryFollowsTheUsualRules() throws Exception {
    // index has no policy: once cache recovers it starts, fails, and stays FAILED; its dependent
    // stays SKIPPED. feed has a policy: it is retried on its own.
    HealingPart cache = parts.part("cache").failing(1).retry(Duration.ofSeconds(1), Duration.ofMinutes(1)).build();
    HealingPart index = parts.part("index").dependsOn("cache").failing(1).build();
    HealingPart feed = parts.part("feed").dependsOn("cache").failing(1)
        .retry(Duration.ofSeconds(2), Duration.ofMinutes(1)).build();
    Ordo app = Ordo.builder()
        .controller(cache)
        .controller(index)
        .controller(parts.part("search").dependsOn("index").build())
        .controller(feed)
        .recoveryClock(clock)
        .build();
    app.start();
    clock.awaitScheduled(1, WAIT);
    clock.advanceToNext(); // cache recovers; index and feed start and fail
    await(WAIT, "index FAILED", () -> status(app, "index").state() == ComponentState.FAILED);
    assertEquals(ComponentState.SKIPPED, status(app, "search").state());
    // feed's first retry: its own initial (2s), counted from its failure.
    assertBetween(seconds(1.6), seconds(2.4), clock.awaitScheduled(2, WAIT), "feed's first retry");
    clock.advanceToNext();
    await(WAIT, "feed RUNNING", () -> status(app, "feed").state() == ComponentState.RUNNING);
    assertEquals(ComponentState.FAILED, status(app, "index").state(), "no policy: no retry");
    assertEquals(1, index.starts.get());
    assertTrue(app.isDegraded());
    assertTrue(app.stop().clean());
  }

  // ---------------------------------------------------------------------------------------------
  // Health, events, metrics

  @Test
  void healthIsDegradedWhileItRetriesAndUpAfterTheRecoveryWhichIsPublishedAndCounted() throws Exception {
    InMemoryEventSink sink = new InMemoryEventSink();
    HealingPart cache = parts.part("cache").failing(1).retry(Duration.ofSeconds(1), Duration.ofMinutes(1)).build();
    CountDownLatch inAttempt = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Ordo app = Ordo.builder()
        .controller(cache)
        .controller(parts.part("index").dependsOn("cache").build())
        .events(EventOptions.defaults().sink(sink))
        .recoveryClock(clock)
        .build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new OrdoMetrics(app).bindTo(registry);
    app.start();
    assertEquals(HealthStatus.DEGRADED, app.health().status());
    assertEquals(List.of("cache FAILED", "index SKIPPED"), app.health().report().degraded());
    String ready = app.health().report().json(dev.ordo.runtime.health.HealthProbe.READY, false);
    assertTrue(ready.contains("\"name\":\"cache\",\"status\":\"UP\",\"data\":{\"critical\":false,\"state\":\"FAILED\","
        + "\"degraded\":true,\"attempts\":1,\"nextAttempt\":\""), ready);
    clock.awaitScheduled(1, WAIT);
    // During the attempt the application is still degraded.
    cache.onStart.set(c -> {
      inAttempt.countDown();
      release.await();
      return null;
    });
    clock.advanceToNext();
    assertTrue(inAttempt.await(20, TimeUnit.SECONDS));
    assertEquals(ComponentState.STARTING, status(app, "cache").state());
    assertTrue(status(app, "cache").retry().inProgress());
    assertTrue(status(app, "cache").degraded());
    assertTrue(app.isDegraded());
    assertEquals(HealthStatus.DEGRADED, app.health().status());
    assertTrue(app.health().report().degraded().contains("cache STARTING"), app.health().report().toString());
    release.countDown();
    await(WAIT, "health UP", () -> app.health().status() == HealthStatus.UP);
    assertEquals(ComponentState.RUNNING, status(app, "index").state());
    assertTrue(app.health().report().degraded().isEmpty());

    Event recovered = sink.await(e -> e.type().equals("dev.ordo.component.recovered")
        && "cache".equals(e.subject()), Duration.ofSeconds(20));
    assertEquals("cache", recovered.data().get("component"));
    assertEquals(false, recovered.data().get("critical"));
    assertEquals("retry", recovered.data().get("reason"));
    assertEquals(2, recovered.data().get("attempts"));
    assertEquals(1000.0 * clock.delays().get(0).toNanos() / 1e9,
        ((Number) recovered.data().get("downtimeMs")).doubleValue(), 0.001);
    assertEquals(IllegalStateException.class.getName(), recovered.data().get("errorType"));
    Event dependent = sink.await(e -> e.type().equals("dev.ordo.component.recovered")
        && "index".equals(e.subject()), Duration.ofSeconds(20));
    assertEquals("dependency", dependent.data().get("reason"));
    assertTrue(app.events().catalog().types().contains("dev.ordo.component.recovered"));
    // The retry is a start of its own in the startup timer, and the recovery is counted.
    assertEquals(1.0, registry.get("ordo.component.recovered").tags("component", "cache", "reason", "retry")
        .counter().count());
    assertEquals(1.0, registry.get("ordo.component.recovered").tags("component", "index", "reason", "dependency")
        .counter().count());
    assertEquals(1, registry.get("ordo.component.startup").tags("component", "cache", "outcome", "failure")
        .timer().count());
    assertEquals(1, registry.get("ordo.component.startup").tags("component", "cache", "outcome", "success")
        .timer().count());
    assertTrue(app.stop().clean());
  }

  // ---------------------------------------------------------------------------------------------
  // A start that passed its timeout and completed later

  @Test
  void aRetryThatPassedItsTimeoutButCompletesIsRunningAfterAll() throws Exception {
    CountDownLatch finish = new CountDownLatch(1);
    HealingPart cache = parts.part("cache").startupTimeout(Duration.ofMillis(100))
        .retry(Duration.ofSeconds(1), Duration.ofMinutes(1)).failing(1).build();
    Ordo app = Ordo.builder()
        .controller(cache)
        .controller(parts.part("index").dependsOn("cache").build())
        .listener(recorder)
        .recoveryClock(clock)
        .build();
    app.start();
    clock.awaitScheduled(1, WAIT);
    cache.onStart.set(c -> CompletableFuture.runAsync(() -> {
      try {
        finish.await(); // past its timeout: the attempt fails, the stage completes later
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    clock.advanceToNext();
    // The timed-out attempt schedules the next, which waits for the hook that still runs.
    clock.awaitScheduled(2, WAIT);
    assertEquals(ComponentState.FAILED, status(app, "cache").state());
    clock.advanceToNext();
    assertEquals(2, cache.starts.get(), "no second start while the first still runs");
    finish.countDown();
    await(WAIT, "cache RUNNING", () -> status(app, "cache").state() == ComponentState.RUNNING);
    await(WAIT, "index RUNNING", () -> status(app, "index").state() == ComponentState.RUNNING);
    assertEquals(2, cache.starts.get(), "started once more in all, never twice at once");
    await(WAIT, "the recovery heard", () -> recorder.of("cache").contains("recovered"));
    assertTrue(recorder.of("cache").contains("FAILED->RUNNING"), recorder.of("cache").toString());
    assertTrue(app.stop().clean());
    assertTrue(parts.indexOf("stop index") < parts.indexOf("stop cache"));
  }

  // ---------------------------------------------------------------------------------------------
  // The shutdown

  @Test
  void aShutdownDuringTheBackoffCancelsTheRetry() throws Exception {
    Set<Thread> before = EngineProbe.liveThreads();
    HealingPart cache = parts.part("cache").failing(100).retry(Duration.ofSeconds(1), Duration.ofMinutes(1)).build();
    Ordo app = Ordo.builder()
        .controller(cache)
        .controller(parts.part("store").build())
        .recoveryClock(clock)
        .build();
    app.start();
    clock.awaitScheduled(1, WAIT);
    assertEquals(1, clock.pending());
    ShutdownReport report = app.stop();
    assertTrue(report.clean(), report.toString());
    assertEquals(0, clock.pending(), "the pending retry was cancelled");
    clock.advance(Duration.ofHours(1));
    assertEquals(1, cache.starts.get(), "no retry after the shutdown began");
    assertEquals(ComponentState.FAILED, status(app, "cache").state());
    assertNull(status(app, "cache").retry().nextAttempt());
    assertEquals(List.of(), EngineProbe.newThreadsStillAlive(before, n -> EngineProbe.ORDO_THREAD.matcher(n).matches(),
        Duration.ZERO), "no Ordo thread is alive after stop()");
  }

  @Test
  void aRetryInProgressAtTheShutdownIsCancelledAndAbandonedWithinTheBudget() throws Exception {
    // The attempt ignores its cancellation until interrupted: it is abandoned when the time the
    // shutdown leaves starts in progress (delay + drain) has passed, and the stop phase keeps its
    // share; everything that does not need it stops at once.
    Set<Thread> before = EngineProbe.liveThreads();
    CountDownLatch inAttempt = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    List<Boolean> cancelledSeen = new CopyOnWriteArrayList<>();
    HealingPart cache = parts.part("cache").failing(1).startupTimeout(Duration.ofMinutes(5))
        .retry(Duration.ofSeconds(1), Duration.ofMinutes(1)).build();
    Ordo app = Ordo.builder()
        .shutdownTimeout(Duration.ofSeconds(3))
        .drainTimeout(Duration.ofSeconds(1))
        .controller(parts.part("base").build())
        .controller(cache)
        .controller(parts.part("api").dependsOnOptionally("cache").build())
        .recoveryClock(clock)
        .build();
    app.start();
    clock.awaitScheduled(1, WAIT);
    cache.onStart.set(c -> {
      inAttempt.countDown();
      try {
        never.await();
      } catch (InterruptedException e) {
        cancelledSeen.add(c.isCancelled());
        throw e;
      }
      return null;
    });
    clock.advanceToNext();
    assertTrue(inAttempt.await(20, TimeUnit.SECONDS));
    long t0 = System.nanoTime();
    ShutdownReport report = app.stop();
    long tookMs = EngineProbe.millisSince(t0);
    assertTrue(tookMs < 3_000 + 1_000, "stop() took " + tookMs + " ms of a 3 s budget");
    assertTrue(tookMs >= 900, "the attempt had until the stop phase's share began: " + tookMs + " ms");
    ComponentStatus s = status(app, "cache");
    assertEquals(ComponentState.FAILED, s.state());
    assertInstanceOf(HookTimeoutException.class, s.failure());
    assertTrue(s.failure().getMessage().contains("ordo.shutdown.drain-timeout"), s.failure().getMessage());
    assertEquals(List.of(true), cancelledSeen, "the hook saw its context cancelled and was interrupted");
    assertTrue(report.budgetExceeded(), "an abandoned start is reported: " + report);
    assertEquals(ShutdownReport.EXIT_BUDGET_EXCEEDED, report.exitCode());
    assertEquals(ComponentState.STOPPED, status(app, "api").state());
    assertEquals(ComponentState.STOPPED, status(app, "base").state());
    assertFalse(parts.journal.contains("stop cache"), "it never started");
    assertEquals(List.of(), EngineProbe.newThreadsStillAlive(before, n -> EngineProbe.ORDO_THREAD.matcher(n).matches(),
        Duration.ZERO), "no Ordo thread is alive after stop()");
  }

  @Test
  void aRetryThatSucceedsDuringTheShutdownIsStoppedInReverseOrder() throws Exception {
    CountDownLatch inAttempt = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    HealingPart cache = parts.part("cache").failing(1).retry(Duration.ofSeconds(1), Duration.ofMinutes(1)).build();
    Ordo app = Ordo.builder()
        .shutdownTimeout(Duration.ofSeconds(10))
        .controller(parts.part("base").build())
        .controller(parts.part("cache-user").dependsOnOptionally("cache").dependsOn("base").build())
        .controller(cache)
        .recoveryClock(clock)
        .build();
    app.start();
    clock.awaitScheduled(1, WAIT);
    cache.onStart.set(c -> {
      inAttempt.countDown();
      finish.await();
      return null;
    });
    clock.advanceToNext();
    assertTrue(inAttempt.await(20, TimeUnit.SECONDS));
    CompletableFuture<ShutdownReport> stopping = app.stopAsync();
    await(WAIT, "the user stopped", () -> parts.journal.contains("stop cache-user"));
    finish.countDown(); // the attempt completes: cache RUNNING, then stopped
    ShutdownReport report = stopping.get(20, TimeUnit.SECONDS);
    assertTrue(report.clean(), report.toString());
    assertEquals(ComponentState.STOPPED, status(app, "cache").state());
    assertTrue(parts.indexOf("stop cache-user") < parts.indexOf("stop cache"), parts.journal::toString);
    assertTrue(parts.indexOf("stop cache-user") < parts.indexOf("stop base"), parts.journal::toString);
  }

  // ---------------------------------------------------------------------------------------------
  // Restarts

  private Ordo restartable(HealingPart cache) {
    return Ordo.builder()
        .controller(cache)
        .controller(parts.part("api").dependsOn("cache").build())
        .health(HealthOptions.defaults().interval(Duration.ofHours(1)).failureThreshold(2).successThreshold(1))
        .listener(recorder)
        .recoveryClock(clock)
        .build();
  }

  @Test
  void aComponentWhoseRestartCheckTurnsDownIsRestartedAndItsDependentsKeepRunning() throws Exception {
    HealingPart cache = parts.part("cache").restartingCheck().retry(Duration.ofSeconds(1), Duration.ofMinutes(1)).build();
    Ordo app = restartable(cache);
    app.start();
    app.health().refresh();
    cache.health.set(Health.down("connection reset"));
    app.health().refresh(); // one DOWN result: damped, still UP
    app.health().refresh(); // two in a row: DOWN, and the restart is scheduled
    assertBetween(seconds(0.8), seconds(1.2), clock.awaitScheduled(1, WAIT), "the restart's delay");
    assertEquals(HealthStatus.DEGRADED, app.health().status());
    cache.health.set(Health.up());
    clock.advanceToNext();
    await(WAIT, "the restart heard", () -> recorder.of("cache").contains("recovered"));
    assertEquals(List.of("PENDING->STARTING", "STARTING->RUNNING", "RUNNING->STOPPING", "STOPPING->STOPPED",
        "STOPPED->STARTING", "STARTING->RUNNING", "recovered"), recorder.of("cache"));
    assertEquals(List.of("start cache", "start api", "stop cache", "start cache"), parts.journal,
        "the dependent keeps running");
    ComponentRecovery r = recorder.recoveries.get(0);
    assertEquals(ComponentRecovery.Reason.RESTART, r.reason());
    assertEquals(1, r.attempts());
    assertInstanceOf(HealthCheckFailedException.class, r.cause());
    assertEquals("cache.ping is DOWN: connection reset", r.cause().getMessage());
    // The checks start afresh: the first result after the restart counts at once.
    assertTrue(app.health().checks().get(0).pending(), app.health().checks().toString());
    app.health().refresh();
    assertEquals(HealthStatus.UP, app.health().status());
    assertEquals(1, status(app, "cache").retry().recoveries());
    assertEquals(1, status(app, "cache").retry().attempts(), "the row ends only once healthy for max");
    assertTrue(app.stop().clean());
  }

  @Test
  void aRestartWhoseStartFailsIsRetriedWithTheSameBackoff() throws Exception {
    HealingPart cache = parts.part("cache").restartingCheck()
        .retry(RetryPolicy.backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)).attempts(3)).build();
    Ordo app = restartable(cache);
    app.start();
    cache.health.set(Health.down());
    app.health().refresh();
    app.health().refresh();
    clock.awaitScheduled(1, WAIT);
    cache.failuresLeft.set(5);
    clock.advanceToNext(); // stop, then a start that fails
    assertBetween(seconds(1.6), seconds(2.4), clock.awaitScheduled(2, WAIT), "attempt 2");
    assertEquals(ComponentState.FAILED, status(app, "cache").state());
    assertEquals(ComponentState.RUNNING, status(app, "api").state(), "its dependents keep running");
    clock.advanceToNext();
    assertBetween(seconds(3.2), seconds(4.8), clock.awaitScheduled(3, WAIT), "attempt 3");
    clock.advanceToNext();
    await(WAIT, "gave up", () -> status(app, "cache").retry().exhausted());
    assertEquals(ComponentState.FAILED, status(app, "cache").state());
    assertEquals(3, status(app, "cache").retry().attempts());
    assertTrue(app.isDegraded());
    assertTrue(app.stop().clean());
    assertTrue(parts.indexOf("stop api") > parts.indexOf("stop cache"), "cache stopped once, for its restart");
  }

  @Test
  void aShutdownDuringARestartWaitsForItsStopAndStartsNothing() throws Exception {
    CountDownLatch inStop = new CountDownLatch(1);
    CountDownLatch finishStop = new CountDownLatch(1);
    HealingPart cache = parts.part("cache").restartingCheck().retry(Duration.ofSeconds(1), Duration.ofMinutes(1))
        .build();
    Ordo app = Ordo.builder()
        .controller(cache)
        .controller(parts.part("base").build())
        .controller(parts.part("user").dependsOnOptionally("cache").dependsOn("base").build())
        .health(HealthOptions.defaults().interval(Duration.ofHours(1)).failureThreshold(1))
        .recoveryClock(clock)
        .build();
    app.start();
    cache.onStop.set(c -> {
      inStop.countDown();
      finishStop.await();
      return null;
    });
    cache.health.set(Health.down());
    app.health().refresh();
    clock.awaitScheduled(1, WAIT);
    clock.advanceToNext();
    assertTrue(inStop.await(20, TimeUnit.SECONDS));
    CompletableFuture<ShutdownReport> stopping = app.stopAsync();
    await(WAIT, "user stopped", () -> parts.journal.contains("stop user"));
    assertEquals(ComponentState.STOPPING, status(app, "cache").state(), "the stop phase waits for the restart's stop");
    finishStop.countDown();
    ShutdownReport report = stopping.get(20, TimeUnit.SECONDS);
    assertTrue(report.clean(), report.toString());
    assertEquals(1, cache.starts.get(), "the restart's start never began");
    assertEquals(1, parts.journal.stream().filter("stop cache"::equals).count(), "stopped once");
    assertEquals(ComponentState.STOPPED, status(app, "cache").state());
    assertTrue(parts.indexOf("stop user") < parts.indexOf("stop base"), parts.journal::toString);
  }

  // ---------------------------------------------------------------------------------------------
  // Configuration

  @Test
  void aCriticalComponentCannotRetry() {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> Ordo.builder()
        .controller(parts.part("store").critical().build())
        .retry("store", RetryPolicy.defaults())
        .build());
    assertTrue(e.getMessage().startsWith("store is critical, and a critical component cannot retry its start"
        + " (ordo.retry.store = initial=1s, max=1m, attempts=0, builder retry(\"store\", ...))"), e.getMessage());
    ConfigurationException declared = assertThrows(ConfigurationException.class, () -> Ordo.builder()
        .controller(parts.part("store").critical().retry(Duration.ofSeconds(1), Duration.ofMinutes(1)).build())
        .build());
    assertTrue(declared.getMessage().contains("declared with @Retry"), declared.getMessage());
  }

  @Test
  void theBuilderOverridesOrTurnsOffTheDeclaredPolicy() throws Exception {
    Ordo off = Ordo.builder()
        .controller(parts.part("cache").failing(1).retry(Duration.ofSeconds(1), Duration.ofMinutes(1)).build())
        .retry("cache", RetryPolicy.none())
        .recoveryClock(clock)
        .build();
    off.start();
    assertNull(status(off, "cache").retry());
    assertEquals(0, clock.pending());
    off.stop();

    ManualRecoveryClock other = new ManualRecoveryClock();
    Ordo on = Ordo.builder()
        .controller(parts.part("feed").failing(1).build())
        .retry(HealingPart.Id.class, RetryPolicy.backoff(Duration.ofMinutes(2), Duration.ofMinutes(2)))
        .recoveryClock(other)
        .build();
    on.start();
    assertEquals(RetryPolicy.backoff(Duration.ofMinutes(2), Duration.ofMinutes(2)), status(on, "feed").retry().policy());
    assertBetween(Duration.ofSeconds(96), Duration.ofMinutes(2), other.awaitScheduled(1, WAIT), "builder's initial");
    on.stop();

    assertThrows(ConfigurationException.class, () -> Ordo.builder()
        .controller(parts.part("cache").build())
        .retry("no-such-component", RetryPolicy.defaults())
        .build());
  }
}
