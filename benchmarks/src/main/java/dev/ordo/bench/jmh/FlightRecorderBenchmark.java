package dev.ordo.bench.jmh;

import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.LifecycleContext;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.Ordo;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of Ordo's JDK Flight Recorder events (issue 16): the flat scenario's whole lifecycle —
 * build, start and stop an application of 200 independent components with empty hooks — with no
 * recording running (the events cost one check each), and with a recording of {@code dev.ordo.*}
 * running (every hook, transition and shutdown phase committed). docs/observability.md gives the
 * figures and their ratio. Each mode runs in its own fork, so that the recording of one never
 * touches the other's JVM.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FlightRecorderBenchmark {
  private static final int COMPONENTS = 200;

  /** {@code none}: no recording in the JVM; {@code recording}: one records every {@code dev.ordo.*} event. */
  @Param({"none", "recording"})
  public String jfr;

  private Recording recording;
  private LifecycleController<?>[] controllers;

  /** A flat component: empty hooks, a key of its own. */
  public static final class Flat {}

  @Setup(Level.Trial)
  public void setUp() {
    controllers = new LifecycleController<?>[COMPONENTS];
    for (int i = 0; i < COMPONENTS; i++) {
      ComponentDescriptor d = ComponentDescriptor.builder(Flat.class).key("flat-" + i)
          .onStartup("start", null).onShutdown("stop", null).build();
      controllers[i] = new LifecycleController<>(d, new Flat()) {
        @Override
        public CompletionStage<?> start(LifecycleContext context) {
          return null;
        }

        @Override
        public CompletionStage<?> stop(LifecycleContext context) {
          return null;
        }
      };
    }
    if (jfr.equals("recording")) {
      recording = new Recording();
      for (String name : new String[] {"dev.ordo.Hook", "dev.ordo.Transition", "dev.ordo.HealthCheck",
          "dev.ordo.Drain", "dev.ordo.ShutdownPhase"}) {
        recording.enable(name).withThreshold(Duration.ZERO);
      }
      recording.setMaxSize(64L * 1024 * 1024);
      recording.start();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (recording != null) {
      recording.stop();
      recording.close();
    }
  }

  @Benchmark
  public Object startStop200() {
    Ordo.Builder b = Ordo.builder();
    for (LifecycleController<?> c : controllers) {
      b.controller(c);
    }
    Ordo app = b.build();
    app.start();
    return app.stop();
  }
}
