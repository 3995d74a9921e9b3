package dev.ordo.it.stress;

import static dev.ordo.it.stress.Stress.PATIENCE;
import static dev.ordo.it.stress.Stress.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.Health;
import dev.ordo.runtime.LifecycleListener;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.ShutdownReport;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shutdown promises under trouble: applications stopping each other from their stop hooks, a
 * caller interrupted over and over in {@code stop()}, a listener that stops the application and
 * another that throws, the budget's share kept for the last events, and checks that never begin
 * once their component stops.
 */
@Timeout(120)
class StressShutdownTest {
  private final Script script = new Script();

  @Test
  void twoApplicationsStoppingEachOtherFromTheirStopHooksBothEndWithinTheirBudgets() throws Exception {
    Script a = new Script();
    Script b = new Script();
    AtomicReference<Ordo> appA = new AtomicReference<>();
    AtomicReference<Ordo> appB = new AtomicReference<>();
    AtomicReference<Object> fromA = new AtomicReference<>("not called");
    AtomicReference<Object> fromB = new AtomicReference<>("not called");
    a.onStop("Top", c -> fromA.set(appB.get().stop())); // waits for B: another application's stop
    b.onStop("Top", c -> fromB.set(appA.get().stop())); // A is stopping: waits for A, which waits for B
    appA.set(Ordo.builder().components(new Base(a), new Mid(a), new Top(a)).shutdownTimeout(Duration.ofSeconds(2)).build());
    appB.set(Ordo.builder().components(new Base(b), new Mid(b), new Top(b)).shutdownTimeout(Duration.ofSeconds(2)).build());
    appA.get().start();
    appB.get().start();
    ShutdownReport report = CompletableFuture.supplyAsync(() -> appA.get().stop())
        .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertNotNull(report);
    await("B stopped", () -> appB.get().state() == ApplicationState.STOPPED);
    assertEquals(ApplicationState.STOPPED, appA.get().state());
    // A's stop hook waited for B's shutdown: it got B's report, not null
    await("A's hook returned", () -> !"not called".equals(fromA.get()));
    assertTrue(fromA.get() instanceof ShutdownReport, () -> String.valueOf(fromA.get()));
    // B's hook returns once A's shutdown is over, about when A's stop() returns: waited for, not raced
    await("B's hook returned", () -> !"not called".equals(fromB.get()));
    assertTrue(fromB.get() == null || fromB.get() instanceof ShutdownReport, () -> String.valueOf(fromB.get()));
    for (Script s : List.of(a, b)) {
      assertEquals(1, s.count("stop Top"), s.journal::toString);
    }
  }

