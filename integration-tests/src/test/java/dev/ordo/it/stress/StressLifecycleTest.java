package dev.ordo.it.stress;

import static dev.ordo.it.stress.Stress.PATIENCE;
import static dev.ordo.it.stress.Stress.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.LifecycleListener;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.ShutdownReason;
import dev.ordo.runtime.ShutdownReport;
import dev.ordo.runtime.StartupFailedException;
import dev.ordo.runtime.events.Event;
import dev.ordo.runtime.events.EventOptions;
import dev.ordo.runtime.events.EventSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine's promises (issue 10) under combinations of trouble, through the public API with
 * processor-compiled components: hooks that hang past the budget while listeners block and sinks
 * are slow, {@code stop()} racing {@code start()}, tiny budgets, listeners added mid-transition.
 */
@Timeout(120)
class StressLifecycleTest {
  private final Script script = new Script();

  private Ordo.Builder graph() {
    return Ordo.builder().components(new Base(script), new Mid(script), new Top(script));
  }

  /** A sink that takes a few milliseconds per event and keeps what it was given. */
  static final class SlowSink implements EventSink {
    final List<String> types = new CopyOnWriteArrayList<>();

    @Override
    public void deliver(Event event) throws Exception {
      Thread.sleep(3);
      types.add(event.type());
    }
  }

  @Test
  void aHangingStartWithABlockedListenerAndASlowSinkStillStopsEverythingThatRuns() throws Exception {
    CountDownLatch hang = new CountDownLatch(1);
    CountDownLatch sideEntered = new CountDownLatch(1);
    script.onStart("Side", c -> {
      sideEntered.countDown();
      Stress.hangUninterruptibly(hang); // ignores its interrupt: passes the time a shutdown leaves it
    });
    Stress.Recorder blocked = new Stress.Recorder(true);
    Stress.Recorder free = new Stress.Recorder(false);
    SlowSink sink = new SlowSink();
    Set<Thread> before = Stress.ordoThreads();
    Ordo app = graph()
        .component(new Side(script))
        .listener(blocked)
        .listener(free)
        .shutdownTimeout(Duration.ofSeconds(4))
        .events(EventOptions.defaults().sink(sink))
        .build();
    CompletableFuture<Throwable> start = Stress.startInBackground(app);
    await("Side's start hook", sideEntered);
    await("Top running", () -> script.journal.contains("started Top"));
    ShutdownReport report = Stress.stopThenRelease(app, hang);
    assertNotNull(report);
    assertEquals(ShutdownReason.MANUAL, report.reason());
    Throwable thrown = start.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    StartupFailedException failed = assertInstanceOf(StartupFailedException.class, thrown);
    assertTrue(failed.interruptedByShutdown(), failed::getMessage);
    // every component that ran was stopped once, in reverse order, though a start hung past the budget's share
    for (String c : List.of("Base", "Mid", "Top")) {
      assertEquals(1, script.count("stop " + c), c + ": " + script.journal);
    }
    assertTrue(script.indexOf("stop Top") < script.indexOf("stop Mid"), script.journal::toString);
    assertTrue(script.indexOf("stop Mid") < script.indexOf("stop Base"), script.journal::toString);
    assertEquals(ComponentState.STOPPED, app.component(Base.class).state());
    assertEquals(ApplicationState.STOPPED, app.state());
    // the slow sink got the end while the blocked listener had not heard anything yet
    assertTrue(sink.types.contains("dev.ordo.application.stopped"), sink.types::toString);
    assertEquals("dev.ordo.application.stopped", sink.types.get(sink.types.size() - 1));
    // the free listener heard everything, the final state last
    await("the free listener hears STOPPED", free::heardFinal);
    assertEquals("app STOPPING->STOPPED", free.heard.get(free.heard.size() - 1), free.heard::toString);
    // the blocked one, released, hears everything in order, the final state last
    blocked.release();
    await("the blocked listener hears STOPPED", blocked::heardFinal);
    Thread.sleep(50); // nothing may come after the final state (a late start's stop included)
    assertEquals(free.appTransitions(), blocked.appTransitions());
    assertEquals("app STOPPING->STOPPED", blocked.heard.get(blocked.heard.size() - 1), blocked.heard::toString);
    assertTrue(blocked.heard.indexOf("shutdownCompleted") < blocked.heard.size() - 1);
    for (Thread t : blocked.threads) {
      assertFalse(t.getName().contains("worker"), "listeners never run on the engine's workers: " + t.getName());
    }
    await("no Ordo thread left", () -> Stress.newOrdoThreads(before).isEmpty());
  }

