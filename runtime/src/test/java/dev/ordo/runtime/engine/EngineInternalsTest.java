package dev.ordo.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.LifecycleContext;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.ShutdownReason;
import dev.ordo.runtime.ShutdownReport;
import dev.ordo.runtime.events.EventOptions;
import dev.ordo.runtime.events.EventPublisher;
import dev.ordo.runtime.internal.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine's parts that the public API cannot reach. */
@Timeout(60)
class EngineInternalsTest {
  @Test
  void aThrowableEscapingAPoolTaskReachesTheEngineHandler() throws Exception {
    CompletableFuture<Throwable> seen = new CompletableFuture<>();
    WorkerPool pool = new WorkerPool("test-", 1, this, seen::complete, () -> {});
    pool.execute(() -> {
      throw new IllegalStateException("engine bug");
    });
    assertEquals("engine bug", seen.get(30, TimeUnit.SECONDS).getMessage());
    CountDownLatch stillServing = new CountDownLatch(1);
    pool.execute(stillServing::countDown);
    assertTrue(stillServing.await(30, TimeUnit.SECONDS));
    pool.close(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
  }

  @Test
  void anEngineFailureShutsDownWithReasonError() throws Exception {
    AtomicInteger stops = new AtomicInteger();
    LifecycleController<Object> c = new LifecycleController<>(
        ComponentDescriptor.builder(Object.class).key("a").build(), new Object()) {
      @Override
      public CompletionStage<?> stop(LifecycleContext context) {
        stops.incrementAndGet();
        return COMPLETED;
      }
    };
    RuntimeSettings settings = RuntimeSettings.resolve(
        new RuntimeSettings.FromCode(null, null, null, null, null, null, null),
        new Settings(new Properties(), Map.of()));
    Engine engine = new Engine(Engine.nextName(), List.of(c), settings, new Engine.Drain() {
      @Override
      public void startDraining() {}

      @Override
      public long awaitDrained(long deadline) {
        return 0;
      }

      @Override
      public long inFlight() {
        return 0;
      }
    }, new EventPublisher("test", EventOptions.defaults()), List.of());
    engine.start();
    engine.engineFailed(new IllegalStateException("scheduler corrupted"));
    ShutdownReport report = engine.awaitShutdown();
    assertEquals(ShutdownReason.ERROR, report.reason());
    assertEquals(ShutdownReport.EXIT_ERROR, report.exitCode());
    assertEquals(ApplicationState.STOPPED, engine.state());
    assertEquals(1, stops.get(), "still a graceful shutdown");
  }

  @Test
  void durationsPastTheNanosecondRangeMeanNoLimit() {
    assertEquals(Nanos.NO_LIMIT, Nanos.of(Duration.ofDays(200_000)));
    assertEquals(Nanos.NO_LIMIT, Nanos.of(java.time.temporal.ChronoUnit.FOREVER.getDuration()));
    assertEquals(Nanos.NO_LIMIT, Nanos.deadline(Long.MAX_VALUE - 5, 10));
    assertEquals(Nanos.NO_LIMIT, Nanos.add(Long.MAX_VALUE - 5, 10));
    assertEquals(1_000L, Nanos.of(Duration.ofNanos(1_000)));
    long now = System.nanoTime();
    assertEquals(now + 5, Nanos.deadline(now, 5));
    assertEquals(0, Nanos.left(now - 1, now));
  }

  @Test
  void aResourceCloseLeavesItsStopAMarginBeforeTheDeadline() {
    // A twentieth of what is left, 50 ms at most, so that a forced close ends the stop first.
    assertEquals(Duration.ofMillis(190), ResourceHooks.leaseWait(Duration.ofMillis(200)));
    assertEquals(Duration.ofMillis(29_950), ResourceHooks.leaseWait(Duration.ofSeconds(30)));
    // Out of time: force at once, but never a zero, which would mean "wait for nothing" too.
    assertEquals(Duration.ofNanos(1), ResourceHooks.leaseWait(Duration.ZERO));
    assertEquals(Duration.ofNanos(1), ResourceHooks.leaseWait(Duration.ofNanos(-5)));
    assertEquals(Duration.ofNanos(1), ResourceHooks.leaseWait(Duration.ofNanos(1)));
    // "No limit" stays as good as unlimited.
    Duration forever = Duration.ofSeconds(Long.MAX_VALUE / 4);
    assertEquals(forever.minusMillis(50), ResourceHooks.leaseWait(forever));
  }
}
