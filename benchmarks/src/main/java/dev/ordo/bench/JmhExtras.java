package dev.ordo.bench;

import java.util.ArrayList;
import java.util.List;

/** The hot paths of scenario 7 whose benchmarks exist or not yet, said plainly in the report. */
final class JmhExtras {
  private JmhExtras() {}

  static final String NOTE = "`EventPublishBenchmark.publish`: `EventPublisher.publish(...)` of a declared event with "
      + "two data fields, caller side (the envelope is built and queued; a discarding sink delivers it on the "
      + "publisher's thread). `HealthProbeBenchmark`: an application of two components, one of whose health checks "
      + "never returns, answering `health().report()` and the readiness JSON from the cached results. "
      + "`ResourceLeaseBenchmark` (issue 12): `acquire()` and `close()` of a lease of a managed resource's current "
      + "version, reading its value, with 1, 2 and 4 threads on the same resource (the time is per operation and "
      + "thread: with 4 threads on 2 cores, twice the 2-thread time is scaling as well as the cores allow). "
      + "`ResourceSwapBenchmark` (issue 12): a swap whose loader returns at once, with no warm-up or check — Ordo's "
      + "own part of a swap: `swapLoading` loads a version on a thread of its own each time (keep policy 1, the "
      + "old version unloaded on another thread), `swapToKeptVersion` switches between two kept versions.\n\n";

  static List<String[]> verdicts(Results r) {
    List<String[]> out = new ArrayList<>();
    boolean events = r.figures.keySet().stream().anyMatch(k -> k.startsWith("jmh/") && k.contains("Event"));
    r.figures.forEach((k, f) -> {
      if (k.startsWith("jmh/EventPublishBenchmark")) {
        out.add(new String[] {"event publish < 1 µs caller-side", Report.num(f[0]) + " ns", f[0] < 1000 ? "met" : "**MISSED**"});
      }
    });
    if (!events) {
      out.add(new String[] {"event publish < 1 µs caller-side", "no benchmark yet", "not measured"});
    }
    return out;
  }
}
