package dev.ordo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes docs/benchmarks.md from the results: the machine, the tables, the targets. */
final class Report {
  private final Results r;
  private final Machine before;
  private final Machine after;
  private final boolean quick;
  private final double minutes;
  private final List<String> notes;
  private final int[] sizes;
  private final String command;
  private final StringBuilder md = new StringBuilder();
  private final List<String[]> verdicts = new ArrayList<>();

  Report(Results r, Machine before, Machine after, boolean quick, double minutes, List<String> notes, int[] sizes,
      String command) {
    this.command = command;
    this.r = r;
    this.before = before;
    this.after = after;
    this.quick = quick;
    this.minutes = minutes;
    this.notes = notes;
    this.sizes = sizes;
  }

  /** Scenarios whose figures a --only run kept from the report it replaced. */
  private java.util.Set<String> kept = java.util.Set.of();

  Report keptFromEarlier(java.util.Set<String> scenarios) {
    this.kept = scenarios;
    return this;
  }

  /** --report-only: every figure is an earlier run's; this run measured nothing. */
  private boolean measuredNothing;

  Report measuredNothing(boolean nothing) {
    this.measuredNothing = nothing;
    return this;
  }

  /** The machine, read from /proc (Linux) and the JVM. */
  static final class Machine {
    final int cores = Runtime.getRuntime().availableProcessors();
    final String cpu = procLine("/proc/cpuinfo", "model name");
    final String memory = procLine("/proc/meminfo", "MemTotal");
    final String load = procFirst("/proc/loadavg");
    final String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
        + " (" + System.getProperty("java.vendor") + ")";
    final String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch");
    final String time = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));

    static Machine now() {
      return new Machine();
    }

    private static String procLine(String file, String key) {
      try {
        for (String line : Files.readAllLines(Path.of(file))) {
          if (line.startsWith(key)) {
            return line.substring(line.indexOf(':') + 1).trim();
          }
        }
      } catch (IOException | RuntimeException e) {
        // not Linux
      }
      return "unknown";
    }

    private static String procFirst(String file) {
      try {
        return Files.readAllLines(Path.of(file)).get(0);
      } catch (IOException | RuntimeException e) {
        return "unknown";
      }
    }
  }

  String render() {
    md.append("# Benchmarks\n\n");
    md.append("Ordo side by side with Guava's `ServiceManager`, Spring's `GenericApplicationContext` with "
        + "`SmartLifecycle` beans, avaje-inject, and hand-written floors. Written by `benchmarks/run.sh`"
        + (quick ? " **in quick mode (small sizes, short warm-up: a smoke test, not figures to quote)**" : "")
        + "; do not edit by hand. Every figure is the **median (min–max)** of fresh instances measured "
        + "one after another in one JVM per system, after warm-up, unless the section says otherwise.\n\n");
    machine();
    targets(); // filled below, rendered at the top: placeholder replaced at the end
    int at = md.length();
    flat();
    chain();
    dag();
    heap();
    process();
    processor();
    jmh();
    method();
    StringBuilder t = new StringBuilder("## Targets of issue 10 (engine rework)\n\n"
        + "Ratios are **Ordo ÷ peer** (below 1: Ordo is faster or smaller), both measured in this run.\n\n"
        + "| target | measured | verdict |\n|---|---|---|\n");
    issue10.sort(java.util.Comparator.comparingInt(v -> Integer.parseInt(v[0])));
    for (String[] v : issue10) {
      t.append("| ").append(v[1]).append(" | ").append(v[2]).append(" | ").append(v[3]).append(" |\n");
    }
    t.append("\n## Targets of issue 11 (compile-time assembly)\n\n| target | measured | verdict |\n|---|---|---|\n");
    if (issue11.isEmpty()) {
      issue11.add(new String[] {"whole JVM, N = 1,000: assembly below `.components(...)`", "not run", "not measured"});
    }
    for (String[] v : issue11) {
      t.append("| ").append(v[0]).append(" | ").append(v[1]).append(" | ").append(v[2]).append(" |\n");
    }
    t.append("\n## Other targets (earlier issues)\n\n| target | measured | verdict |\n|---|---|---|\n");
    for (String[] v : verdicts) {
      t.append("| ").append(v[0]).append(" | ").append(v[1]).append(" | ").append(v[2]).append(" |\n");
    }
    t.append("\n");
    md.insert(at, t);
    return md.toString();
  }

  private void machine() {
    md.append("## Machine\n\n| | |\n|---|---|\n");
    if (measuredNothing) {
      md.append("| when | ").append(before.time).append(": rewritten from the figures of the runs named below; "
          + "nothing measured |\n");
    } else {
      md.append("| when | ").append(before.time).append(", ").append(String.format(Locale.ROOT, "%.1f", minutes))
          .append(" minutes of measurement |\n");
    }
    md.append("| command | `").append(command).append("` |\n");
    md.append("| CPU | ").append(before.cpu).append(", ").append(before.cores).append(" cores visible to the JVM |\n");
    md.append("| memory | ").append(before.memory).append(" |\n");
    md.append("| JDK | ").append(before.jdk).append(" |\n");
    md.append("| OS | ").append(before.os).append(" |\n");
    if (!measuredNothing) {
      md.append("| load average (1, 5, 15 min) | before: ").append(before.load).append("; after: ").append(after.load)
          .append(" |\n");
    }
    md.append("| peers | Guava 33.5.0-jre, Spring Framework 6.2.12, avaje-inject 12.4, JMH 1.37 |\n");
    for (String scenario : kept) {
      md.append("| ").append(scenario).append(" figures | kept from an earlier run: ")
          .append(orDash(r.value(scenario + "/measured"))).append(" |\n");
    }
    md.append("\n");
    if (measuredNothing) {
      md.append("This report was rewritten (`").append(command).append("`) from the raw results of the report it "
          + "replaced: every figure is that of the run named for its scenario above.\n\n");
    } else if (!kept.isEmpty()) {
      md.append("This run (`").append(command).append("`) measured only some scenarios; the figures of the others ("
          + String.join(", ", kept) + ") are those of the earlier run named above, kept from the report it "
          + "replaced, and the targets are judged on them.\n\n");
    }
    md.append("Other engineers' builds ran on this machine during the measurement; a load average well above "
        + "0 before or after means some figures were disturbed (the min column is the least disturbed run).\n\n");
  }

  private void targets() {}

  // ---- formatting ----------------------------------------------------------------------

  static String num(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    double a = Math.abs(v);
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    if (a >= 0.01 || a == 0) {
      return String.format(Locale.ROOT, "%.3f", v);
    }
    return String.format(Locale.ROOT, "%.1g", v);
  }

  private String cell(String key) {
    double[] f = r.figure(key);
    if (f == null) {
      return "–";
    }
    return "**" + num(f[0]) + "** (" + num(f[1]) + "–" + num(f[2]) + ")";
  }

  /** median(num) ÷ median(den), as "0.42x", or "–". */
  private String ratio(String numKey, String denKey) {
    double p = r.median(numKey);
    double o = r.median(denKey);
    if (Double.isNaN(p) || Double.isNaN(o) || o == 0) {
      return "–";
    }
    return num(p / o) + "x";
  }

  private void verdict(String target, String measured, boolean met) {
    verdicts.add(new String[] {target, measured, met ? "met" : "**MISSED**"});
  }

  /** The targets of issue 11 (compile-time assembly): listed after issue 10's. */
  private final List<String[]> issue11 = new ArrayList<>();

  /** A target of issue 10 (engine rework): listed first, in the order of the issue. */
  private final List<String[]> issue10 = new ArrayList<>();

  private void verdict10(int order, String target, String measured, boolean met) {
    issue10.add(new String[] {String.valueOf(order), target, measured, met ? "met" : "**MISSED**"});
  }

  private void verdict10Unknown(int order, String target, String why) {
    issue10.add(new String[] {String.valueOf(order), target, why, "not measured"});
  }

  private void verdictUnknown(String target, String why) {
    verdicts.add(new String[] {target, why, "not measured"});
  }

  // ---- sections ------------------------------------------------------------------------

  private static final String[][] FLAT_NAMES = {
    {"ordo", "Ordo (`.controller(Foo_Lifecycle.of(foo))`)"},
    {"ordo-registry", "Ordo (`.component(foo)`, via the generated registries)"},
    {"spring", "Spring `GenericApplicationContext` + `SmartLifecycle`"},
    {"avaje", "avaje-inject `@Singleton` + `@PostConstruct`/`@PreDestroy`"},
    {"guava", "Guava `ServiceManager` of `AbstractIdleService`s"},
    {"floor-calls", "floor: straight generated calls"},
    {"floor-executor", "floor: dependency-counting executor, 2 threads"},
  };

  private static final String[][] FLAT_REFERENCE = {
    {"spring", "issue 10: about 0.5 µs start + stop at N = 100"},
    {"guava", "a thread per start and per stop"},
    {"floor-calls", "about 0.1 µs over 1,000 distinct classes"},
    {"floor-executor", "issue 10's floor: 0.08–0.18 µs start"},
    {"ordo", "issue 10: start + stop ≤ Spring's at N = 100 and 1,000; start ≤ 0.5 µs at N = 10,000 "
        + "(today 25 µs against 0.5 µs at N = 100)"},
  };

  private static String reference(String system) {
    for (String[] s : FLAT_REFERENCE) {
      if (s[0].equals(system)) {
        return s[1];
      }
    }
    return "";
  }

  private void flat() {
    md.append("## 1. flat: N independent no-op components\n\n");
    md.append("Microseconds **per component**. *wire*: create the N component instances and the application "
        + "(Ordo: controllers + `build()`; Spring: `registerBean` of each class + `refresh()` with autoStartup off, "
        + "which instantiates the beans; Guava: the services + `new ServiceManager`; avaje: nothing, see start). "
        + "*start*: Ordo `start()`, Spring `start()`, Guava `startAsync().awaitHealthy()`, avaje "
        + "`BeanScope.builder().modules(m).build()` (creates **and** starts: compare avaje on *wire+start*). *stop*: "
        + "Ordo `stop()` (the whole shutdown: drain, stop, report), Spring `close()`, Guava "
        + "`stopAsync().awaitStopped()`, avaje `close()`. *start+stop*: the two calls together, per component (issue "
        + "10's figure at N = 100 and 1,000). *Ordo ÷ this*: Ordo's median ÷ this system's median, both from "
        + "this run (below 1: Ordo is faster). *threads*: threads the JVM started for one application (wire, start "
        + "and stop together; median). Every component is its own class, compiled by its system's processor where it "
        + "has one; each hook sets a field. All sizes use the first N classes of the same generated set (avaje has "
        + "a module per size).\n\n");
    for (int n : sizes) {
      md.append("### N = ").append(String.format(Locale.ROOT, "%,d", n)).append("\n\n");
      md.append("| system | wire | start | stop | start+stop | wire+start | Ordo ÷ this, start | Ordo ÷ this, "
          + "start+stop | threads | reference |\n|---|---|---|---|---|---|---|---|---|---|\n");
      String o = "flat/ordo/" + n;
      for (String[] s : FLAT_NAMES) {
        String k = "flat/" + s[0] + "/" + n;
        if (r.figure(k + "/start") == null) {
          md.append("| ").append(s[1]).append(" | not measured").append(r.value(k + "/missing") != null
              ? " (" + r.value(k + "/missing") + ")" : "").append(" | | | | | | | | |\n");
          continue;
        }
        boolean isOrdo = s[0].equals("ordo");
        double threads = r.median(k + "/threads-started");
        md.append("| ").append(s[1]).append(" | ").append(s[0].equals("avaje") ? "(in start)" : cell(k + "/wire"))
            .append(" | ").append(cell(k + "/start")).append(" | ").append(cell(k + "/stop"))
            .append(" | ").append(cell(k + "/start+stop"))
            .append(" | ").append(cell(k + "/wire+start"))
            .append(" | ").append(isOrdo || s[0].equals("avaje") ? "" : ratio(o + "/start", k + "/start"))
            .append(" | ").append(isOrdo ? "" : ratio(o + "/start+stop", k + "/start+stop"))
            .append(" | ").append(Double.isNaN(threads) ? "–" : String.format(Locale.ROOT, "%.0f", threads))
            .append(" | ").append(reference(s[0])).append(" |\n");
      }
      md.append("\n");
    }
    for (int n : new int[] {100, 1000}) {
      String label = String.format(Locale.ROOT, "%,d", n);
      double o = r.median("flat/ordo/" + n + "/start+stop");
      double spring = r.median("flat/spring/" + n + "/start+stop");
      if (Double.isNaN(o) || Double.isNaN(spring)) {
        verdict10Unknown(10 + n / 100, "flat start + stop per component, N = " + label + ": Ordo ≤ Spring "
            + "`SmartLifecycle`", "N = " + label + " not measured");
        continue;
      }
      StringBuilder m = new StringBuilder();
      m.append("Ordo ").append(num(o)).append(" µs, Spring ").append(num(spring)).append(" µs: **")
          .append(num(o / spring)).append("x**");
      for (String[] peer : new String[][] {{"guava", "Guava"}, {"avaje", "avaje"}}) {
        double p = r.median("flat/" + peer[0] + "/" + n + "/start+stop");
        if (!Double.isNaN(p)) {
          m.append("; ").append(peer[1]).append(" ").append(num(p)).append(" µs (Ordo ÷ ").append(peer[1])
              .append(" ").append(num(o / p)).append("x)");
        }
      }
      double threads = r.median("flat/ordo/" + n + "/threads-started");
      if (!Double.isNaN(threads)) {
        m.append("; Ordo starts ").append(String.format(Locale.ROOT, "%.0f", threads)).append(" threads per application");
      }
      verdict10(10 + n / 100, "flat start + stop per component, N = " + label + ": Ordo ≤ Spring `SmartLifecycle`",
          m.toString(), o <= spring);
    }
    String o = "flat/ordo/10000";
    double start = r.median(o + "/start");
    if (!Double.isNaN(start)) {
      double floor = r.median("flat/floor-executor/10000/start");
      verdict10(200, "flat start at N = 10,000 ≤ 0.5 µs per component (floor 0.08–0.18 µs)", num(start) + " µs"
          + (Double.isNaN(floor) ? "" : " (the floor executor in this run: " + num(floor) + " µs; Spring: "
          + num(r.median("flat/spring/10000/start")) + " µs)"), start <= 0.5);
    } else {
      verdict10Unknown(200, "flat start at N = 10,000 ≤ 0.5 µs per component", "N = 10,000 not built or not run");
    }
  }

  private void chain() {
    md.append("## 2. chain: one dependency chain of N components\n\n");
    md.append("Each component depends on the one before it. Ordo: real annotated classes, `@DependsOn` the previous "
        + "class; Spring: `SmartLifecycle` beans with `dependsOn` the previous bean (one class; `refresh()` with "
        + "autoStartup, so *start* includes creating the beans); the floor executor with 2 threads. Microseconds per "
        + "component. Guava's `ServiceManager` has no dependencies; avaje is not run here.\n\n");
    md.append("| system | N | wire | start | stop | outcome |\n|---|---|---|---|---|---|\n");
    for (String[] s : new String[][] {{"ordo", "Ordo"}, {"spring", "Spring"}, {"floor-executor", "floor executor"}}) {
      for (String key : r.values.keySet()) {
        if (key.startsWith("chain/" + s[0] + "/") && key.endsWith("/outcome")) {
          String k = key.substring(0, key.length() - "/outcome".length());
          String n = k.substring(k.lastIndexOf('/') + 1);
          md.append("| ").append(s[1]).append(" | ").append(n).append(" | ").append(cell(k + "/wire")).append(" | ")
              .append(cell(k + "/start")).append(" | ").append(cell(k + "/stop")).append(" | ")
              .append(r.value(key)).append(" |\n");
          if (s[0].equals("ordo")) {
            boolean clean = r.value(key).startsWith("every component");
            if (n.equals("10000")) {
              verdict("the chain of 10,000 starts and stops cleanly", r.value(key), clean);
            } else {
              verdictUnknown("the chain of 10,000 starts and stops cleanly", "only N = " + n + " built");
            }
          }
        }
      }
    }
    md.append("\nIssue's reference: Spring 6.2 logs a `StackOverflowError` on close with a 10,000 chain, swallows it, "
        + "and leaves all 10,000 beans running.\n\n");
  }

  private void dag() {
    md.append("## 3. dag: 200 components, 5 ms blocking startup hooks\n\n");
    String edges = r.value("dag/ordo/edges");
    md.append("A seeded random DAG (10 levels of 20, " + (edges == null ? "400" : edges) + " dependency edges, "
        + "average fan-in 2). Each startup hook sleeps 5 ms. *critical path*: the longest chain of the hooks' "
        + "measured durations in that run (the physical limit); *wall ÷ critical path*: 1.0 is the limit. "
        + "*violations*: edges whose dependent began before its dependency had ended (worst run).\n\n");
    md.append("| system | threads | startup wall (ms) | critical path (ms) | wall ÷ critical path | wall ÷ 50 ms "
        + "(10 levels × 5 ms) | violations | issue's reference |\n|---|---|---|---|---|---|---|---|\n");
    String[][] rows = {
      {"ordo", "Ordo", "grows while hooks block, cap 64 (default)", "issue 10: ≤ 1.10, no violation"},
      {"ordo-2-threads", "Ordo, `startupThreads(2)`", "2", "any 2-thread pool: about 10x"},
      {"spring", "Spring, `dependsOn`", "1 (sequential)", "about 1027 ms = 20x"},
      {"spring-concurrent", "Spring 6.2.6+ concurrent startup of the phase", "cached pool", "fast, about 260 of 400 edges violated"},
      {"avaje", "avaje-inject, constructor injection, `@PostConstruct`", "1 (sequential)", "about 20x"},
      {"floor-executor-width", "floor executor, pool = graph's width", "width", "1.01x"},
      {"floor-executor-2", "floor executor, 2 threads", "2", "about 10x"},
    };
    for (String[] s : rows) {
      String k = "dag/" + s[0];
      md.append("| ").append(s[1]).append(" | ").append(s[2]).append(" | ").append(cell(k + "/wall-ms")).append(" | ")
          .append(cell(k + "/critical-ms")).append(" | ").append(cell(k + "/ratio")).append(" | ")
          .append(Double.isNaN(r.median(k + "/wall-ms")) ? "–" : num(r.median(k + "/wall-ms") / 50.0)).append(" | ")
          .append(r.value(k + "/violations") == null ? "–" : r.value(k + "/violations") + " of " + r.value(k + "/edges"))
          .append(" | ").append(s[3]).append(" |\n");
    }
    md.append("\n");
    double ratio = r.median("dag/ordo/ratio");
    String v = r.value("dag/ordo/violations");
    if (!Double.isNaN(ratio)) {
      double floor = r.median("dag/floor-executor-width/ratio");
      verdict10(500, "dag (200 components, 5 ms hooks): wall ÷ critical path ≤ 1.10, 0 violations", num(ratio) + "x, "
          + v + " violations" + (Double.isNaN(floor) ? "" : " (floor executor as wide as the graph, this run: "
          + num(floor) + "x)"), ratio <= 1.10 && "0".equals(v));
    } else {
      verdict10Unknown(500, "dag: wall ÷ critical path ≤ 1.10, 0 violations", "not run");
    }
  }

  private void heap() {
    md.append("## 4. heap: retained heap per started component\n\n");
    int n = sizes[sizes.length - 1];
    md.append("Used heap after full GCs (serial collector), before wiring an application of N = "
        + String.format(Locale.ROOT, "%,d", n) + " and after starting it, divided by N; the component instances "
        + "count. A first application was wired, started and stopped before, so classes, static descriptors and "
        + "caches paid once per class are not counted. Median of 3 applications, one JVM per system.\n\n");
    md.append("| system | bytes per component | Ordo ÷ this | reference |\n|---|---|---|---|\n");
    String[][] refs = {{"ordo", "issue 10: ≤ 128 B (204–271 B before the engine rework)"}, {"ordo-registry", ""}, {"spring", "about 1150 B"},
        {"avaje", "about 250 B"}, {"guava", "about 935 B"}, {"floor-calls", "20–32 B"}, {"floor-executor", "20–32 B"}};
    for (int i = 0; i < FLAT_NAMES.length; i++) {
      String k = "heap/" + FLAT_NAMES[i][0] + "/" + n + "/bytes";
      md.append("| ").append(FLAT_NAMES[i][1]).append(" | ").append(cell(k)).append(" | ")
          .append(FLAT_NAMES[i][0].equals("ordo") ? "" : ratio("heap/ordo/" + n + "/bytes", k)).append(" | ")
          .append(refs[i][1]).append(" |\n");
    }
    md.append("\n");
    double b = r.median("heap/ordo/" + n + "/bytes");
    if (!Double.isNaN(b)) {
      verdict10(300, "retained heap ≤ 128 B per started component (N = " + String.format(Locale.ROOT, "%,d", n) + ")",
          num(b) + " B (min " + num(r.figure("heap/ordo/" + n + "/bytes")[1]) + " B)", b <= 128);
    } else {
      verdict10Unknown(300, "retained heap ≤ 128 B per started component", "not run");
    }
  }

  private void process() {
    md.append("## 5. process: a whole JVM, launch to RUNNING and to exit\n\n");
    String n = null;
    for (String key : r.figures.keySet()) {
      if (key.startsWith("process/") && !key.startsWith("process/compare/")) {
        String[] p = key.split("/");
        n = p[2];
      }
    }
    if (n == null) {
      md.append("Not run.\n\n");
      verdict10Unknown(400, "whole JVM, N = 1,000, launch to RUNNING ≤ 0.8x Spring's", "not run");
      return;
    }
    md.append("`java -cp <its own jars> Main " + n + "`, default JVM options, launched and timed from outside: "
        + "until it prints RUNNING (every component started), and until the process has exited (after stopping "
        + "them). Median of the runs after one untimed run per system; the timed runs go round the systems, one "
        + "launch of each per round (every other round in reverse order), so that a change of the machine's load "
        + "touches them alike. Each system has only its own jars on the class path. "
        + "*CPU*: the processor time the process used, user + system, all its threads (from the launcher's "
        + "`/proc/self/stat` children times, in 10 ms ticks): a load on the machine stretches the wall times "
        + "far more than this. "
        + "*classes*: classes the JVM loaded (an extra, untimed run with `-Xlog:class+load`); *lambda classes*: "
        + "those of them generated for lambdas and method references. Logging at its defaults (Ordo logs two INFO "
        + "lines). *ordo*: `Ordo.builder()` given each instance (`.component(foo)`, the generated registries "
        + "find the controllers), the flat set's first unit; *ordo (components)* and *ordo (assembly)* (issue 11) "
        + "share one compilation of " + n + " other classes of the same shape, in a package of their own: "
        + "`Ordo.builder().components(instances).build()`, and the generated "
        + "`OrdoProcessApp.builder().build().ordo()` of an `@OrdoApplication` interface in that package (the "
        + "components constructed in the plan's order, the plan computed at compile time); these two get further "
        + "rounds of their own after the shared ones (below).\n\n");
    md.append("| system | launch → RUNNING (ms) | launch → exit (ms) | CPU (ms) | Ordo ÷ this (RUNNING) | classes | "
        + "lambda classes | reference (to all started) |\n|---|---|---|---|---|---|---|---|\n");
    String[][] rows = {{"bare JVM", "about 40 ms"}, {"floor (straight calls)", "about 106 ms"},
        {"ordo", "issue 10: ≤ 0.8x Spring's in the same run (about equal before)"},
        {"ordo (components)", "issue 11: the path the assembly must beat"},
        {"ordo (assembly)", "issue 11: below `.components(...)`"},
        {"assembly prototype", "not Ordo's code: the assembly with one controller class for all components instead "
            + "of a `Foo_Lifecycle` per component (what those classes cost)"},
        {"spring", "about 305 ms"}, {"guava", "about 333 ms"},
        {"avaje", "about 424 ms (about 5,300 classes, 2,000 lambdas)"}};
    for (String[] s : rows) {
      String k = "process/" + s[0] + "/" + n;
      md.append("| ").append(s[0]).append(" | ").append(cell(k + "/running-ms")).append(" | ")
          .append(cell(k + "/exit-ms")).append(" | ").append(cell(k + "/cpu-ms")).append(" | ")
          .append(s[0].equals("ordo") ? "" : ratio("process/ordo/" + n + "/running-ms", k + "/running-ms"))
          .append(" | ").append(orDash(r.value(k + "/classes"))).append(" | ").append(orDash(r.value(k + "/lambdas")))
          .append(" | ").append(s[1]).append(" |\n");
    }
    md.append("\n");
    assembly(n);
    double ordo = r.median("process/ordo/" + n + "/running-ms");
    double spring = r.median("process/spring/" + n + "/running-ms");
    if (!Double.isNaN(ordo)) {
      double assembled = r.median("process/ordo (assembly)/" + n + "/running-ms");
      verdict10(400, "whole JVM, N = " + n + ", launch to RUNNING ≤ 0.8x Spring's", "Ordo (`.component(foo)`) "
          + num(ordo) + " ms, Spring " + num(spring) + " ms: **" + num(ordo / spring) + "x**"
          + (Double.isNaN(assembled) ? "" : "; the generated assembly of issue 11 (other classes of the same shape): "
              + num(assembled) + " ms, " + num(assembled / spring) + "x (not the figure judged)"),
          ordo / spring <= 0.8);
      String lambdas = r.value("process/ordo/" + n + "/lambdas");
      if (lambdas != null) {
        verdict("no lambda or method-reference class per component", lambdas + " lambda classes for " + n
            + " components", Integer.parseInt(lambdas) < Integer.parseInt(n) / 10);
      }
    }
  }

  /** Issue 11: the compile-time assembly against {@code Ordo.builder().components(...)}, same classes, same run. */
  private void assembly(String n) {
    String a = "process/ordo (assembly)/" + n;
    String c = "process/ordo (components)/" + n;
    String target = "whole JVM, N = " + String.format(Locale.ROOT, "%,d", Integer.parseInt(n))
        + ": assembly below `.components(...)`";
    double ar = r.median(a + "/running-ms");
    double cr = r.median(c + "/running-ms");
    if (Double.isNaN(ar) || Double.isNaN(cr)) {
      issue11.add(new String[] {target, "not run (see the problems below)", "not measured"});
      return;
    }
    String cmp = "process/compare/ordo (assembly)/ordo (components)/" + n + "/";
    md.append("### Issue 11: compile-time assembly against `.components(...)`\n\n");
    double[] launches = r.figure(a + "/running-ms");
    md.append("The same " + n + " classes, the same class path, launched one after the other in every round: the "
        + "rounds with every system, then rounds of these two alone (" + String.format(Locale.ROOT, "%.0f",
        launches[3]) + " timed launches of each in all, the same figures as their rows above). "
        + "*assembly ÷ components*: the ratio of the medians; *faster in*: the rounds in which the assembly's "
        + "launch got there first, with the exact one-sided sign test (p: the chance of at least as many such "
        + "rounds if neither were faster); *difference*: the median (min–max) of the rounds' differences, "
        + "assembly − components. The prototype (not Ordo's code; its rounds are the shared ones only) is the "
        + "assembly with one controller class for all components, hooks called through a `switch` on the index, "
        + "instead of a generated `Foo_Lifecycle` class per component; see `GenerateComponents#prototypeAssembly` "
        + "and the analysis at the end.\n\n");
    md.append("| | launch → RUNNING (ms) | launch → exit (ms) | CPU (ms) | classes |\n|---|---|---|---|---|\n");
    md.append("| ordo (components) | ").append(cell(c + "/running-ms")).append(" | ").append(cell(c + "/exit-ms"))
        .append(" | ").append(cell(c + "/cpu-ms")).append(" | ").append(orDash(r.value(c + "/classes"))).append(" |\n");
    md.append("| ordo (assembly) | ").append(cell(a + "/running-ms")).append(" | ").append(cell(a + "/exit-ms"))
        .append(" | ").append(cell(a + "/cpu-ms")).append(" | ").append(orDash(r.value(a + "/classes"))).append(" |\n");
    String p0 = "process/assembly prototype/" + n;
    if (r.figure(p0 + "/running-ms") != null) {
      md.append("| assembly prototype (not Ordo's code) | ").append(cell(p0 + "/running-ms")).append(" | ")
          .append(cell(p0 + "/exit-ms")).append(" | ").append(cell(p0 + "/cpu-ms")).append(" | ")
          .append(orDash(r.value(p0 + "/classes"))).append(" |\n");
    }
    String classDiff = "";
    if (r.value(a + "/classes") != null && r.value(c + "/classes") != null) {
      long d = Long.parseLong(r.value(a + "/classes")) - Long.parseLong(r.value(c + "/classes"));
      classDiff = (d > 0 ? "+" : "") + d;
    }
    md.append("| assembly ÷ components | **").append(ratio(a + "/running-ms", c + "/running-ms")).append("** | **")
        .append(ratio(a + "/exit-ms", c + "/exit-ms")).append("** | **").append(ratio(a + "/cpu-ms", c + "/cpu-ms"))
        .append("** | ").append(classDiff).append(" |\n");
    if (r.figure(p0 + "/running-ms") != null) {
      String protoDiff = "";
      if (r.value(p0 + "/classes") != null && r.value(c + "/classes") != null) {
        protoDiff = String.valueOf(Long.parseLong(r.value(p0 + "/classes")) - Long.parseLong(r.value(c + "/classes")));
      }
      md.append("| prototype ÷ components | ").append(ratio(p0 + "/running-ms", c + "/running-ms")).append(" | ")
          .append(ratio(p0 + "/exit-ms", c + "/exit-ms")).append(" | ").append(ratio(p0 + "/cpu-ms", c + "/cpu-ms"))
          .append(" | ").append(protoDiff).append(" |\n");
    }
    md.append("| assembly faster in | ").append(faster(cmp + "running")).append(" | ").append(faster(cmp + "exit"))
        .append(" | ").append(faster(cmp + "cpu")).append(" | |\n");
    md.append("| difference, assembly − components (ms) | ").append(cell(cmp + "running/diff-ms")).append(" | ")
        .append(cell(cmp + "exit/diff-ms")).append(" | ").append(cell(cmp + "cpu/diff-ms")).append(" | |\n\n");
    double ae = r.median(a + "/exit-ms");
    double ce = r.median(c + "/exit-ms");
    String p = r.value(cmp + "running/p");
    boolean below = ar < cr && p != null && Double.parseDouble(p) < 0.05;
    issue11.add(new String[] {target + " (launch → RUNNING: the assembly's median below, and faster in more rounds "
        + "than chance gives, sign test p < 0.05)",
        "assembly " + num(ar) + " ms, `.components(...)` " + num(cr) + " ms: **" + num(ar / cr) + "x**, faster in "
        + faster(cmp + "running") + ", median difference " + num(r.median(cmp + "running/diff-ms")) + " ms; to exit "
        + num(ae) + " against " + num(ce) + " ms (" + num(ae / ce) + "x); CPU " + num(r.median(a + "/cpu-ms"))
        + " against " + num(r.median(c + "/cpu-ms")) + " ms",
        below ? "met" : "**MISSED**"});
  }

  private String faster(String key) {
    String f = r.value(key + "/faster");
    String rounds = r.value(key + "/rounds");
    String p = r.value(key + "/p");
    if (f == null || rounds == null || p == null) {
      return "–";
    }
    String ties = r.value(key + "/ties");
    return f + " of " + rounds + " rounds" + (ties == null || ties.equals("0") ? "" : ", " + ties + " ties left out")
        + " (p = " + String.format(Locale.ROOT, "%.3g", Double.parseDouble(p)) + ")";
  }

  private static String orDash(String s) {
    return s == null ? "–" : s;
  }

  private void processor() {
    md.append("## 6. processor: javac with and without the annotation processor\n\n");
    String count = null;
    for (String key : r.figures.keySet()) {
      if (key.startsWith("processor/")) {
        count = key.split("/")[2];
      }
    }
    if (count == null) {
      md.append("Not run.\n\n");
      return;
    }
    md.append("`javac --release 17` as a fresh process (as in a clean build) on " + count + " annotated components "
        + "with seeded random dependencies (0–3 each) and startup and shutdown hooks; the avaje-inject sources are "
        + "the same classes as `@Singleton` beans with the dependencies as constructor parameters. Seconds, median "
        + "after one untimed run.\n\n");
    md.append("| compilation | seconds | class files written | ÷ plain javac |\n|---|---|---|---|\n");
    String[][] rows = {{"ordo sources, plain javac", null}, {"ordo sources, with the Ordo processor", "ordo sources, plain javac"},
        {"avaje sources, plain javac", null}, {"avaje sources, with avaje's generator", "avaje sources, plain javac"}};
    for (String[] s : rows) {
      String k = "processor/" + s[0] + "/" + count;
      md.append("| ").append(s[0]).append(" | ").append(cell(k + "/seconds")).append(" | ")
          .append(orDash(r.value(k + "/classes"))).append(" | ")
          .append(s[1] == null ? "" : ratio(k + "/seconds", "processor/" + s[1] + "/" + count + "/seconds"))
          .append(" |\n");
    }
    md.append("\n");
    double with = r.median("processor/ordo sources, with the Ordo processor/" + count + "/seconds");
    double plain = r.median("processor/ordo sources, plain javac/" + count + "/seconds");
    if (!Double.isNaN(with)) {
      double avaje = r.median("processor/avaje sources, with avaje's generator/" + count + "/seconds")
          / r.median("processor/avaje sources, plain javac/" + count + "/seconds");
      verdict("issue 13: javac with the processor ≤ 2x plain javac (" + count + " components; an earlier issue asked"
          + " ≤ 1.5x)", num(with / plain) + "x (avaje-inject's generator on its plain javac, same run: "
          + (Double.isNaN(avaje) ? "not run" : num(avaje) + "x") + ")", with / plain <= 2.0);
    }
  }

  private void jmh() {
    md.append("## 7. hot paths (JMH)\n\n");
    List<String> keys = new ArrayList<>();
    for (String key : r.figures.keySet()) {
      if (key.startsWith("jmh/")) {
        keys.add(key);
      }
    }
    if (keys.isEmpty()) {
      md.append("Not run.\n\n");
    } else {
      md.append("JMH 1.37, average time per operation, 1 fork, " + (quick ? "short iterations" :
          "3 × 1 s warm-up, 5 × 1 s measurement") + "; median (min–max) of the measurement iterations, "
          + "± the 99.9% confidence half-interval JMH reports.\n\n");
      md.append("| benchmark | time per operation | ± | target |\n|---|---|---|---|\n");
      for (String k : keys) {
        double[] f = r.figure(k);
        String unit = r.value(k + "/unit");
        String target = k.contains("RequestTracker") || k.contains("ResourceLeaseBenchmark.acquireRelease1Thread") ? "< 50 ns"
            : k.contains("ResourceLeaseBenchmark") ? "scales: per-thread time ≈ 1 thread's" : k.contains("Event") ? "< 1 µs caller-side" : "";
        md.append("| `").append(k.substring(4)).append("` | ").append(cell(k)).append(' ').append(unit)
            .append(" | ").append(f.length > 4 ? num(f[4]) : "").append(" | ").append(target).append(" |\n");
        if (k.contains("RequestTracker")) {
          verdict("tracker enter/leave < 50 ns (`" + k.substring(k.lastIndexOf('.') + 1) + "`)",
              num(f[0]) + " " + unit, f[0] < 50);
        }
        if (k.contains("ResourceLeaseBenchmark.acquireRelease1Thread")) {
          verdict("lease acquire + release < 50 ns, uncontended (issue 12)", num(f[0]) + " " + unit, f[0] < 50);
        }
      }
      md.append("\n");
    }
    if (r.value("jmh/kept") != null) {
      md.append("Figures of ").append(r.value("jmh/kept")).append(".\n\n");
    }
    md.append(JmhExtras.NOTE);
    for (String[] v : JmhExtras.verdicts(r)) {
      verdicts.add(v);
    }
  }

  private void method() {
    md.append("## How this was measured\n\n");
    md.append("- `benchmarks/run.sh` builds the module with `-Pfull` (10,000 distinct component classes per system, "
        + "generated by `benchmarks/src/gen/GenerateComponents.java` and compiled by each system's own processor), "
        + "copies what it needs to a scratch directory, and runs `dev.ordo.bench.RunAll`, which starts one JVM per "
        + "system and scenario (`-Xms2g -Xmx4g`, default collector; the heap scenario uses the serial collector). "
        + "`java.util.logging` is at WARNING in those JVMs for every system alike.\n");
    md.append("- Warm-up: the flat scenario wires, starts and stops fresh applications for 3 s (at least twice) per "
        + "system and size before measuring up to 10 fresh applications (at least 3) within 10 s; chain and dag run "
        + "two untimed applications first. A `System.gc()` precedes each measured application.\n");
    md.append("- The Ordo component sets are compiled in units of 1,000 components, each with its own generated "
        + "registry, like an application made of several jars (the sets were first split because the registry "
        + "once was a single `switch` that javac rejected past about 2,000 components; the processor now splits "
        + "large registries itself). `.component(foo)` then asks up to N/1,000 registries; "
        + "`.controller(Foo_Lifecycle.of(foo))` asks none.\n");
    md.append("- The peers are used as their documentation shows, with their defaults; nothing is tuned down.\n");
    md.append("- Reproduce: `benchmarks/run.sh` (about 15 minutes on 2 cores); `benchmarks/run.sh --quick` for a "
        + "smoke run; `--only flat,dag` for some scenarios (the others' figures are kept from the report it "
        + "replaces, read back from the block of raw results at its end, with the date and load of the run that "
        + "measured them); `--report-only` rewrites the report from those figures without measuring (after a "
        + "change to `benchmarks/analysis.md` or to the report's layout).\n\n");
    if (!notes.isEmpty()) {
      md.append("## Problems during this run\n\n");
      for (String n : notes) {
        md.append("- ").append(n).append('\n');
      }
      md.append('\n');
    }
  }
}