  @Test
  void aCallerInterruptedOverAndOverInStopStillGetsTheWholeShutdown() throws Exception {
    CountDownLatch slow = new CountDownLatch(1);
    CountDownLatch interruptedOnce = new CountDownLatch(1);
    script.onStop("Top", c -> {
      // a stop hook that takes a while and ignores interrupts, until the caller was interrupted
      Stress.hangUninterruptibly(interruptedOnce);
      for (int i = 0; i < 20; i++) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          // the caller's interrupts never reach the hook's thread; the engine's timeout would
        }
      }
      slow.countDown();
    });
    Stress.Recorder recorder = new Stress.Recorder(false);
    Ordo app = Ordo.builder().components(new Base(script), new Mid(script), new Top(script)).listener(recorder).build();
    app.start();
    AtomicReference<Object> outcome = new AtomicReference<>();
    AtomicBoolean interruptedAfter = new AtomicBoolean();
    Thread caller = new Thread(() -> {
      try {
        outcome.set(app.stop());
      } catch (Throwable t) {
        outcome.set(t);
      }
      interruptedAfter.set(Thread.interrupted());
    }, "test-caller");
    caller.start();
    Stress.interruptUntilDone(caller, interruptedOnce);
    assertFalse(caller.isAlive());
    assertTrue(outcome.get() instanceof ShutdownReport, () -> String.valueOf(outcome.get()));
    ShutdownReport report = (ShutdownReport) outcome.get();
    assertTrue(report.clean(), report::toString);
    assertTrue(interruptedAfter.get(), "the interrupt status is set again");
    assertEquals(ApplicationState.STOPPED, app.state());
    for (String c : List.of("Top", "Mid", "Base")) {
      assertEquals(1, script.count("stop " + c), script.journal::toString);
    }
    assertEquals(0, slow.getCount());
    await("the listener hears the end", recorder::heardFinal);
  }

  @Test
  void aListenerThatStopsTheApplicationBesideOneThatThrowsOnEveryCall() throws Exception {
    AtomicReference<Ordo> self = new AtomicReference<>();
    AtomicReference<Object> fromListener = new AtomicReference<>("not called");
    AtomicReference<Throwable> awaitFromListener = new AtomicReference<>();
    LifecycleListener stopper = new LifecycleListener() {
      @Override
      public void applicationStateChanged(ApplicationState from, ApplicationState to) {
        if (to == ApplicationState.RUNNING) {
          try {
            self.get().awaitShutdown();
          } catch (Throwable t) {
            awaitFromListener.set(t);
          }
          fromListener.set(self.get().stop());
        }
      }
    };
    LifecycleListener thrower = new LifecycleListener() {
      @Override
      public void applicationStateChanged(ApplicationState from, ApplicationState to) {
        throw new AssertionError("listener " + to);
      }

      @Override
      public void componentStateChanged(dev.ordo.runtime.ComponentTransition t) {
        throw new OutOfMemoryError("pretend");
      }

      @Override
      public void shutdownCompleted(ShutdownReport report) {
        throw new StackOverflowError();
      }
    };
    Stress.Recorder recorder = new Stress.Recorder(false);
    Ordo app = Ordo.builder().components(new Base(script), new Mid(script), new Top(script))
        .listener(thrower).listener(stopper).listener(recorder).build();
    self.set(app);
    app.start();
    ShutdownReport report = app.awaitShutdown();
    assertTrue(report.clean(), report::toString);
    assertNull(fromListener.get(), "stop() from the application's own listener only requests it");
    assertTrue(awaitFromListener.get() instanceof IllegalStateException, () -> String.valueOf(awaitFromListener.get()));
    await("the recorder hears the end", recorder::heardFinal);
    assertEquals(List.of("NEW->STARTING", "STARTING->RUNNING", "RUNNING->DRAINING", "DRAINING->STOPPING",
        "STOPPING->STOPPED"), recorder.appTransitions());
  }

  @Test
  void aStopRacingStartWithSlowStartsAndFailingStopsStillStopsEveryStartedComponentOnce() throws Exception {
    for (int round = 0; round < 30; round++) {
      Script s = new Script();
      int r = round;
      s.onStart("Mid", c -> Thread.sleep(r % 4));
      s.onStart("Side", c -> {
        if (r % 3 == 0) {
          throw new IllegalStateException("optional start fails");
        }
      });
      s.onStop("Mid", c -> {
        throw new IllegalStateException("stop fails");
      });
      Ordo app = Ordo.builder().components(new Base(s), new Mid(s), new Top(s), new Side(s)).build();
      CompletableFuture<Throwable> start = Stress.startInBackground(app);
      if (round % 2 == 0) {
        Thread.sleep(round % 5);
      }
      ShutdownReport report = app.stop();
      Throwable thrown = start.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      // start() fails when the shutdown came first (refused) or during it (interrupted)
      assertTrue(thrown == null || thrown instanceof dev.ordo.runtime.StartupFailedException
          || thrown instanceof IllegalStateException, String.valueOf(thrown));
      assertNotNull(report);
      for (String c : List.of("Base", "Mid", "Top", "Side")) {
        assertEquals(s.count("started " + c), s.count("stop " + c), c + " round " + round + ": " + s.journal);
      }
      if (s.count("stop Mid") == 1) {
        assertTrue(report.failed().contains(Mid.class.getName()), report::toString);
      }
      assertEquals(ApplicationState.STOPPED, app.state());
    }
  }

  @Test
  void aDelayPlusDrainFromSystemPropertiesAsLongAsTheBudgetIsRefusedNamingTheirSources() {
    System.setProperty("ordo.shutdown.delay", "4s");
    System.setProperty("ordo.shutdown.drain-timeout", "6s");
    try {
      ConfigurationException e = assertThrows(ConfigurationException.class,
          () -> Ordo.builder().components(new Base(script)).shutdownTimeout(Duration.ofSeconds(10)).build());
      String m = e.getMessage();
      for (String expected : List.of("ordo.shutdown.delay (4s, system property", "ordo.shutdown.drain-timeout (6s, system property",
          "ordo.shutdown.timeout (10s, builder)")) {
        assertTrue(m.contains(expected), () -> expected + " in " + m);
      }
    } finally {
      System.clearProperty("ordo.shutdown.delay");
      System.clearProperty("ordo.shutdown.drain-timeout");
    }
  }

  @Test
  void noCheckBeginsOnceItsComponentBeganToStop() throws Exception {
    for (int round = 0; round < 15; round++) {
      Script s = new Script();
      AtomicBoolean stopping = new AtomicBoolean();
      AtomicInteger late = new AtomicInteger();
      AtomicInteger runs = new AtomicInteger();
      List<ApplicationState> seen = new CopyOnWriteArrayList<>();
      AtomicReference<Ordo> self = new AtomicReference<>();
      s.check(c -> {
        runs.incrementAndGet();
        if (stopping.get()) {
          late.incrementAndGet();
        }
        seen.add(self.get().state());
        return Health.up();
      });
      s.onStop("Checked", c -> stopping.set(true));
      Ordo app = Ordo.builder().components(new Base(s), new Checked(s), new Mid(s), new Top(s)).build();
      self.set(app);
      app.start();
      await("two checks", () -> runs.get() >= 2);
      app.stop();
      int after = runs.get();
      Thread.sleep(120); // two intervals: no check may run after stop() returned
      assertEquals(after, runs.get(), "round " + round);
      assertEquals(0, late.get(), "a check began after its component's stop hook, round " + round);
      assertFalse(seen.contains(ApplicationState.NEW) || seen.contains(ApplicationState.STARTING), seen::toString);
    }
  }

  @Test
  void stopOfAnotherApplicationFromAListenerOrACheckWaitsForIt() throws Exception {
    Script a = new Script();
    Script b = new Script();
    Script c = new Script();
    Ordo appB = Ordo.builder().components(new Base(b), new Mid(b)).build();
    Ordo appC = Ordo.builder().components(new Base(c), new Mid(c)).build();
    AtomicReference<Object> fromListener = new AtomicReference<>("not called");
    AtomicReference<Object> fromCheck = new AtomicReference<>("not called");
    AtomicBoolean armed = new AtomicBoolean();
    a.check(ctx -> {
      if (armed.get() && "not called".equals(fromCheck.get())) {
        fromCheck.set(appC.stop());
      }
      return Health.up();
    });
    Ordo appA = Ordo.builder().components(new Base(a), new Checked(a))
        .listener(new LifecycleListener() {
          @Override
          public void applicationStateChanged(ApplicationState from, ApplicationState to) {
            if (to == ApplicationState.RUNNING) {
              fromListener.set(appB.stop());
            }
          }
        })
        .build();
    appB.start();
    appC.start();
    appA.start();
    armed.set(true);
    await("the listener returned", () -> !"not called".equals(fromListener.get()));
    await("the check returned", () -> !"not called".equals(fromCheck.get()));
    assertTrue(fromListener.get() instanceof ShutdownReport, () -> String.valueOf(fromListener.get()));
    assertTrue(fromCheck.get() instanceof ShutdownReport, () -> String.valueOf(fromCheck.get()));
    assertEquals(ApplicationState.STOPPED, appB.state());
    assertEquals(ApplicationState.STOPPED, appC.state());
    assertEquals(1, b.count("stop Base"));
    assertTrue(appA.stop().clean());
  }

  @Test
  void aCallerInterruptedOverAndOverInStartGetsARollbackThatStopsWhatStarted() throws Exception {
    CountDownLatch midEntered = new CountDownLatch(1);
    CountDownLatch interruptedOnce = new CountDownLatch(1);
    script.onStart("Mid", c -> {
      midEntered.countDown();
      Stress.hangUninterruptibly(interruptedOnce); // the start is still running when the interrupts come
      for (int i = 0; i < 20; i++) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          // the caller's interrupts are not the hook's
        }
      }
    });
    Ordo app = Ordo.builder().components(new Base(script), new Mid(script), new Top(script)).build();
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    AtomicBoolean interruptedAfter = new AtomicBoolean();
    Thread caller = new Thread(() -> {
      try {
        app.start();
      } catch (Throwable t) {
        outcome.set(t);
      }
      interruptedAfter.set(Thread.interrupted());
    }, "test-caller");
    caller.start();
    await("Mid starts", midEntered);
    Stress.interruptUntilDone(caller, interruptedOnce);
    assertFalse(caller.isAlive());
    dev.ordo.runtime.StartupFailedException e =
        org.junit.jupiter.api.Assertions.assertInstanceOf(dev.ordo.runtime.StartupFailedException.class, outcome.get());
    assertFalse(e.getMessage().contains("0 components failed"), e::getMessage);
    assertNotNull(e.rollbackReport(), e::getMessage);
    assertTrue(interruptedAfter.get(), "the interrupt status is set again");
    assertTrue(app.state() == ApplicationState.STOPPED || app.state() == ApplicationState.FAILED, app.state()::toString);
    for (String c : List.of("Base", "Mid", "Top")) {
      assertEquals(script.count("started " + c), script.count("stop " + c), c + ": " + script.journal);
    }
  }

  @Test
  void aStopHookHangingPastItsOwnTimeoutIsInterruptedAndTheComponentsItHeldBackStopAnyway() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    script.onStop("Top", c -> {
      try {
        new CountDownLatch(1).await(); // until interrupted
      } catch (InterruptedException e) {
        interrupted.set(true);
        Stress.hangUninterruptibly(release); // and then it still hangs
      }
    });
    Stress.Recorder recorder = new Stress.Recorder(false);
    Ordo app = Ordo.builder().components(new Base(script), new Mid(script), new Top(script))
        .componentShutdownTimeout(Duration.ofMillis(200))
        .shutdownTimeout(Duration.ofSeconds(30))
        .listener(recorder)
        .build();
    app.start();
    ShutdownReport report = Stress.stopThenRelease(app, release);
    assertTrue(interrupted.get(), "its thread is interrupted at its timeout");
    assertEquals(List.of(Top.class.getName()), report.abandoned(), report::toString);
    assertEquals(1, script.count("stop Mid"));
    assertEquals(1, script.count("stop Base"));
    assertEquals(dev.ordo.runtime.ComponentState.STOPPED, app.component(Base.class).state());
    assertEquals(ShutdownReport.EXIT_BUDGET_EXCEEDED, report.exitCode());
    await("the listener hears the end", recorder::heardFinal);
  }

  @Test
  void aStopHookSeesItsDeadlineCutToTheBudgetAndItsContextCancelledThere() throws Exception {
    AtomicReference<java.time.Duration> remainingAtStart = new AtomicReference<>();
    CountDownLatch returned = new CountDownLatch(1);
    script.onStop("Top", c -> {
      remainingAtStart.set(c.remaining());
      while (!c.isCancelled()) {
        Thread.onSpinWait();
      }
      returned.countDown();
    });
    Set<Thread> before = Stress.ordoThreads();
    Ordo app = Ordo.builder().components(new Base(script), new Mid(script), new Top(script))
        .shutdownTimeout(Duration.ofMillis(500))
        .componentShutdownTimeout(Duration.ofSeconds(60))
        .build();
    app.start();
    ShutdownReport report = app.stop();
    assertTrue(remainingAtStart.get().compareTo(Duration.ofMillis(500)) <= 0,
        "cut to what is left of the budget: " + remainingAtStart.get());
    await("the hook saw its context cancelled", returned);
    await("no Ordo thread left", () -> Stress.newOrdoThreads(before).isEmpty());
    assertEquals(ApplicationState.STOPPED, app.state(), report::toString);
  }
}
