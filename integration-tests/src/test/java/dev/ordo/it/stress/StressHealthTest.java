package dev.ordo.it.stress;

import static dev.ordo.it.stress.Stress.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.Health;
import dev.ordo.runtime.LifecycleListener;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.RequestTracker;
import dev.ordo.runtime.ShutdownReport;
import dev.ordo.runtime.health.CheckResult;
import dev.ordo.runtime.health.HealthOptions;
import dev.ordo.runtime.health.HealthReport;
import dev.ordo.runtime.health.HealthStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Health checks that throw errors, hang or stop their own application, listeners that block on
 * health changes, and the probes over real HTTP all through a shutdown.
 */
@Timeout(120)
class StressHealthTest {
  private final Script script = new Script();

  private Ordo.Builder graph() {
    return Ordo.builder().components(new Base(script), new Checked(script), new Mid(script), new Top(script));
  }

  private static CheckResult check(Ordo app) {
    return app.health().report().checks().get(0);
  }

  @Test
  void aCheckThatThrowsAnErrorIsDownAndTheApplicationGoesOn() throws Exception {
    List<Throwable> errors = List.of(new AssertionError("asserted"), new StackOverflowError(), new LinkageError("linkage"));
    AtomicReference<Throwable> thrown = new AtomicReference<>(errors.get(0));
    script.check(c -> {
      Throwable t = thrown.get();
      if (t instanceof Error e) {
        throw e;
      }
      return Health.up();
    });
    Stress.Recorder recorder = new Stress.Recorder(false);
    List<String> checkChanges = new CopyOnWriteArrayList<>();
    Set<Thread> before = Stress.ordoThreads();
    Ordo app = graph()
        .listener(recorder)
        .listener(new LifecycleListener() {
          @Override
          public void healthCheckChanged(Health.Status from, CheckResult to) {
            checkChanges.add(from + "->" + to.status());
          }
        })
        .health(HealthOptions.defaults().successThreshold(1))
        .build();
    app.start();
    for (Throwable error : errors) {
      thrown.set(error);
      await("the check is DOWN after " + error, () -> check(app).status() == Health.Status.DOWN
          && check(app).error() != null && check(app).error().getClass() == error.getClass());
      assertEquals(HealthStatus.DOWN, app.health().report().status());
      assertFalse(app.health().report().ready());
      assertTrue(app.health().report().live(), "an error in a check is not the engine's");
      thrown.set(null);
      await("the check is UP again", () -> check(app).status() == Health.Status.UP);
    }
    assertEquals(ApplicationState.RUNNING, app.state());
    // the first result is DOWN (the first error), then UP and DOWN in turn, in order
    await("the listener hears every change", () -> checkChanges.size() >= 2 * errors.size());
    assertEquals(List.of("null->DOWN", "DOWN->UP", "UP->DOWN", "DOWN->UP", "UP->DOWN", "DOWN->UP"), checkChanges);
    ShutdownReport report = app.stop();
    assertTrue(report.clean(), report::toString);
    await("the listener hears the end", recorder::heardFinal);
    await("no Ordo thread left", () -> Stress.newOrdoThreads(before).isEmpty());
  }

  @Test
  void aCheckThatHangsIgnoringItsInterruptHoldsNeitherProbesNorTheShutdown() throws Exception {
    CountDownLatch hang = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    script.check(c -> {
      entered.countDown();
      Stress.hangUninterruptibly(hang);
      return Health.up();
    });
    Set<Thread> before = Stress.ordoThreads();
    Ordo app = graph().shutdownTimeout(Duration.ofSeconds(2)).build();
    app.start();
    try {
      await("the check hangs", entered);
      await("the hanging check is DOWN", () -> check(app).status() == Health.Status.DOWN);
      assertFalse(app.health().report().ready());
      ShutdownReport report = app.stop();
      assertTrue(report.clean(), report::toString);
      assertEquals(ApplicationState.STOPPED, app.state());
      for (String c : List.of("Top", "Mid", "Checked", "Base")) {
        assertEquals(1, script.count("stop " + c), script.journal::toString);
      }
      List<String> left = Stress.newOrdoThreads(before);
      assertTrue(left.size() <= 1, () -> "only the hanging check's thread may outlive stop(): " + left);
    } finally {
      hang.countDown();
    }
    await("no Ordo thread left once the check returned", () -> Stress.newOrdoThreads(before).isEmpty());
  }

