package dev.ordo.bench.jmh;

import dev.ordo.runtime.resources.Lease;
import dev.ordo.runtime.resources.ManagedResource;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Scenario 7: leasing a managed resource's current version and releasing it, as every request
 * does with try-with-resources; alone, and with 2 and 4 threads leasing the same resource at once
 * (its reference count is striped by thread, so they should not slow each other down). The value
 * is read, so the lease cannot be optimized away.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ResourceLeaseBenchmark {
  private ManagedResource<int[]> model;

  @Setup
  public void setUp() {
    model = ManagedResource.<int[]>builder("model", version -> new int[] {version.length()})
        .initialVersion("v1").build();
    model.load();
  }

  @TearDown
  public void tearDown() {
    model.close();
  }

  private int lease() {
    try (Lease<int[]> lease = model.acquire()) {
      return lease.get()[0];
    }
  }

  @Benchmark
  @Threads(1)
  public int acquireRelease1Thread() {
    return lease();
  }

  @Benchmark
  @Threads(2)
  public int acquireRelease2Threads() {
    return lease();
  }

  @Benchmark
  @Threads(4)
  public int acquireRelease4Threads() {
    return lease();
  }
}
