package dev.ordo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Scenario 6: javac, as a fresh process (as a clean build runs it), on COUNT annotated
 * components: without and with the Ordo processor; and on the equivalent avaje-inject beans
 * (the same dependencies as constructor parameters, the same hooks) without and with avaje's
 * generator. One untimed run of each first.
 */
final class ProcessorScenario {
  private final RunAll run;

  ProcessorScenario(RunAll run) {
    this.run = run;
  }

  void run(int count, int runs) throws IOException, InterruptedException {
    Path src = run.work().resolve("processor-src");
    exec(List.of(run.java(), run.generator().toString(), "processor", src.toString(), String.valueOf(count)));
    List<String> ordoFiles = sources(src.resolve("ordo"));
    List<String> avajeFiles = sources(src.resolve("avaje"));
    String ordoCp = RunAll.path(run.jars("ordo-annotations", "ordo-runtime"));
    String ordoPp = RunAll.path(run.jars("ordo-processor", "javapoet", "ordo-annotations"));
    List<Path> avajeJars = run.jars("avaje-", "jakarta.inject", "jspecify");
    avajeJars.removeIf(p -> p.getFileName().toString().startsWith("avaje-inject-generator"));
    String avajeCp = RunAll.path(avajeJars);
    String avajePp = RunAll.path(run.jars("avaje-inject-generator"));
    Object[][] configs = {
      {"ordo sources, plain javac", ordoFiles, List.of("-proc:none", "-cp", ordoCp)},
      {"ordo sources, with the Ordo processor", ordoFiles,
          // the processors found as a build finds them: META-INF/services on the processor path
          List.of("-cp", ordoCp, "-processorpath", ordoPp)},
      {"avaje sources, plain javac", avajeFiles, List.of("-proc:none", "-cp", avajeCp)},
      {"avaje sources, with avaje's generator", avajeFiles,
          List.of("-cp", avajeCp, "-processorpath", avajePp, "-AbuildPlugin=false")},
    };
    for (Object[] c : configs) {
      String name = (String) c[0];
      @SuppressWarnings("unchecked")
      List<String> files = (List<String>) c[1];
      @SuppressWarnings("unchecked")
      List<String> options = (List<String>) c[2];
      Path argfile = run.work().resolve("processor-" + name.hashCode() + ".args");
      Files.write(argfile, files);
      Path outDir = run.work().resolve("processor-out");
      Samples seconds = new Samples();
      long generated = 0;
      for (int i = -1; i < runs; i++) {
        deleteTree(outDir);
        Files.createDirectories(outDir);
        List<String> command = new ArrayList<>(List.of(run.javac(), "--release", "17", "-encoding", "UTF-8",
            "-Xlint:none", "-d", outDir.toString()));
        command.addAll(options);
        command.add("@" + argfile);
        long t0 = System.nanoTime();
        exec(command);
        long t = System.nanoTime() - t0;
        if (i >= 0) {
          seconds.add(t / 1e9);
        }
        try (Stream<Path> s = Files.walk(outDir)) {
          generated = s.filter(p -> p.toString().endsWith(".class")).count();
        }
      }
      String key = "processor/" + name + "/" + count;
      run.results().put(key + "/seconds", seconds);
      run.results().values.put(key + "/classes", String.valueOf(generated));
      System.out.printf("[processor] %s: %.2f s (median of %d), %d class files%n",
          name, seconds.median(), seconds.count(), generated);
    }
  }

  private static List<String> sources(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().collect(Collectors.toList());
    }
  }

  private void exec(List<String> command) throws IOException, InterruptedException {
    Path log = run.work().resolve("logs").resolve("processor.log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("failed: " + String.join(" ", command).substring(0, 200) + "...; see " + log);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
