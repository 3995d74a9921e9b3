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
 * only its own jars on the class path, with default JVM options. One extra run per system logs the
 * classes it loaded (not timed).
 */
final class ProcessScenario {
  private final RunAll run;

  ProcessScenario(RunAll run) {
    this.run = run;
  }

  void run(int n, int runs) throws IOException, InterruptedException {
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
    for (String[] s : systems) {
      String name = s[0];
      String key = "process/" + name + "/" + n;
      System.out.printf("[process %s] n=%d%n", name, n);
      Samples running = new Samples();
      Samples exit = new Samples();
      launch(s, n, null); // not timed: warms the file cache
      for (int i = 0; i < runs; i++) {
        long[] t = launch(s, n, null);
        if (t == null) {
          run.notes.add("process " + name + " did not print RUNNING; see logs/process-" + name + ".log");
          break;
        }
        running.add(t[0] / 1e6);
        exit.add(t[1] / 1e6);
      }
      run.results().put(key + "/running-ms", running);
      run.results().put(key + "/exit-ms", exit);
      Path classLog = run.work().resolve("logs").resolve("classes-" + name.replace(' ', '_') + ".txt");
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
      System.out.printf("    RUNNING %.0f ms, exit %.0f ms (median of %d), classes %s, lambda classes %s%n",
          running.median(), exit.median(), running.count(), run.results().value(key + "/classes"),
          run.results().value(key + "/lambdas"));
    }
  }

  /** {nanos to RUNNING, nanos to exit}, or null if it never said RUNNING. */
  private long[] launch(String[] system, int n, String extraOption) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(run.java()));
    if (extraOption != null) {
      command.add(extraOption);
    }
    command.addAll(List.of("-cp", system[1], system[2], String.valueOf(n)));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.appendTo(
            run.work().resolve("logs").resolve("process-" + system[0].replace(' ', '_') + ".log").toFile()));
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
    return running < 0 || p.exitValue() != 0 ? null : new long[] {running, exit};
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
