package dev.ordo.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 1 in one JVM, for one system: for each N, warm up (fresh applications, wired, started
 * and stopped, for the warm-up time), then measure fresh applications one at a time: wiring
 * (creating the components and the application), starting, stopping, start + stop, and how many
 * threads the JVM started for one application (wire, start and stop together).
 *
 * <p>Every size uses the first N classes of the one generated set (the Ordo units, the Spring,
 * Guava and floor classes); avaje has a module per size.
 *
 * <p>{@code Flat SYSTEM SIZES WARMUP_MS ROUNDS BUDGET_MS}
 */
public final class Flat {
  private Flat() {}

  public static void main(String[] args) throws Exception {
    String system = args[0];
    long warmupNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[2]));
    int rounds = Integer.parseInt(args[3]);
    long budgetNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[4]));
    for (String size : args[1].split(",")) {
      int n = Integer.parseInt(size);
      if (!Systems.available(system, n)) {
        Samples.emit("flat/" + system + "/" + n + "/missing", "not built");
        continue;
      }
      Systems.Wiring wiring = Systems.flat(system, n);
      long warmEnd = System.nanoTime() + warmupNanos;
      int warm = 0;
      while (warm < 2 || System.nanoTime() < warmEnd) {
        Systems.Instance app = wiring.wire();
        app.start();
        app.stop();
        warm++;
      }
      Samples wire = new Samples();
      Samples start = new Samples();
      Samples stop = new Samples();
      Samples total = new Samples();
      Samples startStop = new Samples();
      Samples threads = new Samples();
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      long measureEnd = System.nanoTime() + budgetNanos;
      for (int r = 0; r < rounds && (r < 3 || System.nanoTime() < measureEnd); r++) {
        System.gc();
        long threads0 = mx.getTotalStartedThreadCount();
        long t0 = System.nanoTime();
        Systems.Instance app = wiring.wire();
        long t1 = System.nanoTime();
        app.start();
        long t2 = System.nanoTime();
        app.stop();
        long t3 = System.nanoTime();
        threads.add(mx.getTotalStartedThreadCount() - threads0);
        wire.add((t1 - t0) / 1000.0 / n);
        start.add((t2 - t1) / 1000.0 / n);
        stop.add((t3 - t2) / 1000.0 / n);
        total.add((t2 - t0) / 1000.0 / n);
        startStop.add((t3 - t1) / 1000.0 / n);
      }
      String key = "flat/" + system + "/" + n;
      Samples.emit(key + "/warmup-rounds", warm);
      Samples.emit(key + "/wire", wire);
      Samples.emit(key + "/start", start);
      Samples.emit(key + "/stop", stop);
      Samples.emit(key + "/wire+start", total);
      Samples.emit(key + "/start+stop", startStop);
      Samples.emit(key + "/threads-started", threads);
    }
  }
}
