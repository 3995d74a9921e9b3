package dev.ordo.bench.jmh;

import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.Health;
import dev.ordo.runtime.LifecycleContext;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.health.HealthProbe;
import dev.ordo.runtime.health.HealthReport;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Scenario 7: answering a probe while a health check hangs. The application has two components,
 * one of whose checks never returns; the probe answers from the cached results.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HealthProbeBenchmark {
  private final CountDownLatch never = new CountDownLatch(1);
  private Ordo app;

  /** A hand-written controller whose health check hangs until the benchmark ends. */
  static final class Hanging extends LifecycleController<Object> {
    private final CountDownLatch never;

    Hanging(String key, CountDownLatch never) {
      super(ComponentDescriptor.builder(Object.class).key(key)
          .healthCheck("hangs", "check", Duration.ofMillis(100), Duration.ofMillis(50)).build(), new Object());
      this.never = never;
    }

    @Override
    public Health check(int index, LifecycleContext context) throws Exception {
      never.await();
      return Health.up();
    }
  }

  /** A component whose check answers at once. */
  static final class Healthy extends LifecycleController<Object> {
    Healthy(String key) {
      super(ComponentDescriptor.builder(Object.class).key(key)
          .healthCheck("ok", "check", Duration.ofMillis(100), Duration.ofMillis(50)).build(), new Object());
    }

    @Override
    public Health check(int index, LifecycleContext context) {
      return Health.up();
    }
  }

  @Setup
  public void setUp() throws InterruptedException {
    app = Ordo.builder().controller(new Healthy("healthy")).controller(new Hanging("hanging", never)).build();
    app.start();
    Thread.sleep(300); // a few check intervals: the hanging check has timed out at least once
  }

  @TearDown
  public void tearDown() {
    never.countDown();
    app.stop();
  }

  @Benchmark
  public HealthReport report() {
    return app.health().report();
  }

  @Benchmark
  public String readinessJson() {
    return app.health().report().json(HealthProbe.READY, false);
  }
}