  @Test
  void aCheckThatStopsItsOwnApplicationOnlyRequestsItAndCannotAwaitIt() throws Exception {
    AtomicBoolean once = new AtomicBoolean();
    AtomicReference<Object> stopped = new AtomicReference<>("not called");
    AtomicReference<Throwable> awaited = new AtomicReference<>();
    AtomicReference<Ordo> self = new AtomicReference<>();
    CountDownLatch armed = new CountDownLatch(1);
    script.check(c -> {
      if (armed.getCount() == 0 && once.compareAndSet(false, true)) {
        try {
          self.get().awaitShutdown();
        } catch (Throwable t) {
          awaited.set(t);
        }
        stopped.set(self.get().stop());
      }
      return Health.up();
    });
    Ordo app = graph().build();
    self.set(app);
    app.start();
    armed.countDown();
    ShutdownReport report = app.awaitShutdown();
    assertTrue(report.clean(), report::toString);
    assertNull(stopped.get(), "stop() on the check's own thread only requests the shutdown");
    assertInstanceOf(IllegalStateException.class, awaited.get());
    assertEquals(ApplicationState.STOPPED, app.state());
  }

  @Test
  void aListenerBlockedOnHealthChangesHoldsNeitherRefreshNorTheShutdownPastItsBudget() throws Exception {
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    LifecycleListener blocker = new LifecycleListener() {
      @Override
      public void healthCheckChanged(Health.Status from, CheckResult to) {
        entered.countDown();
        Stress.hangUninterruptibly(blocked);
      }
    };
    Stress.Recorder other = new Stress.Recorder(false);
    Ordo app = graph().listener(blocker).listener(other).shutdownTimeout(Duration.ofSeconds(1)).build();
    try {
      app.start();
      await("the listener blocks", entered);
      script.check(c -> Health.down());
      for (int i = 0; i < 5; i++) {
        HealthReport report = app.health().refresh(); // returns without waiting for listeners
        assertEquals(ApplicationState.RUNNING, report.state());
      }
      assertEquals(Health.Status.DOWN, check(app).status());
      ShutdownReport report = app.stop();
      assertEquals(ApplicationState.STOPPED, app.state());
      assertTrue(report.clean(), report::toString);
      await("the other listener hears the end", other::heardFinal);
    } finally {
      blocked.countDown();
    }
  }

