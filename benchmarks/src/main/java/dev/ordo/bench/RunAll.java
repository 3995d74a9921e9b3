package dev.ordo.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every scenario, each system in JVMs of its own, and writes the report. benchmarks/run.sh
 * builds the component sets and calls this:
 *
 * <pre>
 * java -cp CLASSES:UNITS/*:LIB/* dev.ordo.bench.RunAll --classes DIR --units DIR --lib DIR
 *     --generator GenerateComponents.java --work DIR --out docs/benchmarks.md [--quick] [--only a,b]
 *     [--report-only]
 *     [--analysis benchmarks/analysis.md]
 * </pre>
 */
public final class RunAll {
  private final Path classes;
  private final Path units;
  private final Path lib;
  private final Path generator;
  private final Path work;
  private final Path out;
  private final boolean quick;
  /** --report-only: rewrite the report from the previous one's results block, measuring nothing. */
  private final boolean reportOnly;
  private final List<String> only;
  private final Path analysis;
  /**
   * {@code BENCH_JMH_INCLUDE}: a regular expression of the JMH benchmarks to run ({@code Class.method}
   * of {@code dev.ordo.bench.jmh}); the other benchmarks' figures are kept from the report being
   * replaced, with their provenance. Unset: every benchmark runs.
   */
  private final String jmhInclude = System.getenv("BENCH_JMH_INCLUDE");
  private final Results results = new Results();
  private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private final String javac = Path.of(System.getProperty("java.home"), "bin", "javac").toString();
  final List<String> notes = new ArrayList<>();