  @Test
  void stopRacingStartFromSeveralThreadsStopsWhatStartedOnceAndEndsStopped() throws Exception {
    for (int round = 0; round < 40; round++) {
      Script s = new Script();
      Stress.Recorder recorder = new Stress.Recorder(false);
      Set<Thread> before = Stress.ordoThreads();
      Ordo app = Ordo.builder()
          .components(new Base(s), new Mid(s), new Top(s), new Side(s))
          .listener(recorder)
          .build();
      int starters = 3;
      int stoppers = 3;
      CyclicBarrier go = new CyclicBarrier(starters + stoppers);
      List<CompletableFuture<Object>> calls = new ArrayList<>();
      for (int i = 0; i < starters + stoppers; i++) {
        boolean starter = i < starters;
        calls.add(CompletableFuture.supplyAsync(() -> {
          try {
            go.await();
            if (starter) {
              app.start();
              return "started";
            }
            return app.stop();
          } catch (Throwable t) {
            return t;
          }
        }, r -> new Thread(r, "test-caller").start()));
      }
      List<ShutdownReport> reports = new ArrayList<>();
      int started = 0;
      for (CompletableFuture<Object> call : calls) {
        Object outcome = call.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        if (outcome instanceof ShutdownReport r) {
          reports.add(r);
        } else if ("started".equals(outcome)) {
          started++;
        } else if (!(outcome instanceof StartupFailedException) && !(outcome instanceof IllegalStateException)) {
          fail("round " + round + ": unexpected outcome " + outcome, outcome instanceof Throwable t ? t : null);
        }
      }
      assertEquals(stoppers, reports.size(), "every stop() returns the report, round " + round);
      for (ShutdownReport r : reports) {
        assertSame(reports.get(0), r, "one shutdown, one report");
      }
      assertTrue(started <= 1, "at most one start() succeeds, round " + round);
      assertEquals(ApplicationState.STOPPED, app.state(), "round " + round);
      for (String c : List.of("Base", "Mid", "Top", "Side")) {
        assertEquals(s.count("started " + c), s.count("stop " + c), c + " round " + round + ": " + s.journal);
      }
      await("the listener hears the final state", recorder::heardFinal);
      List<String> app1 = recorder.appTransitions();
      for (int i = 1; i < app1.size(); i++) {
        String previousTo = app1.get(i - 1).substring(app1.get(i - 1).indexOf("->") + 2);
        assertTrue(app1.get(i).startsWith(previousTo + "->"), "a chain of transitions: " + app1);
      }
      assertTrue(Stress.newOrdoThreads(before).isEmpty(), () -> "round: " + Stress.newOrdoThreads(before));
    }
  }

  @Test
  void aBudgetOfOneMillisecondStillEndsStoppedWithEveryStopRequested() throws Exception {
    for (Duration budget : List.of(Duration.ofMillis(1), Duration.ofNanos(1))) {
      Script s = new Script();
      CountDownLatch release = new CountDownLatch(1);
      s.onStop("Top", c -> Thread.sleep(200));
      s.onStop("Mid", c -> Stress.hangUninterruptibly(release));
      Stress.Recorder recorder = new Stress.Recorder(false);
      Set<Thread> before = Stress.ordoThreads();
      Ordo app = Ordo.builder()
          .components(new Base(s), new Mid(s), new Top(s))
          .listener(recorder)
          .shutdownTimeout(budget)
          .build();
      app.start();
      ShutdownReport report = Stress.stopThenRelease(app, release);
      assertNotNull(report, budget::toString);
      assertTrue(report.budgetExceeded() || !report.clean(), report::toString);
      assertEquals(ShutdownReport.EXIT_BUDGET_EXCEEDED, report.exitCode(), report::toString);
      assertEquals(ApplicationState.STOPPED, app.state());
      await("the listener hears the final state", recorder::heardFinal);
      // Base's stop ran, or it is named abandoned in the report
      assertTrue(app.component(Base.class).state() == ComponentState.STOPPED
          || report.abandoned().contains(Base.class.getName()), report::toString);
      await("no Ordo thread left once the hanging hook returned", () -> Stress.newOrdoThreads(before).isEmpty());
    }
  }

