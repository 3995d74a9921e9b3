package dev.ordo.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.events.EventOptions;
import dev.ordo.runtime.events.InMemoryEventSink;
import dev.ordo.runtime.health.HealthOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Retries and restarts as fast as the real clock allows (delays of a millisecond, checks every two),
 * stopped at a random moment while other threads read the application: no two hooks of one component
 * ever run at once, what started is stopped exactly once, {@code stop()} returns in time, and no
 * thread of the application outlives it.
 */
@Timeout(120)
class SelfHealingRaceTest {
  /** A component that counts its hooks in flight and fails its starts as told. */
  private static final class Counted extends LifecycleController<String> {
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger startCalls = new AtomicInteger();
    final AtomicInteger stopped = new AtomicInteger();
    final AtomicBoolean healthy = new AtomicBoolean(true);
    final double failureRate;

    Counted(ComponentDescriptor descriptor, double failureRate) {
      super(descriptor, descriptor.name());
      this.failureRate = failureRate;
    }

    private void enter() {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    }

    @Override
    public CompletionStage<?> start(LifecycleContext context) throws Exception {
      startCalls.incrementAndGet();
      enter();
      try {
        Thread.sleep(ThreadLocalRandom.current().nextInt(2));
        if (ThreadLocalRandom.current().nextDouble() < failureRate) {
          throw new IllegalStateException("unavailable");
        }
        started.incrementAndGet();
        return COMPLETED;
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public CompletionStage<?> stop(LifecycleContext context) throws Exception {
      enter();
      try {
        Thread.sleep(ThreadLocalRandom.current().nextInt(2));
        stopped.incrementAndGet();
        return COMPLETED;
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public Health check(int index, LifecycleContext context) {
      return Health.of(healthy.get() || ThreadLocalRandom.current().nextBoolean());
    }
  }

  private static ComponentDescriptor.Builder descriptor(String name) {
    return ComponentDescriptor.builder(String.class).key(name).onStartup("start", null).onShutdown("stop", null)
        .retry(RetryPolicy.backoff(Duration.ofMillis(1), Duration.ofMillis(3)));
  }

  @Test
  void retriesAndRestartsRacingTheShutdown() throws Exception {
    int rounds = 40;
    int retries = 0;
    int restarts = 0;
    for (int round = 0; round < rounds; round++) {
      Set<Thread> before = EngineProbe.liveThreads();
      Counted flaky = new Counted(descriptor("flaky").build(), 0.9);
      Counted dependent = new Counted(ComponentDescriptor.builder(String.class).key("dependent")
          .onStartup("start", null).onShutdown("stop", null).dependsOn("flaky").build(), 0.2);
      Counted restarting = new Counted(descriptor("restarting").healthCheck("ping", "ping", null, null)
          .restartWhenDown("ping").build(), 0.3);
      restarting.healthy.set(false);
      Counted user = new Counted(ComponentDescriptor.builder(String.class).key("user").onShutdown("stop", null)
          .dependsOnOptionally("restarting").dependsOnOptionally("flaky").build(), 0);
      List<Counted> all = List.of(flaky, dependent, restarting, user);
      Ordo app = Ordo.builder()
          .controller(flaky).controller(dependent).controller(restarting).controller(user)
          .health(HealthOptions.defaults().interval(Duration.ofMillis(2)).failureThreshold(1).successThreshold(1))
          .events(EventOptions.defaults().sink(new InMemoryEventSink()))
          .listener(new LifecycleListener() {})
          .shutdownTimeout(Duration.ofSeconds(10))
          .build();
      app.start();
      AtomicBoolean reading = new AtomicBoolean(true);
      Thread reader = EngineProbe.thread("test-reader", () -> {
        while (reading.get()) {
          app.components();
          app.health().report();
          app.isDegraded();
        }
      });
      Thread.sleep(5 + ThreadLocalRandom.current().nextInt(20));
      long t0 = System.nanoTime();
      ShutdownReport report = app.stop();
      long tookMs = EngineProbe.millisSince(t0);
      reading.set(false);
      reader.join(10_000);
      assertTrue(tookMs < 10_000, "round " + round + ": stop() took " + tookMs + " ms");
      assertEquals(ApplicationState.STOPPED, app.state());
      assertTrue(report.clean(), "round " + round + ": " + report);
      List<String> problems = new ArrayList<>();
      for (Counted c : all) {
        if (c.maxInFlight.get() > 1) {
          problems.add(c.descriptor().name() + " ran " + c.maxInFlight.get() + " hooks at once");
        }
        if (c.started.get() != c.stopped.get() && c != user) {
          problems.add(c.descriptor().name() + " started " + c.started.get() + " times, stopped " + c.stopped.get());
        }
        ComponentState s = EngineProbe.status(app, c.descriptor().name()).state();
        if (s != ComponentState.STOPPED && s != ComponentState.FAILED && s != ComponentState.SKIPPED) {
          problems.add(c.descriptor().name() + " ended " + s);
        }
      }
      assertEquals(List.of(), problems, "round " + round + ": " + app.components());
      retries += flaky.startCalls.get() - 1;
      restarts += restarting.stopped.get() - (restarting.started.get() > 0 ? 1 : 0);
      assertEquals(List.of(), EngineProbe.newThreadsStillAlive(before,
          n -> EngineProbe.ORDO_THREAD.matcher(n).matches() || n.startsWith("ordo-health"), Duration.ZERO),
          "round " + round + ": no Ordo thread after stop()");
    }
    // The race was run: retries and restarts happened in many rounds.
    assertTrue(retries >= rounds / 2, retries + " retries in " + rounds + " rounds");
    assertTrue(restarts >= 3, restarts + " restarts in " + rounds + " rounds");
    System.out.println("SelfHealingRaceTest: " + retries + " retries and " + restarts + " restarts in " + rounds
        + " rounds");
  }
}
