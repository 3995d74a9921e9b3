package dev.ordo.it.stress;

import static dev.ordo.it.stress.Stress.PATIENCE;
import static dev.ordo.it.stress.Stress.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.Health;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.RequestTracker;
import dev.ordo.runtime.ShutdownReport;
import dev.ordo.runtime.StartupFailedException;
import dev.ordo.runtime.health.CheckResult;
import dev.ordo.runtime.health.HealthOptions;
import dev.ordo.runtime.health.HealthReport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * More sentences of shutdown.md and health.md: a late start is stopped then and listeners hear
 * nothing after the end; checks run while draining; a hanging check is never started twice;
 * timeouts past the nanosecond range written in annotations mean no limit.
 */
@Timeout(120)
class StressPromisesTest {
  private final Script script = new Script();

  @Test
  void aStartThatCompletesAfterTheShutdownIsStoppedThenAndListenersHearNothingAfterTheEnd() throws Exception {
    CountDownLatch hang = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    script.onStart("Side", c -> {
      entered.countDown();
      Stress.hangUninterruptibly(hang);
    });
    Stress.Recorder recorder = new Stress.Recorder(false);
    Ordo app = Ordo.builder()
        .components(new Base(script), new Side(script))
        .listener(recorder)
        .shutdownTimeout(Duration.ofSeconds(2))
        .build();
    CompletableFuture<Throwable> start = Stress.startInBackground(app);
    await("Side starts", entered);
    ShutdownReport report = app.stop();
    assertInstanceOf(StartupFailedException.class, start.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    assertEquals(ApplicationState.STOPPED, app.state());
    assertEquals(ComponentState.FAILED, app.component(Side.class).state(), report::toString);
    assertEquals(1, script.count("stop Base"), script.journal::toString);
    await("the listener hears the end", recorder::heardFinal);
    int heardAtEnd = recorder.heard.size();
    hang.countDown(); // the start completes late: it is stopped then
    await("the late start is stopped", () -> script.count("stop Side") == 1);
    assertTrue(script.indexOf("started Side") < script.indexOf("stop Side"), script.journal::toString);
    Thread.sleep(50);
    assertEquals(heardAtEnd, recorder.heard.size(), "nothing after the final state: " + recorder.heard);
  }

  @Test
  void checksStillRunWhileTheApplicationDrains() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    script.check(c -> {
      runs.incrementAndGet();
      return Health.up();
    });
    Ordo app = Ordo.builder().components(new Base(script), new Checked(script)).build();
    app.start();
    RequestTracker.Ticket held = app.requestTracker().enter();
    CompletableFuture<ShutdownReport> shutdown = app.stopAsync();
    await("draining", () -> app.state() == ApplicationState.DRAINING);
    int atDrain = runs.get();
    await("checks run while draining", () -> runs.get() >= atDrain + 3);
    assertEquals(ApplicationState.DRAINING, app.state());
    held.close();
    assertTrue(shutdown.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).clean());
  }

  @Test
  void aCheckHangingPastItsTimeoutIsNeverStartedTwiceAndRefreshReturnsDown() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch hang = new CountDownLatch(1);
    script.check(c -> {
      if (runs.incrementAndGet() == 1) {
        return Health.up(); // the first round, as soon as RUNNING
      }
      Stress.hangUninterruptibly(hang);
      return Health.up();
    });
    Ordo app = Ordo.builder().components(new Base(script), new Checked(script))
        .health(HealthOptions.defaults().failureThreshold(1))
        .build();
    try {
      app.start();
      await("the check hangs", () -> runs.get() == 2);
      for (int i = 0; i < 3; i++) {
        HealthReport report = app.health().refresh(); // each check within its timeout: 200ms
        CheckResult check = report.checks().get(0);
        assertEquals(Health.Status.DOWN, check.status(), check::toString);
      }
      assertEquals(2, runs.get(), "a hanging check is never started a second time");
      assertTrue(app.stop().clean());
    } finally {
      hang.countDown();
    }
  }

  @Test
  void timeoutsAndIntervalsPastTheNanosecondRangeInAnnotationsMeanNoLimit() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    script.check(c -> {
      runs.incrementAndGet();
      return Health.up();
    });
    script.onStart("Forever", c -> Thread.sleep(20));
    script.onStop("Forever", c -> Thread.sleep(20));
    Ordo app = Ordo.builder().components(new Base(script), new Forever(script)).build();
    app.start();
    assertEquals(ComponentState.RUNNING, app.component(Forever.class).state());
    await("the first round of checks", () -> runs.get() == 1);
    HealthReport report = app.health().refresh(); // runs it again: on demand
    assertEquals(2, runs.get());
    for (CheckResult check : report.checks()) {
      assertEquals(Health.Status.UP, check.status(), check::toString);
    }
    assertEquals(2, report.checks().size());
    ShutdownReport stopped = app.stop();
    assertTrue(stopped.clean(), stopped::toString);
    assertEquals(1, script.count("stop Forever"));
  }

  @Test
  void aCriticalFailureWhileAnOptionalStartHangsRollsBackWithinTheBudgetAndEndsFailedEverywhere() throws Exception {
    CountDownLatch hang = new CountDownLatch(1);
    CountDownLatch sideEntered = new CountDownLatch(1);
    script.onStart("Side", c -> {
      sideEntered.countDown();
      Stress.hangUninterruptibly(hang);
    });
    script.onStart("Mid", c -> {
      Stress.await("Side's start", sideEntered);
      throw new IllegalStateException("critical start fails");
    });
    Stress.Recorder blocked = new Stress.Recorder(true);
    dev.ordo.runtime.events.InMemoryEventSink sink = new dev.ordo.runtime.events.InMemoryEventSink();
    java.util.Set<Thread> before = Stress.ordoThreads();
    Ordo app = Ordo.builder()
        .components(new Base(script), new Mid(script), new Top(script), new Side(script))
        .listener(blocked)
        .shutdownTimeout(Duration.ofSeconds(2))
        .health(HealthOptions.defaults().port(0))
        .events(dev.ordo.runtime.events.EventOptions.defaults().sink(sink))
        .build();
    StartupFailedException e;
    try {
      e = org.junit.jupiter.api.Assertions.assertThrows(StartupFailedException.class, app::start);
    } finally {
      hang.countDown();
    }
    assertTrue(e.failures().containsKey(Mid.class.getName()), e::getMessage);
    assertTrue(e.getMessage().contains("critical start fails"), e::getMessage);
    ShutdownReport rollback = e.rollbackReport();
    assertEquals(dev.ordo.runtime.ShutdownReason.STARTUP_FAILURE, rollback.reason());
    assertEquals(rollback, app.awaitShutdown());
    assertEquals(ShutdownReport.EXIT_STARTUP_FAILED, rollback.exitCode());
    if (!rollback.clean() || rollback.budgetExceeded()) {
      assertTrue(!e.getMessage().contains("every started component was stopped"), e::getMessage);
    }
    assertEquals(ApplicationState.FAILED, app.state());
    assertEquals(1, script.count("stop Base"), script.journal::toString);
    assertEquals(0, script.count("start Top"), "a pending component never starts: " + script.journal);
    java.util.List<dev.ordo.runtime.events.Event> events = sink.events();
    assertEquals("dev.ordo.application.failed", events.get(events.size() - 1).type());
    assertTrue(app.healthPort().isEmpty() || !probeAnswers(app.healthPort().getAsInt()), "the probes closed");
    blocked.release();
    await("the blocked listener hears FAILED last", blocked::heardFinal);
    java.util.List<String> heard = blocked.appTransitions();
    assertTrue(heard.get(heard.size() - 1).endsWith("->FAILED"), heard::toString);
    assertTrue(blocked.heard.indexOf("shutdownCompleted") == blocked.heard.size() - 2, blocked.heard::toString);
    await("the late start is stopped then", () -> script.count("stop Side") == 1);
    await("no Ordo thread left", () -> Stress.newOrdoThreads(before).isEmpty());
  }

  private static boolean probeAnswers(int port) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void aBudgetWithoutLimitStillCutsAHangingStartAtTheDrainTimeout() throws Exception {
    CountDownLatch hang = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    script.onStart("Side", c -> {
      entered.countDown();
      Stress.hangUninterruptibly(hang);
    });
    Ordo app = Ordo.builder()
        .components(new Base(script), new Side(script), new Mid(script))
        .shutdownTimeout(java.time.temporal.ChronoUnit.FOREVER.getDuration())
        .drainTimeout(Duration.ofMillis(100))
        .build();
    CompletableFuture<Throwable> start = Stress.startInBackground(app);
    ShutdownReport report;
    try {
      await("Side starts", entered);
      await("Mid runs", () -> script.journal.contains("started Mid"));
      report = app.stop();
    } finally {
      hang.countDown();
    }
    assertInstanceOf(StartupFailedException.class, start.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    assertEquals(ComponentState.FAILED, app.component(Side.class).state(), report::toString);
    assertTrue(script.indexOf("stop Mid") < script.indexOf("stop Base"), script.journal::toString);
    assertEquals(ApplicationState.STOPPED, app.state());
  }

  @Test
  void metricSnapshotsStopWithTheShutdownAndTheLastComesBeforeTheEnd() throws Exception {
    for (Duration interval : java.util.List.of(Duration.ofMillis(1), Duration.ofDays(200_000))) {
      dev.ordo.runtime.events.InMemoryEventSink sink = new dev.ordo.runtime.events.InMemoryEventSink();
      java.util.Set<Thread> before = Stress.ordoThreads();
      Script s = new Script();
      Ordo app = Ordo.builder().components(new Base(s), new Mid(s), new Top(s))
          .events(dev.ordo.runtime.events.EventOptions.defaults().sink(sink).metricsInterval(interval))
          .build();
      app.start();
      sink.await(e -> e.type().equals("dev.ordo.metric.recorded"), PATIENCE); // the first, as it becomes RUNNING
      app.stop();
      java.util.List<dev.ordo.runtime.events.Event> events = sink.events();
      int n = events.size();
      assertEquals("dev.ordo.application.stopped", events.get(n - 1).type());
      assertEquals("dev.ordo.metric.recorded", events.get(n - 2).type(), interval::toString);
      Object components = events.get(n - 2).data().get("components");
      assertTrue(String.valueOf(components).contains("STOPPED"), String.valueOf(components));
      assertTrue(!String.valueOf(components).contains("RUNNING"), String.valueOf(components));
      assertTrue(Stress.newOrdoThreads(before).isEmpty(), () -> "gone: " + Stress.newOrdoThreads(before));
    }
  }

  @Test
  void aBlockedHookNeverHoldsBackAReadyOneWhileTheCapAllowsAnotherThread() throws Exception {
    for (Integer threads : java.util.Arrays.asList(null, 2, Integer.MAX_VALUE)) {
      Script s = new Script();
      // Side blocks until Top (behind Mid) has started: only a second thread can get it there
      s.onStart("Side", c -> Stress.await("Top started while Side blocks", () -> s.journal.contains("started Top")));
      Ordo.Builder b = Ordo.builder().components(new Base(s), new Side(s), new Mid(s), new Top(s));
      if (threads != null) {
        b.startupThreads(threads);
      }
      Ordo app = b.build();
      app.start();
      assertEquals(ComponentState.RUNNING, app.component(Side.class).state(), String.valueOf(threads));
      assertTrue(app.stop().clean());
    }
  }

  @Test
  void startupThreadsBelowOneFailTheBuildNamingTheKey() {
    for (int threads : new int[] {0, -1, Integer.MIN_VALUE}) {
      dev.ordo.runtime.ConfigurationException e = org.junit.jupiter.api.Assertions.assertThrows(
          dev.ordo.runtime.ConfigurationException.class,
          () -> Ordo.builder().components(new Base(script)).startupThreads(threads).build());
      assertTrue(e.getMessage().contains("ordo.startup.threads") && e.getMessage().contains(String.valueOf(threads)),
          e::getMessage);
    }
    for (String value : new String[] {"0", "-1", "two", "99999999999999999999", " "}) {
      System.setProperty("ordo.startup.threads", value);
      try {
        dev.ordo.runtime.ConfigurationException e = org.junit.jupiter.api.Assertions.assertThrows(
            dev.ordo.runtime.ConfigurationException.class, () -> Ordo.builder().components(new Base(script)).build(), value);
        assertTrue(e.getMessage().contains("ordo.startup.threads") && e.getMessage().contains("'" + value + "'"),
            e::getMessage);
      } finally {
        System.clearProperty("ordo.startup.threads");
      }
    }
  }

  @Test
  void aRetryInProgressAtShutdownIsCutLikeAStartAndAfterTheEndNothingIsHeard() throws Exception {
    CountDownLatch hang = new CountDownLatch(1);
    CountDownLatch retrying = new CountDownLatch(1);
    AtomicInteger attempts = new AtomicInteger();
    script.onStart("Healing", c -> {
      if (attempts.incrementAndGet() == 1) {
        throw new IllegalStateException("first attempt fails");
      }
      retrying.countDown();
      Stress.hangUninterruptibly(hang); // the retry hangs past the time a shutdown leaves starts
    });
    Stress.Recorder recorder = new Stress.Recorder(false);
    java.util.List<String> recovered = new java.util.concurrent.CopyOnWriteArrayList<>();
    Ordo app = Ordo.builder()
        .components(new Base(script), new Healing(script), new Mid(script))
        .listener(recorder)
        .listener(new dev.ordo.runtime.LifecycleListener() {
          @Override
          public void componentRecovered(dev.ordo.runtime.ComponentRecovery recovery) {
            recovered.add(recovery.toString());
          }
        })
        .shutdownTimeout(Duration.ofSeconds(2))
        .build();
    ShutdownReport report;
    try {
      app.start();
      assertTrue(app.isDegraded());
      await("the retry hangs", retrying);
      report = app.stop();
      assertEquals(ApplicationState.STOPPED, app.state());
      assertEquals(1, script.count("stop Mid"));
      assertEquals(1, script.count("stop Base"));
      await("the listener hears the end", recorder::heardFinal);
    } finally {
      hang.countDown();
    }
    int heard = recorder.heard.size();
    await("the late start is stopped then", () -> script.count("stop Healing") == 1);
    Thread.sleep(50);
    assertEquals(heard, recorder.heard.size(), "nothing after the end: " + recorder.heard);
    assertEquals(java.util.List.of(), recovered, "no recovery after the shutdown was requested");
    assertEquals(2, attempts.get(), "not retried once the shutdown was requested");
    assertTrue(report.budgetExceeded(), report::toString);
  }

  @Test
  void aReportFileWhoseDirectoryVanishesOrAHookThatOverrunsChangesNothingElse(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    for (String format : java.util.List.of("html", "json")) {
      java.nio.file.Path sub = java.nio.file.Files.createDirectories(dir.resolve("reports-" + format));
      java.nio.file.Path file = sub.resolve("report." + format);
      Script s = new Script();
      CountDownLatch release = new CountDownLatch(1);
      s.onStop("Top", c -> Stress.hangUninterruptibly(release));
      Ordo app = Ordo.builder().components(new Base(s), new Mid(s), new Top(s), new Forever(s))
          .reportFile(file)
          .reportFormat(dev.ordo.runtime.Timeline.Format.valueOf(format.toUpperCase(java.util.Locale.ROOT)))
          .shutdownTimeout(Duration.ofMillis(500))
          .build();
      app.start();
      assertTrue(java.nio.file.Files.size(file) > 0, "written after startup");
      ShutdownReport report = Stress.stopThenRelease(app, release);
      assertTrue(report.abandoned().contains(Top.class.getName()), report::toString);
      String written = java.nio.file.Files.readString(file);
      assertTrue(written.contains(Top.class.getName()), "written again after the shutdown");
      if (format.equals("json")) {
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(written);
      }
      // a directory removed while the application runs: the write fails, nothing else does
      Script t = new Script();
      java.nio.file.Path gone = java.nio.file.Files.createDirectories(dir.resolve("gone-" + format));
      Ordo other = Ordo.builder().components(new Base(t), new Mid(t)).reportFile(gone.resolve("r." + format))
          .reportFormat(dev.ordo.runtime.Timeline.Format.valueOf(format.toUpperCase(java.util.Locale.ROOT)))
          .build();
      other.start();
      try (var files = java.nio.file.Files.list(gone)) {
        for (java.nio.file.Path f : files.toList()) {
          java.nio.file.Files.delete(f);
        }
      }
      java.nio.file.Files.delete(gone);
      ShutdownReport clean = other.stop();
      assertTrue(clean.clean(), clean::toString);
      assertEquals(ApplicationState.STOPPED, other.state());
    }
  }

  @Test
  void aStartCutByTheShutdownIsInterruptedAndItsThreadEnds() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    script.onStart("Side", c -> {
      entered.countDown();
      try {
        Thread.sleep(120_000);
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
    });
    java.util.Set<Thread> before = Stress.ordoThreads();
    Ordo app = Ordo.builder().components(new Base(script), new Side(script))
        .shutdownTimeout(Duration.ofSeconds(1))
        .build();
    CompletableFuture<Throwable> start = Stress.startInBackground(app);
    await("Side starts", entered);
    ShutdownReport report = app.stop();
    assertInstanceOf(StartupFailedException.class, start.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    assertEquals(ComponentState.FAILED, app.component(Side.class).state(), report::toString);
    await("the start's thread is interrupted", interrupted);
    await("no Ordo thread left", () -> Stress.newOrdoThreads(before).isEmpty());
  }

  @Test
  void aStartInProgressSeesItsContextCancelledOnceTheShutdownIsRequested() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    script.onStart("Side", c -> {
      entered.countDown();
      while (!c.isCancelled()) { // a long start that checks, as LifecycleContext asks
        Thread.onSpinWait();
      }
    });
    Ordo app = Ordo.builder().components(new Base(script), new Side(script))
        .shutdownTimeout(java.time.temporal.ChronoUnit.FOREVER.getDuration())
        .drainTimeout(Duration.ofHours(1)) // waiting on the start would take an hour
        .build();
    CompletableFuture<Throwable> start = Stress.startInBackground(app);
    await("Side starts", entered);
    CompletableFuture<ShutdownReport> stop = app.stopAsync();
    ShutdownReport report = stop.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertInstanceOf(StartupFailedException.class, start.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    assertEquals(ApplicationState.STOPPED, app.state());
    assertEquals(1, script.count("stop Base"), report::toString);
    assertEquals(script.count("started Side"), script.count("stop Side"), script.journal::toString);
  }
}
