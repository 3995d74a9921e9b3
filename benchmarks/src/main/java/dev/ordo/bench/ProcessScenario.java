package dev.ordo.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Scenario 5: whole JVMs, launched and timed from outside: launch to the line RUNNING (every
 * component started), and launch to the process's exit (after stopping them all). Each system gets
 * only its own jars on the class path, with default JVM options. The timed launches go round the
 * systems (one of each per round), so that a change of the machine's load touches them alike. One
 * extra run per system logs the classes it loaded (not timed).
 *
 * <p>Issue 11's pair, over the same 1,000 classes of the unit {@code process-00} (a package of its
 * own): {@code Ordo.builder().components(...)} (the registry path) and the compile-time assembly
 * {@code OrdoProcessApp.builder().build()}; beside them a hand-made prototype of an assembly
 * without a controller class per component (see GenerateComponents#prototypeAssembly).
 */
final class ProcessScenario {
  private final RunAll run;

  ProcessScenario(RunAll run) {
    this.run = run;
  }

  /** Issue 11's pair: compared round by round, and given rounds of their own after the shared ones. */
  static final String ASSEMBLY = "ordo (assembly)";
  static final String COMPONENTS = "ordo (components)";
  /** Not Ordo's code: the assembly without a generated controller class per component. */
  static final String PROTOTYPE = "assembly prototype";

  /**
   * {@code runs} rounds of every system, then {@code pairRounds} more of issue 11's pair alone (the
   * difference between the two is small against the noise of a shared machine).
   */
  void run(int n, int runs, int pairRounds) throws IOException, InterruptedException {
    Path classes = run.classes();
    Path flat00 = run.units().resolve("flat-00");
    Path avajeOnly = avajeClasses(n);
    List<String[]> systems = new ArrayList<>();
    systems.add(new String[] {"bare JVM", RunAll.path(List.of(classes)), "dev.ordo.bench.process.BareProcessMain"});
    systems.add(new String[] {"floor (straight calls)", RunAll.path(List.of(classes)),
        "dev.ordo.bench.process.FloorProcessMain"});
    List<Path> ordo = new ArrayList<>(List.of(flat00));
    ordo.addAll(run.jars("ordo-runtime", "ordo-annotations"));
    systems.add(new String[] {"ordo", RunAll.path(ordo), "dev.ordo.bench.flat.ordo.OrdoProcessMain"});
    Path assemblyUnit = run.units().resolve("process-00");
    if (Files.isDirectory(assemblyUnit)) {
      List<Path> assembly = new ArrayList<>(List.of(assemblyUnit));
      assembly.addAll(run.jars("ordo-runtime", "ordo-annotations"));
      systems.add(new String[] {COMPONENTS, RunAll.path(assembly),
          "dev.ordo.bench.assembly.ComponentsProcessMain"});
      systems.add(new String[] {ASSEMBLY, RunAll.path(assembly),
          "dev.ordo.bench.assembly.AssemblyProcessMain"});
      systems.add(new String[] {PROTOTYPE, RunAll.path(assembly),
          "dev.ordo.bench.assembly.PrototypeProcessMain"});
    } else {
      run.notes.add("process: the unit process-00 (issue 11's assembly) was not built");
    }
    List<Path> guava = new ArrayList<>(List.of(classes));
    guava.addAll(run.jars("guava-", "failureaccess-"));
    systems.add(new String[] {"guava", RunAll.path(guava), "dev.ordo.bench.process.GuavaProcessMain"});
    List<Path> spring = new ArrayList<>(List.of(classes));
    spring.addAll(run.jars("spring-", "micrometer-observation", "micrometer-commons"));
    systems.add(new String[] {"spring", RunAll.path(spring), "dev.ordo.bench.process.SpringProcessMain"});
    if (avajeOnly != null) {
      List<Path> avaje = new ArrayList<>(List.of(avajeOnly));
      avaje.addAll(run.jars("avaje-", "jakarta.inject", "jspecify"));
      avaje.removeIf(p -> p.getFileName().toString().startsWith("avaje-inject-generator"));
      systems.add(new String[] {"avaje", RunAll.path(avaje), "dev.ordo.bench.flat.avaje" + n + ".AvajeProcessMain"});
    }
    List<Samples> running = new ArrayList<>();
    List<Samples> exit = new ArrayList<>();
    List<Samples> cpu = new ArrayList<>();
    boolean[] failed = new boolean[systems.size()];
    for (String[] s : systems) {
      running.add(new Samples());
      exit.add(new Samples());
      cpu.add(new Samples());
      launch(s, n, null); // not timed: warms the file cache
    }
    // rounds[i][k]: system k's {nanos to RUNNING, nanos to exit} in round i, or null.
    long[][][] rounds = new long[runs + pairRounds][systems.size()][];
    for (int i = 0; i < runs + pairRounds; i++) {
      System.out.printf("[process] round %d of %d%s, n=%d%n", i + 1, runs + pairRounds,
          i < runs ? "" : " (issue 11's pair alone)", n);
      for (int j = 0; j < systems.size(); j++) {
        // Every other round backwards: no system always follows the same one.
        int k = i % 2 == 0 ? j : systems.size() - 1 - j;
        boolean pair = systems.get(k)[0].equals(ASSEMBLY) || systems.get(k)[0].equals(COMPONENTS);
        if (failed[k] || (i >= runs && !pair)) {
          continue;
        }
        String[] s = systems.get(k);
        long[] t = launch(s, n, null);
        rounds[i][k] = t;
        if (t == null) {
          run.notes.add("process " + s[0] + " did not print RUNNING or exit with 0; see logs/process-"
              + fileName(s[0]) + ".log");
          failed[k] = true;
          continue;
        }
        running.get(k).add(t[0] / 1e6);
        exit.get(k).add(t[1] / 1e6);
        if (t[2] >= 0) {
          cpu.get(k).add(t[2] / 1e6);
        }
      }
    }
    compare(systems, rounds, ASSEMBLY, COMPONENTS, n);
    for (int k = 0; k < systems.size(); k++) {
      String[] s = systems.get(k);
      String name = s[0];
      String key = "process/" + name + "/" + n;
      if (running.get(k).count() > 0) {
        run.results().put(key + "/running-ms", running.get(k));
        run.results().put(key + "/exit-ms", exit.get(k));
      }
      if (cpu.get(k).count() > 0) {
        run.results().put(key + "/cpu-ms", cpu.get(k));
      }
      Path classLog = run.work().resolve("logs").resolve("classes-" + fileName(name) + ".txt");
      Files.deleteIfExists(classLog);
      launch(s, n, "-Xlog:class+load=info:file=" + classLog);
      if (Files.exists(classLog)) {
        long loaded;
        long lambdas;
        try (Stream<String> lines = Files.lines(classLog)) {
          loaded = lines.filter(l -> l.contains(" source: ")).count();
        }
        try (Stream<String> lines = Files.lines(classLog)) {
          lambdas = lines.filter(l -> l.contains(" source: ") && l.contains("$$Lambda")).count();
        }
        run.results().values.put(key + "/classes", String.valueOf(loaded));
        run.results().values.put(key + "/lambdas", String.valueOf(lambdas));
      }
      System.out.printf("[process %s] n=%d: RUNNING %.0f ms, exit %.0f ms, CPU %.0f ms (median of %d), classes %s,"
          + " lambda classes %s%n", name, n, running.get(k).median(), exit.get(k).median(), cpu.get(k).median(),
          running.get(k).count(), run.results().value(key + "/classes"), run.results().value(key + "/lambdas"));
    }
  }

  /**
   * Issue 11's pair, round by round (the two ran within seconds of each other): in how many rounds
   * {@code a} was faster than {@code b}, the exact one-sided sign test of that count (the chance of
   * at least as many faster rounds if neither were faster; ties left out), and the median of the
   * rounds' differences a - b. Values {@code process/compare/<a>/<b>/<n>/(running|exit|cpu)/...}.
   */
  private void compare(List<String[]> systems, long[][][] rounds, String a, String b, int n) {
    int ia = -1;
    int ib = -1;
    for (int k = 0; k < systems.size(); k++) {
      ia = systems.get(k)[0].equals(a) ? k : ia;
      ib = systems.get(k)[0].equals(b) ? k : ib;
    }
    if (ia < 0 || ib < 0) {
      return;
    }
    String[] what = {"running", "exit", "cpu"};
    for (int m = 0; m < 3; m++) {
      Samples diff = new Samples();
      int faster = 0;
      int ties = 0;
      for (long[][] round : rounds) {
        if (round[ia] != null && round[ib] != null && round[ia][m] >= 0 && round[ib][m] >= 0) {
          double d = (round[ia][m] - round[ib][m]) / 1e6;
          diff.add(d);
          faster += d < 0 ? 1 : 0;
          ties += d == 0 ? 1 : 0;
        }
      }
      if (diff.count() == 0) {
        continue;
      }
      String key = "process/compare/" + a + "/" + b + "/" + n + "/" + what[m];
      run.results().put(key + "/diff-ms", diff);
      run.results().values.put(key + "/faster", String.valueOf(faster));
      // The sign test leaves ties out (CPU time is counted in 10 ms ticks).
      int decided = diff.count() - ties;
      run.results().values.put(key + "/rounds", String.valueOf(decided));
      run.results().values.put(key + "/ties", String.valueOf(ties));
      run.results().values.put(key + "/p", String.valueOf(signTest(faster, decided)));
      System.out.printf("[process] %s vs %s, %s: faster in %d of %d rounds (%d ties; p = %.4f), median difference"
          + " %.1f ms%n", a, b, what[m], faster, decided, ties, signTest(faster, decided), diff.median());
    }
  }

  /** P(X >= k) for X ~ Binomial(n, 1/2): the exact one-sided sign test. */
  static double signTest(int k, int n) {
    double p = 0;
    double choose = 1; // C(n, 0)
    for (int i = 0; i <= n; i++) {
      if (i >= k) {
        p += choose;
      }
      choose = choose * (n - i) / (i + 1);
    }
    return p / Math.pow(2, n);
  }

  /** A system's name as part of a file name: {@code ordo (assembly)} is {@code ordo_assembly}. */
  private static String fileName(String system) {
    return system.replaceAll("[^A-Za-z0-9.-]+", "_").replaceAll("_$", "");
  }

  /**
   * {nanos to RUNNING, nanos to exit, nanos of CPU the process used (user + system, all its
   * threads; -1 where unknown)}, or null if it never said RUNNING or did not exit with 0.
   */
  private long[] launch(String[] system, int n, String extraOption) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(run.java()));
    if (extraOption != null) {
      command.add(extraOption);
    }
    command.addAll(List.of("-cp", system[1], system[2], String.valueOf(n)));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.appendTo(
            run.work().resolve("logs").resolve("process-" + fileName(system[0]) + ".log").toFile()));
    long cpu0 = childrenCpuNanos();
    long t0 = System.nanoTime();
    Process p = pb.start();
    long running = -1;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (running < 0 && line.startsWith("RUNNING")) {
          running = System.nanoTime() - t0;
        }
      }
    }
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return null;
    }
    long exit = System.nanoTime() - t0;
    long cpu1 = childrenCpuNanos();
    long cpu = cpu0 < 0 || cpu1 < 0 ? -1 : cpu1 - cpu0;
    return running < 0 || p.exitValue() != 0 ? null : new long[] {running, exit, cpu};
  }

  /**
   * CPU time (user + system) of this JVM's children that have ended and been waited for (Linux:
   * cutime + cstime of /proc/self/stat, in clock ticks of 10 ms), or -1. Only one child runs at a
   * time here, so the difference around a launch is that process's CPU time, to 10 ms. A load on
   * the machine stretches a launch's wall time far more than its CPU time.
   */
  private static long childrenCpuNanos() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // Fields after the command's closing parenthesis: state is field 3; cutime and cstime 16, 17.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10_000_000L;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * The avaje beans of size n with a service file naming only their module: the build compiles
   * several sizes together, and avaje instantiates every module its service file names.
   */
  private Path avajeClasses(int n) throws IOException {
    Path from = run.classes().resolve("dev/ordo/bench/flat/avaje" + n);
    if (!Files.isDirectory(from)) {
      return null;
    }
    Path to = run.work().resolve("process-avaje-classes");
    Path pkg = to.resolve("dev/ordo/bench/flat/avaje" + n);
    Files.createDirectories(pkg);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, pkg.resolve(f.getFileName().toString()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Path services = to.resolve("META-INF/services");
    Files.createDirectories(services);
    String module = "dev.ordo.bench.flat.avaje" + n + ".Flat";
    StringBuilder kept = new StringBuilder();
    for (String line : Files.readAllLines(run.classes().resolve("META-INF/services/io.avaje.inject.spi.InjectExtension"))) {
      // The generated file names every module of the compilation, and avaje's plugins: keep those.
      if (!line.startsWith("dev.ordo.bench.") || line.startsWith(module)) {
        kept.append(line).append('\n');
      }
    }
    Files.writeString(services.resolve("io.avaje.inject.spi.InjectExtension"), kept);
    return to;
  }
}