  private RunAll(String[] args) {
    java.util.Map<String, String> a = new java.util.HashMap<>();
    boolean q = false;
    boolean r = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--quick")) {
        q = true;
      } else if (args[i].equals("--report-only")) {
        r = true;
      } else {
        a.put(args[i], args[++i]);
      }
    }
    classes = Path.of(a.get("--classes"));
    units = Path.of(a.get("--units"));
    lib = Path.of(a.get("--lib"));
    generator = Path.of(a.get("--generator"));
    work = Path.of(a.get("--work"));
    out = Path.of(a.get("--out"));
    quick = q;
    reportOnly = r;
    only = a.containsKey("--only") ? List.of(a.get("--only").split(",")) : List.of();
    analysis = a.containsKey("--analysis") ? Path.of(a.get("--analysis")) : null;
  }

  public static void main(String[] args) throws Exception {
    new RunAll(args).run();
  }

  private boolean wanted(String scenario) {
    return !reportOnly && (only.isEmpty() || only.contains(scenario));
  }

  private void run() throws Exception {
    Files.createDirectories(work.resolve("logs"));
    Files.writeString(work.resolve("logging.properties"),
        "handlers=java.util.logging.ConsoleHandler\n.level=WARNING\n");
    Report.Machine machine = Report.Machine.now();
    // --only: the other scenarios' figures are kept from the report being replaced (their own
    // provenance, "<scenario>/measured", comes with them).
    java.util.Set<String> kept = new java.util.TreeSet<>();
    if ((reportOnly || !only.isEmpty()) && Files.exists(out)) {
      kept = results.readLines(resultLines(Files.readString(out)), s -> !wanted(s));
      System.out.println("== " + (reportOnly ? "--report-only" : "--only " + String.join(",", only)) + ": keeping "
          + (kept.isEmpty()
          ? "nothing (no results block in " + out + ")" : String.join(", ", kept) + " from " + out));
    }
    if (wanted("jmh") && jmhInclude != null && Files.exists(out)) {
      keepOtherJmhFigures(resultLines(Files.readString(out)));
    }
    long began = System.nanoTime();
    int max = dev.ordo.bench.gen.Sizes.COMPONENTS;
    int[] sizes = Arrays.stream(new int[] {100, 1000, 10000}).filter(s -> s <= max).toArray();
    int big = sizes[sizes.length - 1];
    if (wanted("flat")) {
      for (String system : Systems.FLAT) {
        fork("flat-" + system, inJvmOptions(), "dev.ordo.bench.Flat", system,
            Arrays.stream(sizes).mapToObj(String::valueOf).collect(Collectors.joining(",")),
            quick ? "300" : "3000", quick ? "3" : "10", quick ? "2000" : "10000");
      }
    }
    if (wanted("chain")) {
      for (String system : List.of("ordo", "spring", "floor-executor")) {
        fork("chain-" + system, inJvmOptions(), "dev.ordo.bench.Chain", system,
            String.valueOf(system.equals("spring") ? 10000 : big), quick ? "2" : "5");
      }
    }
    if (wanted("dag")) {
      for (String system : List.of("ordo", "ordo-2-threads", "spring", "spring-concurrent", "avaje",
          "floor-executor-width", "floor-executor-2")) {
        fork("dag-" + system, inJvmOptions(), "dev.ordo.bench.Dag", system, quick ? "3" : "7");
      }
    }
    if (wanted("heap")) {
      for (String system : Systems.FLAT) {
        List<String> opts = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xmx2g", logging()));
        fork("heap-" + system, opts, "dev.ordo.bench.Heap", system, String.valueOf(big));
      }
    }
    if (wanted("process")) {
      new ProcessScenario(this).run(Math.min(1000, big), quick ? 3 : 15, quick ? 2 : 30);
    }
    if (wanted("processor")) {
      new ProcessorScenario(this).run(quick ? 100 : 1000, quick ? 2 : 5);
    }
    if (wanted("jmh")) {
      jmh();
    }
    Report.Machine after = Report.Machine.now();
    double minutes = (System.nanoTime() - began) / 60e9;
    String command = (jmhInclude != null && wanted("jmh") ? "BENCH_JMH_INCLUDE='" + jmhInclude + "' " : "")
        + "benchmarks/run.sh" + (quick ? " --quick" : "") + (reportOnly ? " --report-only" : "")
        + (only.isEmpty() ? "" : " --only " + String.join(",", only))
        + (max != 10000 ? " (BENCH_COMPONENTS=" + max + ")" : "");
    for (String scenario : SCENARIOS) {
      if (wanted(scenario)) {
        results.values.put(scenario + "/measured", machine.time + ", `" + command + "`, load average before: "
            + machine.load + "; after: " + after.load + (quick ? " (quick mode)" : ""));
      }
    }
    String report = new Report(results, machine, after, quick, minutes, notes, sizes, command).keptFromEarlier(kept)
        .measuredNothing(reportOnly).render();
    if (analysis != null && Files.exists(analysis)) {
      // Why Ordo misses what it misses: written by people from profiles, kept beside the figures.
      report += "\n" + Files.readString(analysis);
    }
    // Every figure, for a later --only run to keep what it does not measure again.
    report += "\n" + RESULTS_BEGIN + "\n" + String.join("\n", results.lines()) + "\n-->\n";
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report);
    System.out.printf("Wrote %s (%.1f minutes of measurement)%n", out, minutes);
  }

  /** The scenarios, as --only names them and as the first segment of their results' keys. */
  static final List<String> SCENARIOS = List.of("flat", "chain", "dag", "heap", "process", "processor", "jmh");

  /** Opens the block of raw results at the end of the report (an HTML comment: not rendered). */
  static final String RESULTS_BEGIN = "<!-- results of benchmarks/run.sh, read back by --only; do not edit";

  /** The lines of the results block of a report written before, or none. */
  static List<String> resultLines(String report) {
    int from = report.lastIndexOf(RESULTS_BEGIN);
    if (from < 0) {
      return List.of();
    }
    int to = report.indexOf("-->", from);
    String block = report.substring(from + RESULTS_BEGIN.length(), to < 0 ? report.length() : to);
    return Arrays.stream(block.split("\n")).filter(l -> !l.isBlank()).collect(Collectors.toList());
  }

  List<String> inJvmOptions() {
    return new ArrayList<>(List.of("-Xms2g", "-Xmx4g", logging()));
  }

  String logging() {
    return "-Djava.util.logging.config.file=" + work.resolve("logging.properties");
  }

  /** Runs a class of this module in a JVM of its own; its R and V lines go to the results. */
  void fork(String name, List<String> jvmOptions, String mainClass, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    System.out.printf("[%s] %s%n", name, String.join(" ", args));
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(command)
        .redirectError(work.resolve("logs").resolve(name + ".log").toFile())
        .start();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        results.accept(line);
        if (line.startsWith("R\t") || line.startsWith("V\t")) {
          System.out.println("    " + line.substring(2).replace('\t', ' '));
        }
      }
    }
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
    }
    if (p.exitValue() != 0) {
      String error = name + " exited with " + p.exitValue() + "; see " + work.resolve("logs").resolve(name + ".log");
      notes.add(error);
      System.out.println("    " + error);
      System.out.println(tail(work.resolve("logs").resolve(name + ".log"), 15));
    }
    System.out.printf("    (%.1f s)%n", (System.nanoTime() - t0) / 1e9);
  }

  static String tail(Path file, int lines) throws IOException {
    List<String> all = Files.readAllLines(file);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** With {@link #jmhInclude}: the earlier figures of the JMH benchmarks it leaves out, and where they come from. */
  private void keepOtherJmhFigures(List<String> lines) {
    Pattern include = Pattern.compile(jmhInclude);
    Set<String> kept = new TreeSet<>();
    String provenance = null;
    for (String line : lines) {
      String[] f = line.split("\t");
      if (f.length < 3 || !f[1].startsWith("jmh/")) {
        continue;
      }
      if (f[1].equals("jmh/measured")) {
        provenance = f[2];
        continue;
      }
      String name = f[1].substring(4).replaceFirst("/unit$", "");
      if (!name.equals("kept") && !include.matcher(name).find()) {
        results.readLines(List.of(line), s -> true);
        kept.add(name);
      }
    }
    if (!kept.isEmpty()) {
      results.values.put("jmh/kept", String.join(", ", kept) + " kept from an earlier run: "
          + (provenance == null ? "unknown" : provenance));
    }
  }

  private void jmh() throws Exception {
    ChainedOptionsBuilder o = new OptionsBuilder()
        .include(jmhInclude == null ? "dev\\.ordo\\.bench\\.jmh\\..*"
            : "dev\\.ordo\\.bench\\.jmh\\.(?:" + jmhInclude + ")")
        .forks(1)
        .jvmArgsAppend(logging())
        .warmupIterations(quick ? 1 : 3)
        .warmupTime(TimeValue.milliseconds(quick ? 300 : 1000))
        .measurementIterations(quick ? 2 : 5)
        .measurementTime(TimeValue.milliseconds(quick ? 300 : 1000))
        .output(work.resolve("logs").resolve("jmh.log").toString());
    System.out.println("[jmh] " + (quick ? "quick" : "3 x 1 s warm-up, 5 x 1 s measurement, 1 fork"));
    for (RunResult r : new Runner(o.build()).run()) {
      String name = r.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
      // A benchmark with @Param runs once per value: each gets a figure of its own.
      for (String key : r.getParams().getParamsKeys()) {
        name += "[" + key + "=" + r.getParams().getParam(key) + "]";
      }
      org.openjdk.jmh.util.Statistics s = r.getPrimaryResult().getStatistics();
      results.figures.put("jmh/" + name, new double[] {
        s.getPercentile(50), s.getMin(), s.getMax(), s.getN(), r.getPrimaryResult().getScoreError()
      });
      results.values.put("jmh/" + name + "/unit", r.getPrimaryResult().getScoreUnit());
      System.out.printf("    %s %.2f %s%n", name, s.getPercentile(50), r.getPrimaryResult().getScoreUnit());
    }
  }

  // ---- what the scenarios share ----------------------------------------------------------

  Results results() {
    return results;
  }

  Path work() {
    return work;
  }

  Path classes() {
    return classes;
  }

  Path units() {
    return units;
  }

  Path generator() {
    return generator;
  }

  String java() {
    return java;
  }

  String javac() {
    return javac;
  }

  boolean quick() {
    return quick;
  }

  /** The jars in lib whose file names start with one of the prefixes. */
  List<Path> jars(String... prefixes) throws IOException {
    try (Stream<Path> s = Files.list(lib)) {
      return s.filter(p -> Arrays.stream(prefixes).anyMatch(x -> p.getFileName().toString().startsWith(x)))
          .sorted().collect(Collectors.toList());
    }
  }

  static String path(List<Path> entries) {
    return entries.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }

  static long pid() {
    return ManagementFactory.getRuntimeMXBean().getPid();
  }
}
