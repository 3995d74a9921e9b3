package dev.ordo.bench.jmh;

import dev.ordo.runtime.resources.ManagedResource;
import dev.ordo.runtime.resources.SwapResult;
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
 * Scenario 7: the latency of a swap itself, warm-up excluded: the loader returns a value at once
 * and there is no warm-up or check, so what is measured is Ordo's part — the load on a thread of
 * its own within its timeout, the switch, and retiring the old version (unloaded on a thread of
 * its own). {@code swapLoading} swaps between two versions with a keep policy of 1, so every swap
 * loads; {@code swapToKeptVersion} keeps both, so every swap only switches.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ResourceSwapBenchmark {
  private ManagedResource<int[]> loading;
  private ManagedResource<int[]> kept;
  private boolean flip;

  @Setup
  public void setUp() {
    loading = ManagedResource.<int[]>builder("loading", version -> new int[] {version.length()})
        .initialVersion("a").keep(1).build();
    loading.load();
    kept = ManagedResource.<int[]>builder("kept", version -> new int[] {version.length()})
        .initialVersion("a").build();
    kept.load();
    kept.swap("b");
  }

  @TearDown
  public void tearDown() {
    loading.close();
    kept.close();
  }

  @Benchmark
  public SwapResult swapLoading() {
    flip = !flip;
    return loading.swap(flip ? "b" : "a");
  }

  @Benchmark
  public SwapResult swapToKeptVersion() {
    flip = !flip;
    return kept.swap(flip ? "a" : "b");
  }
}
