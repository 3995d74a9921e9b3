package dev.ordo.bench.jmh;

import dev.ordo.runtime.events.EventOptions;
import dev.ordo.runtime.events.EventPublisher;
import java.util.Map;
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
 * Scenario 7: publishing a declared event, on the caller's side (the envelope is built and
 * queued; a sink that discards delivers it off the hot path, on the publisher's own thread).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EventPublishBenchmark {
  private EventPublisher publisher;
  private final Map<String, Object> data = Map.of("orderId", 42L, "amount", "19.99");

  @Setup
  public void setUp() {
    publisher = new EventPublisher("bench", EventOptions.defaults().sink(event -> {}).queueSize(1 << 20));
  }

  @TearDown
  public void tearDown() {
    publisher.flush(java.time.Duration.ofSeconds(5));
  }

  @Benchmark
  public boolean publish() {
    return publisher.publish("dev.ordo.bench.Checkout", "completed", "corr-1", data);
  }
}