  @Test
  void listenersAddedDuringTransitionsHearAnOrderedTailEndingWithTheFinalState() throws Exception {
    for (int round = 0; round < 10; round++) {
      Script s = new Script();
      List<Stress.Recorder> added = new CopyOnWriteArrayList<>();
      AtomicReference<Ordo> self = new AtomicReference<>();
      // a listener that adds another listener on every transition it hears
      LifecycleListener adder = new LifecycleListener() {
        @Override
        public void applicationStateChanged(ApplicationState from, ApplicationState to) {
          Stress.Recorder r = new Stress.Recorder(false);
          added.add(r);
          self.get().addListener(r);
        }
      };
      s.onStart("Mid", c -> {
        Stress.Recorder r = new Stress.Recorder(false);
        added.add(r);
        self.get().addListener(r); // from a hook, during STARTING
      });
      s.onStop("Mid", c -> {
        Stress.Recorder r = new Stress.Recorder(false);
        added.add(r);
        self.get().addListener(r); // from a hook, during STOPPING
      });
      Ordo app = Ordo.builder().components(new Base(s), new Mid(s), new Top(s)).listener(adder).build();
      self.set(app);
      Thread adding = new Thread(() -> {
        for (int n = 0; n < 300 && app.state() != ApplicationState.STOPPED; n++) {
          Stress.Recorder r = new Stress.Recorder(false);
          added.add(r);
          app.addListener(r);
          try {
            Thread.sleep(1);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "test-adder");
      adding.start();
      app.start();
      app.stop();
      adding.join(PATIENCE.toMillis());
      assertFalse(adding.isAlive());
      Thread.sleep(20);
      for (Stress.Recorder r : added) {
        List<String> heard = r.appTransitions();
        for (int i = 1; i < heard.size(); i++) {
          String previousTo = heard.get(i - 1).substring(heard.get(i - 1).indexOf("->") + 2);
          assertTrue(heard.get(i).startsWith(previousTo + "->"), "a chain of transitions: " + heard);
        }
      }
      // every listener added before the shutdown began hears the final state, last
      for (Stress.Recorder r : added) {
        if (r.appTransitions().contains("RUNNING->DRAINING")) {
          await("a listener hears the end", r::heardFinal);
        }
      }
    }
  }

  @Test
  void everyPublicMethodRacesStartAndStopWithHealthEventsAndProbesOn() throws Exception {
    for (int round = 0; round < 15; round++) {
      Script s = new Script();
      s.onStart("Mid", c -> Thread.sleep(1));
      s.onStop("Top", c -> Thread.sleep(1));
      dev.ordo.runtime.events.InMemoryEventSink sink = new dev.ordo.runtime.events.InMemoryEventSink();
      Stress.Recorder recorder = new Stress.Recorder(false);
      Set<Thread> before = Stress.ordoThreads();
      Ordo app = Ordo.builder()
          .components(new Base(s), new Mid(s), new Top(s), new Checked(s), new Forever(s))
          .listener(recorder)
          .health(dev.ordo.runtime.health.HealthOptions.defaults().port(0))
          .events(EventOptions.defaults().sink(sink).metricsInterval(Duration.ofMillis(1)))
          .build();
      CyclicBarrier go = new CyclicBarrier(6);
      List<CompletableFuture<Object>> calls = new ArrayList<>();
      java.util.function.Function<java.util.concurrent.Callable<Object>, CompletableFuture<Object>> race =
          body -> CompletableFuture.supplyAsync(() -> {
            try {
              go.await();
              return body.call();
            } catch (StartupFailedException | IllegalStateException documented) {
              return documented;
            } catch (Throwable t) {
              return new AssertionError("undocumented: " + t, t);
            }
          }, r -> new Thread(r, "test-racer").start());
      calls.add(race.apply(() -> {
        app.start();
        return "started";
      }));
      calls.add(race.apply(app::stop));
      calls.add(race.apply(() -> app.stopAsync().get(30, TimeUnit.SECONDS)));
      calls.add(race.apply(app::awaitShutdown));
      calls.add(race.apply(() -> {
        for (int i = 0; i < 30; i++) {
          app.state();
          app.components();
          app.component(Mid.class);
          app.isDegraded();
          app.uptime();
          app.startTime();
          app.health().report().json(dev.ordo.runtime.health.HealthProbe.values()[i % 4], i % 2 == 0);
          app.health().refresh();
          app.events().stats();
          app.timeline();
          app.healthPort();
          app.requestTracker().inFlight();
          dev.ordo.runtime.RequestTracker.Ticket t = app.requestTracker().tryEnter();
          if (t != null) {
            t.close();
            t.close();
          }
          app.addListener(new LifecycleListener() {});
        }
        return "read";
      }));
      calls.add(race.apply(() -> {
        for (int i = 0; i < 30; i++) {
          java.util.OptionalInt port = app.healthPort();
          if (port.isPresent()) {
            try {
              java.net.HttpURLConnection c = (java.net.HttpURLConnection) java.net.URI
                  .create("http://127.0.0.1:" + port.getAsInt() + "/health").toURL().openConnection();
              c.setConnectTimeout(10_000);
              c.setReadTimeout(10_000);
              int status = c.getResponseCode();
              if (status != 200 && status != 503) {
                throw new AssertionError("probe answered " + status);
              }
              c.disconnect();
            } catch (java.io.IOException closed) {
              // the server closed with the application
            }
          }
        }
        return "probed";
      }));
      ShutdownReport report = null;
      for (CompletableFuture<Object> call : calls) {
        Object outcome = call.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        if (outcome instanceof AssertionError e) {
          throw e;
        }
        if (outcome instanceof ShutdownReport r) {
          if (report != null) {
            assertSame(report, r, "one shutdown, one report");
          }
          report = r;
        }
      }
      assertNotNull(report);
      assertEquals(ApplicationState.STOPPED, app.state(), "round " + round);
      for (String c : List.of("Base", "Mid", "Top", "Checked", "Forever")) {
        assertEquals(s.count("started " + c), s.count("stop " + c), c + " round " + round + ": " + s.journal);
      }
      await("the listener hears the end", recorder::heardFinal);
      List<Event> events = sink.events();
      assertEquals("dev.ordo.application.stopped", events.get(events.size() - 1).type(), "round " + round);
      assertEquals(0, app.requestTracker().inFlight());
      await("no Ordo thread left", () -> Stress.newOrdoThreads(before).isEmpty());
    }
  }

  @Test
  void aListenerBlockedOnATimeoutDelaysNoOtherTimeout() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch listenerBlocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    script.onStart("Quick", c -> Stress.hangUninterruptibly(release)); // passes its 300ms
    script.onStop("Quick", c -> Stress.hangUninterruptibly(release));
    LifecycleListener blocker = new LifecycleListener() {
      @Override
      public void componentStateChanged(dev.ordo.runtime.ComponentTransition t) {
        if (t.to() == ComponentState.FAILED) {
          listenerBlocked.countDown();
          Stress.hangUninterruptibly(release); // blocks on the first timeout it hears of
        }
      }
    };
    Ordo app = Ordo.builder()
        .components(new Base(script), new dev.ordo.it.timeout.Hanging(never), new Quick(script))
        .listener(blocker)
        .shutdownTimeout(Duration.ofSeconds(2))
        .build();
    try {
      app.start(); // both optional starts time out, though the listener blocks on the first
      await("the listener blocks", listenerBlocked);
      assertEquals(ComponentState.FAILED, app.component(Quick.class).state());
      assertEquals(ComponentState.FAILED, app.component(dev.ordo.it.timeout.Hanging.class).state());
      assertTrue(app.isDegraded());
      ShutdownReport report = app.stop();
      assertEquals(ApplicationState.STOPPED, app.state());
      assertEquals(1, script.count("stop Base"), report::toString);
    } finally {
      release.countDown();
      never.countDown();
    }
  }
}
