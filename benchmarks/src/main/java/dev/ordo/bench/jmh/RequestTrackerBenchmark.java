package dev.ordo.bench.jmh;

import dev.ordo.runtime.RequestTracker;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Scenario 7: entering and leaving the request tracker, as a request handler does with
 * try-with-resources; alone, and with two threads entering the same tracker at once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestTrackerBenchmark {
  private final RequestTracker tracker = new RequestTracker();

  @Benchmark
  @Threads(1)
  public void enterLeave1Thread() {
    try (RequestTracker.Ticket ticket = tracker.enter()) {
      // the request's work
    }
  }

  @Benchmark
  @Threads(2)
  public void enterLeave2Threads() {
    try (RequestTracker.Ticket ticket = tracker.enter()) {
      // the request's work
    }
  }
}
