package dev.ordo.bench;

import dev.ordo.bench.flat.floor.FloorFlat;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.ComponentStatus;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.ShutdownReport;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Scenario 2: a single dependency chain of N components, each depending on the one before.
 * Ordo (real annotated classes, {@code @DependsOn} the previous one), Spring ({@code dependsOn}
 * bean definitions of SmartLifecycle beans) and the floor executor. Records whether each starts
 * and stops every component, and what it threw or logged.
 *
 * <p>{@code Chain SYSTEM N ROUNDS}
 */
public final class Chain {
  private Chain() {}

  public static void main(String[] args) throws Exception {
    String system = args[0];
    int n = Integer.parseInt(args[1]);
    int rounds = Integer.parseInt(args[2]);
    String key = "chain/" + system + "/" + n;
    if (n > dev.ordo.bench.gen.Sizes.COMPONENTS && !system.equals("spring")) {
      Samples.emit(key + "/missing", "not built");
      return;
    }
    switch (system) {
      case "ordo" -> ordo(key, n, rounds);
      case "spring" -> spring(key, n, rounds);
      case "floor-executor" -> floor(key, n, rounds);
      default -> throw new IllegalArgumentException(system);
    }
  }

  private static void ordo(String key, int n, int rounds) throws Exception {
    OrdoUnits units = new OrdoUnits("chain", n);
    Samples wire = new Samples();
    Samples start = new Samples();
    Samples stop = new Samples();
    String outcome = "every component started and stopped, in order";
    for (int r = -2; r < rounds; r++) { // two warm-up rounds
      System.gc();
      long t0 = System.nanoTime();
      LifecycleController<?>[] controllers = units.controllers(units.create(n));
      Ordo.Builder b = Ordo.builder();
      for (LifecycleController<?> c : controllers) {
        b.controller(c);
      }
      Ordo app = b.build();
      long t1 = System.nanoTime();
      try {
        app.start();
      } catch (Throwable t) {
        outcome = "start threw " + t;
        break;
      }
      long t2 = System.nanoTime();
      long running = app.components().stream().filter(s -> s.state() == ComponentState.RUNNING).count();
      ShutdownReport report;
      try {
        report = app.stop();
      } catch (Throwable t) {
        outcome = "stop threw " + t;
        break;
      }
      long t3 = System.nanoTime();
      long stopped = report.components().stream().filter(s -> s.state() == ComponentState.STOPPED).count();
      if (running != n || stopped != n || !report.clean()) {
        outcome = running + " of " + n + " running after start, " + stopped + " stopped after stop, clean="
            + report.clean();
      }
      if (r >= 0) {
        wire.add((t1 - t0) / 1000.0 / n);
        start.add((t2 - t1) / 1000.0 / n);
        stop.add((t3 - t2) / 1000.0 / n);
      }
    }
    emit(key, wire, start, stop, outcome);
  }

  /** A SmartLifecycle bean; the chain is expressed with dependsOn, as Spring users do. */
  public static final class ChainBean implements SmartLifecycle {
    private volatile boolean running;

    @Override
    public void start() {
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
  }

  private static void spring(String key, int n, int rounds) {
    // Spring logs through java.util.logging here: record what it logs instead of printing it.
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    List<String> logged = new ArrayList<>();
    root.addHandler(new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getThrown() != null) {
          synchronized (logged) {
            logged.add(r.getLevel() + " " + r.getThrown().getClass().getSimpleName());
          }
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
    Samples wire = new Samples();
    Samples start = new Samples();
    Samples stop = new Samples();
    String outcome = null;
    for (int r = -1; r < rounds; r++) {
      logged.clear();
      System.gc();
      long t0 = System.nanoTime();
      GenericApplicationContext ctx = new GenericApplicationContext();
      ChainBean[] beans = new ChainBean[n];
      for (int i = 0; i < n; i++) {
        ChainBean bean = new ChainBean();
        beans[i] = bean;
        String previous = i == 0 ? null : "c" + (i - 1);
        ctx.registerBean("c" + i, ChainBean.class, () -> bean, bd -> {
          if (previous != null) {
            bd.setDependsOn(previous);
          }
        });
      }
      String thrown = "";
      long t1 = System.nanoTime();
      long t2;
      try {
        ctx.refresh(); // creates and (autoStartup) starts the beans
        t2 = System.nanoTime();
      } catch (Throwable t) {
        outcome = "refresh threw " + t.getClass().getSimpleName();
        break;
      }
      int started = count(beans);
      try {
        ctx.close();
      } catch (Throwable t) {
        thrown = "; close threw " + t.getClass().getSimpleName();
      }
      long t3 = System.nanoTime();
      int stillRunning = count(beans);
      String result = started + " of " + n + " started; after close " + stillRunning + " still running"
          + thrown + (logged.isEmpty() ? "" : "; logged " + summarize(logged));
      outcome = outcome == null || outcome.equals(result) ? result : outcome + " | " + result;
      if (r >= 0) {
        wire.add((t1 - t0) / 1000.0 / n);
        start.add((t2 - t1) / 1000.0 / n);
        stop.add((t3 - t2) / 1000.0 / n);
      }
    }
    emit(key, wire, start, stop, outcome);
  }

  private static String summarize(List<String> logged) {
    java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
    for (String s : logged) {
      counts.merge(s, 1, Integer::sum);
    }
    StringBuilder b = new StringBuilder();
    counts.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(v).append("x ").append(k));
    return b.toString();
  }

  private static int count(ChainBean[] beans) {
    int running = 0;
    for (ChainBean b : beans) {
      if (b.isRunning()) {
        running++;
      }
    }
    return running;
  }

  private static void floor(String key, int n, int rounds) throws Exception {
    Samples wire = new Samples();
    Samples start = new Samples();
    Samples stop = new Samples();
    int[][] deps = FloorExecutor.chain(n);
    for (int r = -2; r < rounds; r++) {
      System.gc();
      long t0 = System.nanoTime();
      FloorExecutor e = new FloorExecutor(FloorFlat.create(n), deps, 2);
      long t1 = System.nanoTime();
      e.start();
      long t2 = System.nanoTime();
      e.stop();
      long t3 = System.nanoTime();
      if (r >= 0) {
        wire.add((t1 - t0) / 1000.0 / n);
        start.add((t2 - t1) / 1000.0 / n);
        stop.add((t3 - t2) / 1000.0 / n);
      }
    }
    emit(key, wire, start, stop, "every component started and stopped, in order");
  }

  private static void emit(String key, Samples wire, Samples start, Samples stop, String outcome) {
    if (wire.count() > 0) {
      Samples.emit(key + "/wire", wire);
      Samples.emit(key + "/start", start);
      Samples.emit(key + "/stop", stop);
    }
    Samples.emit(key + "/outcome", outcome);
  }
}
