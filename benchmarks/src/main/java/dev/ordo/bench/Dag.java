package dev.ordo.bench;

import dev.ordo.bench.dag.DagClock;
import dev.ordo.bench.dag.DagShape;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.Ordo;
import io.avaje.inject.BeanScope;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Scenario 3: the seeded random DAG of 200 components whose startup hooks block for 5 ms. For
 * each fresh application: the wall time of its startup, the critical path (the longest chain of
 * the hooks' measured durations: the physical limit), and how many dependency edges were
 * violated (a component began before a dependency had ended).
 *
 * <p>{@code Dag SYSTEM ROUNDS}
 */
public final class Dag {
  private Dag() {}

  interface Startup {
    /** Wires a fresh application, and returns the action that starts it and then the stop. */
    Runnable[] wire() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    String system = args[0];
    int rounds = Integer.parseInt(args[1]);
    int[][] deps = DagShape.DEPENDENCIES;
    int n = deps.length;
    Startup startup = startup(system, deps);
    Samples wall = new Samples();
    Samples critical = new Samples();
    Samples ratio = new Samples();
    int violations = 0;
    int edges = 0;
    for (int[] d : deps) {
      edges += d.length;
    }
    for (int r = -2; r < rounds; r++) { // two warm-up rounds
      DagClock.reset();
      Runnable[] app = startup.wire();
      long t0 = System.nanoTime();
      app[0].run();
      long t1 = System.nanoTime();
      app[1].run();
      long[][] clock = DagClock.snapshot();
      long[] began = clock[0];
      long[] ended = clock[1];
      long[] path = new long[n]; // longest chain of durations ending at i; deps have lower indices
      long longest = 0;
      int violated = 0;
      for (int i = 0; i < n; i++) {
        if (ended[i] == 0) {
          throw new IllegalStateException(system + ": component " + i + " did not start");
        }
        long before = 0;
        for (int d : deps[i]) {
          before = Math.max(before, path[d]);
          if (began[i] < ended[d]) {
            violated++;
          }
        }
        path[i] = before + (ended[i] - began[i]);
        longest = Math.max(longest, path[i]);
      }
      if (r >= 0) {
        wall.add((t1 - t0) / 1e6);
        critical.add(longest / 1e6);
        ratio.add((double) (t1 - t0) / longest);
        violations = Math.max(violations, violated);
      }
    }
    String key = "dag/" + system;
    Samples.emit(key + "/wall-ms", wall);
    Samples.emit(key + "/critical-ms", critical);
    Samples.emit(key + "/ratio", ratio);
    Samples.emit(key + "/violations", violations);
    Samples.emit(key + "/edges", edges);
  }

  static int width(int[][] deps) {
    int n = deps.length;
    int[] level = new int[n];
    int max = 0;
    for (int i = 0; i < n; i++) {
      for (int d : deps[i]) {
        level[i] = Math.max(level[i], level[d] + 1);
      }
      max = Math.max(max, level[i]);
    }
    int[] per = new int[max + 1];
    int widest = 0;
    for (int l : level) {
      widest = Math.max(widest, ++per[l]);
    }
    return widest;
  }

  private static Startup startup(String system, int[][] deps) {
    int n = deps.length;
    switch (system) {
      case "ordo":
      case "ordo-2-threads": {
        OrdoUnits units = new OrdoUnits("dag", n);
        boolean two = system.equals("ordo-2-threads");
        return () -> {
          LifecycleController<?>[] controllers = units.controllers(units.create(n));
          Ordo.Builder b = Ordo.builder();
          if (two) {
            b.startupThreads(2);
          }
          for (LifecycleController<?> c : controllers) {
            b.controller(c);
          }
          Ordo app = b.build();
          return new Runnable[] {app::start, app::stop};
        };
      }
      case "spring":
      case "spring-concurrent": {
        boolean concurrent = system.equals("spring-concurrent");
        return () -> {
          GenericApplicationContext ctx = new GenericApplicationContext();
          ExecutorService bootstrap = concurrent ? Executors.newCachedThreadPool() : null;
          if (concurrent) {
            // Spring 6.2.6+: start the beans of one phase concurrently, on the bootstrap executor.
            DefaultLifecycleProcessor processor = new DefaultLifecycleProcessor();
            processor.setConcurrentStartupForPhase(SmartLifecycle.DEFAULT_PHASE, 60_000);
            ctx.registerBean(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME,
                DefaultLifecycleProcessor.class, () -> processor);
            ctx.registerBean(AbstractApplicationContext.BOOTSTRAP_EXECUTOR_BEAN_NAME,
                java.util.concurrent.Executor.class, () -> bootstrap);
          }
          for (int i = 0; i < n; i++) {
            int index = i;
            String[] dependsOn = new String[deps[i].length];
            for (int k = 0; k < dependsOn.length; k++) {
              dependsOn[k] = "d" + deps[i][k];
            }
            ctx.registerBean("d" + i, SleepBean.class, () -> new SleepBean(index),
                bd -> bd.setDependsOn(dependsOn));
          }
          SleepBean.autoStartup = false;
          ctx.refresh();
          return new Runnable[] {ctx::start, () -> {
            ctx.close();
            if (bootstrap != null) {
              bootstrap.shutdown();
            }
          }};
        };
      }
      case "avaje": {
        MethodHandle module = Systems.avajeModule("dev.ordo.bench.dag.avaje.DagModule", n);
        return () -> {
          BeanScope[] scope = new BeanScope[1];
          return new Runnable[] {
            () -> scope[0] = BeanScope.builder().modules(Systems.newModule(module)).build(),
            () -> scope[0].close()
          };
        };
      }
      case "floor-executor-width":
      case "floor-executor-2": {
        int threads = system.endsWith("width") ? width(deps) : 2;
        return () -> {
          Hook[] hooks = new Hook[n];
          for (int i = 0; i < n; i++) {
            hooks[i] = new DagHook(i);
          }
          FloorExecutor e = new FloorExecutor(hooks, deps, threads);
          return new Runnable[] {() -> run(e::start), () -> run(e::stop)};
        };
      }
      default:
        throw new IllegalArgumentException(system);
    }
  }

  interface Action {
    void run() throws Exception;
  }

  static void run(Action a) {
    try {
      a.run();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The floor's DAG component. */
  static final class DagHook implements Hook {
    private final int index;

    DagHook(int index) {
      this.index = index;
    }

    @Override
    public void start() {
      DagClock.hook(index);
    }

    @Override
    public void stop() {}
  }

  /** Spring's DAG component: a SmartLifecycle whose start blocks for 5 ms. */
  public static final class SleepBean implements SmartLifecycle {
    static volatile boolean autoStartup;
    private final int index;
    private volatile boolean running;

    public SleepBean(int index) {
      this.index = index;
    }

    @Override
    public void start() {
      DagClock.hook(index);
      running = true;
    }

    @Override
    public void stop() {
      running = false;
    }

    @Override
    public boolean isRunning() {
      return running;
    }

    @Override
    public boolean isAutoStartup() {
      return autoStartup;
    }
  }
}