  /** GET (or HEAD) on the probes' server: the status and the body, or -1 when nothing listens. */
  private static Object[] get(int port, String path) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
    c.setConnectTimeout(10_000);
    c.setReadTimeout(10_000);
    try {
      int status = c.getResponseCode();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new Object[] {status, body};
    } catch (ConnectException e) {
      return new Object[] {-1, ""};
    } finally {
      c.disconnect();
    }
  }

  @Test
  void probesOverRealHttpAnswerRightThroughDrainingAndStoppingWhileHammered() throws Exception {
    CountDownLatch stopHeld = new CountDownLatch(1);
    CountDownLatch stopEntered = new CountDownLatch(1);
    script.onStop("Top", c -> {
      stopEntered.countDown();
      Stress.hangUninterruptibly(stopHeld);
    });
    Ordo app = graph().health(HealthOptions.defaults().port(0)).build();
    app.start();
    int port = app.healthPort().getAsInt();
    await("the check has answered", () -> app.health().report().ready());
    assertEquals(200, get(port, "/health/ready")[0]);
    // hammer every probe from 4 threads for the whole shutdown
    AtomicBoolean hammering = new AtomicBoolean(true);
    Set<String> unexpected = ConcurrentHashMap.newKeySet();
    List<CompletableFuture<Void>> hammers = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 4; i++) {
      String path = List.of("/health", "/health/live", "/health/ready", "/health/started").get(i);
      hammers.add(CompletableFuture.runAsync(() -> {
        while (hammering.get()) {
          try {
            Object[] answer = get(port, path);
            int status = (int) answer[0];
            if (status != 200 && status != 503 && status != -1) {
              unexpected.add(path + " " + status + " " + answer[1]);
            }
          } catch (IOException e) {
            // the server closing under a request in flight: allowed only at the very end
          }
        }
      }, r -> new Thread(r, "test-hammer").start()));
    }
    RequestTracker.Ticket held = app.requestTracker().enter();
    CompletableFuture<ShutdownReport> shutdown = app.stopAsync();
    await("draining", () -> app.state() == ApplicationState.DRAINING);
    Object[] ready = get(port, "/health/ready");
    assertEquals(503, ready[0], () -> (String) ready[1]);
    assertTrue(((String) ready[1]).contains("\"state\":\"DRAINING\""), (String) ready[1]);
    assertTrue(((String) ready[1]).contains("\"inFlight\":1"), (String) ready[1]);
    assertEquals(200, get(port, "/health/live")[0]);
    assertEquals(200, get(port, "/health/started")[0]);
    assertEquals(503, get(port, "/health")[0]);
    held.close();
    await("Top's stop hook", stopEntered);
    assertEquals(ApplicationState.STOPPING, app.state());
    Object[] live = get(port, "/health/live");
    assertEquals(200, live[0], () -> (String) live[1]);
    assertTrue(((String) live[1]).contains("\"state\":\"STOPPING\""), (String) live[1]);
    assertEquals(503, get(port, "/health/ready")[0]);
    stopHeld.countDown();
    ShutdownReport report = shutdown.get(30, TimeUnit.SECONDS);
    assertTrue(report.clean(), report::toString);
    assertEquals(-1, get(port, "/health/live")[0], "the probes close with the application");
    hammering.set(false);
    for (CompletableFuture<Void> h : hammers) {
      h.get(30, TimeUnit.SECONDS);
    }
    assertEquals(Set.of(), unexpected);
  }

  @Test
  void aCheckSeesItsDeadlineAndItsCancellationAndListenersHearItOnTheirOwnThreads() throws Exception {
    AtomicInteger cancelledSeen = new AtomicInteger();
    AtomicBoolean spin = new AtomicBoolean();
    List<Boolean> remainingPositive = new CopyOnWriteArrayList<>();
    script.check(c -> {
      remainingPositive.add(!c.remaining().isNegative() && !c.remaining().isZero());
      if (spin.get()) {
        while (!c.isCancelled()) { // ignores interrupts: only the cancellation ends it
          Thread.onSpinWait();
        }
        cancelledSeen.incrementAndGet();
      }
      return Health.up();
    });
    Set<String> listenerThreads = ConcurrentHashMap.newKeySet();
    LifecycleListener listener = new LifecycleListener() {
      @Override
      public void healthCheckChanged(Health.Status from, CheckResult to) {
        listenerThreads.add(Thread.currentThread().getName());
      }

      @Override
      public void healthChanged(HealthStatus from, HealthStatus to) {
        listenerThreads.add(Thread.currentThread().getName());
      }
    };
    Ordo app = graph().listener(listener).health(HealthOptions.defaults().failureThreshold(1)).build();
    app.start();
    await("the first result", () -> check(app).status() == Health.Status.UP);
    spin.set(true);
    await("a check gave up on is told so", () -> cancelledSeen.get() >= 1);
    await("the timed-out check is DOWN", () -> check(app).status() == Health.Status.DOWN);
    spin.set(false);
    await("UP again", () -> check(app).status() == Health.Status.UP);
    assertTrue(remainingPositive.stream().allMatch(b -> b), remainingPositive::toString);
    assertTrue(app.stop().clean());
    assertFalse(listenerThreads.isEmpty());
    for (String name : listenerThreads) {
      assertFalse(name.contains("check") || name.contains("scheduler") || name.contains("worker"),
          "a listener never runs on a check's, the scheduler's or a worker's thread: " + name);
    }
  }

  @Test
  void aPortInUseFailsStartBeforeAnyComponentStartsAndLeavesNothingBehind() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      Set<Thread> before = Stress.ordoThreads();
      Ordo app = graph().health(HealthOptions.defaults().port(taken.getLocalPort())).build();
      dev.ordo.runtime.ConfigurationException e =
          org.junit.jupiter.api.Assertions.assertThrows(dev.ordo.runtime.ConfigurationException.class, app::start);
      assertTrue(e.getMessage().contains("ordo.health.port") && e.getMessage().contains(String.valueOf(taken.getLocalPort())),
          e::getMessage);
      assertEquals(List.of(), script.journal, "no component started");
      ShutdownReport report = app.stop();
      assertTrue(report == null || report.clean(), String.valueOf(report));
      await("no Ordo thread left", () -> Stress.newOrdoThreads(before).isEmpty());
    }
  }

  @Test
  void aHostThatCannotBeBoundFailsNamingTheKeyAndTheValue() {
    for (String host : List.of("no-such-host.invalid", "256.1.1.1")) {
      try {
        Ordo app = graph().health(HealthOptions.defaults().port(0).host(host)).build();
        dev.ordo.runtime.ConfigurationException e =
            org.junit.jupiter.api.Assertions.assertThrows(dev.ordo.runtime.ConfigurationException.class, app::start);
        assertTrue(e.getMessage().contains("ordo.health.host") || e.getMessage().contains(host), e::getMessage);
        assertEquals(List.of(), script.journal, "no component started");
      } catch (dev.ordo.runtime.ConfigurationException e) {
        assertTrue(e.getMessage().contains("ordo.health.host") && e.getMessage().contains(host), e::getMessage);
      }
    }
  }

  @Test
  void probeBodiesAndEventsStayStrictJsonWithHostileKeysAndDetails() throws Exception {
    String key = "q\"uote\\back/slash\u0001ctl-line\ud83d\ude00";
    script.check(c -> Health.down()
        .withDetail("nan", Double.NaN)
        .withDetail("inf", Double.NEGATIVE_INFINITY)
        .withDetail("text", "</script>\"\\\n\t\u0000\ud800")
        .withDetail("big", Long.MAX_VALUE));
    dev.ordo.runtime.events.InMemoryEventSink sink = new dev.ordo.runtime.events.InMemoryEventSink();
    Ordo app = Ordo.builder()
        .component(new Base(script))
        .component(key, new Checked(script))
        .health(HealthOptions.defaults().port(0).details(true))
        .events(dev.ordo.runtime.events.EventOptions.defaults().sink(sink))
        .build();
    app.start();
    await("the check is DOWN", () -> check(app).status() == Health.Status.DOWN);
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    json.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    for (String path : List.of("/health", "/health/live", "/health/ready", "/health/started")) {
      Object[] answer = get(app.healthPort().getAsInt(), path);
      com.fasterxml.jackson.databind.JsonNode body = json.readTree((String) answer[1]);
      assertTrue(body.has("status") && body.get("checks").isArray(), path + ": " + answer[1]);
      if (path.equals("/health")) {
        assertTrue(body.toString().contains("uote"), body::toString);
      }
    }
    app.stop();
    for (dev.ordo.runtime.events.Event e : sink.events()) {
      json.readTree(e.toJson());
    }
    assertTrue(sink.events().stream().anyMatch(e -> String.valueOf(e.subject()).contains("uote")));
  }

  @Test
  void listenersThatCallBackIntoTheApplicationDoNotDeadlockIt() throws Exception {
    AtomicInteger refreshes = new AtomicInteger();
    AtomicReference<Ordo> self = new AtomicReference<>();
    List<Throwable> thrown = new CopyOnWriteArrayList<>();
    LifecycleListener callingBack = new LifecycleListener() {
      private void callBack() {
        try {
          Ordo app = self.get();
          app.state();
          app.components();
          app.health().report();
          app.events().stats();
          app.timeline();
          app.isDegraded();
          if (refreshes.incrementAndGet() <= 5) {
            app.health().refresh(); // waits for checks, which tell this very listener
          }
        } catch (Throwable t) {
          thrown.add(t);
        }
      }

      @Override
      public void applicationStateChanged(ApplicationState from, ApplicationState to) {
        callBack();
      }

      @Override
      public void componentStateChanged(dev.ordo.runtime.ComponentTransition t) {
        callBack();
      }

      @Override
      public void healthCheckChanged(Health.Status from, CheckResult to) {
        callBack();
      }

      @Override
      public void healthChanged(HealthStatus from, HealthStatus to) {
        callBack();
      }
    };
    AtomicBoolean down = new AtomicBoolean();
    script.check(c -> down.get() ? Health.down() : Health.up());
    Stress.Recorder recorder = new Stress.Recorder(false);
    Ordo app = graph().listener(callingBack).listener(recorder)
        .health(HealthOptions.defaults().failureThreshold(1).successThreshold(1)).build();
    self.set(app);
    app.start();
    down.set(true);
    await("DOWN", () -> check(app).status() == Health.Status.DOWN);
    down.set(false);
    await("UP", () -> check(app).status() == Health.Status.UP);
    ShutdownReport report = app.stop();
    assertTrue(report.clean(), report::toString);
    await("the other listener hears the end", recorder::heardFinal);
    assertEquals(List.of(), thrown);
  }

  @Test
  void noExceptionTextLeavesTheProcessWithoutDetails() throws Exception {
    script.check(c -> {
      throw new IllegalStateException("SECRET-check password=hunter2");
    });
    script.onStart("Side", c -> {
      throw new IllegalStateException("SECRET-start jdbc://user:pw@db");
    });
    Ordo app = graph().component(new Side(script)).health(HealthOptions.defaults().port(0)).build();
    app.start();
    await("the check is DOWN", () -> check(app).status() == Health.Status.DOWN);
    for (String path : List.of("/health", "/health/live", "/health/ready", "/health/started", "/nope", "/health/")) {
      Object[] answer = get(app.healthPort().getAsInt(), path);
      assertFalse(((String) answer[1]).contains("SECRET"), path + ": " + answer[1]);
      assertFalse(((String) answer[1]).contains("IllegalStateException"), path + ": " + answer[1]);
    }
    assertTrue(app.stop().clean());
  }

  @Test
  void aCheckWithoutATimeLimitStillRunningAtTheEndIsInterruptedAndItsThreadEnds() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    script.check(c -> {
      entered.countDown();
      try {
        Thread.sleep(120_000);
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
      return Health.up();
    });
    Set<Thread> before = Stress.ordoThreads();
    Ordo app = Ordo.builder().components(new Base(script), new Forever(script)).build();
    app.start();
    await("the check runs", entered);
    ShutdownReport report = app.stop();
    assertTrue(report.clean(), report::toString);
    await("the check is interrupted", interrupted);
    await("no Ordo thread left", () -> Stress.newOrdoThreads(before).isEmpty());
  }
}
