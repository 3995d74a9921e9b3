package dev.ordo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ordo on the module path, end to end: a named module {@code com.example.app} with one component
 * is compiled by javac with the processor on the processor path and {@code dev.ordo.runtime} on
 * the module path, then run as a real process with {@code java --module-path ... -m}, without
 * Micrometer (an optional module of the runtime).
 */
class ModulePathIT {
  private static final String PROVIDES =
      "provides dev.ordo.runtime.internal.LifecycleRegistry with com.example.app.OrdoRegistry;";

  @TempDir
  static Path dir;

  /** The module compiled with the provides line the processor asks for, and its javac output. */
  private static Path app;

  private static String compiled;

  @BeforeAll
  static void compileTheModule() throws Exception {
    app = dir.resolve("with-provides");
    compiled = compile(app, PROVIDES);
  }

  @Test
  void compilesWithoutOrdoDiagnostics() {
    assertFalse(compiled.contains("[Ordo/"), compiled);
  }

  @Test
  void startsAndStops() throws Exception {
    Run run = run(app, "stop");
    assertEquals(0, run.exit(), run.output());
    assertLinesInOrder(run.output(), "Greeter started", "state RUNNING", "Greeter stopped", "state STOPPED");
  }

  @Test
  void sigtermShutsDownGracefullyAndExitsWithTheReportsStatus() throws Exception {
    // Signals are handled through sun.misc.Signal (module jdk.unsupported): were it not resolved,
    // the JVM would end with 143 on SIGTERM, through the shutdown hook alone.
    Run run = sigtermAfter(start(app, "await"), "state RUNNING");
    assertEquals(0, run.exit(), run.output());
    // Not "exit status 0", which main prints after awaitShutdown() returns: on a signal, Ordo ends
    // the JVM with the report's status once the shutdown is done, and may do so before main prints.
    // The status itself is asserted above.
    assertLinesInOrder(run.output(), "Greeter started", "state RUNNING", "Greeter stopped");
  }

  @Test
  void runHandlesSigtermWithoutOnSignalAndExitsWithTheReportsStatus() throws Exception {
    // Ordo.run() owns the process's shutdown although ordo.shutdown.on-signal was not set.
    Run run = sigtermAfter(start(app, "run"), "Greeter started");
    assertEquals(0, run.exit(), run.output());
    assertLinesInOrder(run.output(), "Greeter started", "Greeter stopped");
  }

  @Test
  void runLeavesSignalsAloneWhenOnSignalIsSetToFalse() throws Exception {
    Run run = sigtermAfter(start(app, "run", "-Dordo.shutdown.on-signal=false"), "Greeter started");
    assertEquals(143, run.exit(), run.output()); // the JVM's own answer to SIGTERM
    assertFalse(run.output().contains("Greeter stopped"), run.output());
  }

  /** Waits for {@code line} in the output of {@code process}, sends SIGTERM, and waits for the exit. */
  private static Run sigtermAfter(Process process, String line) throws Exception {
    List<String> lines = new ArrayList<>();
    Thread reader = new Thread(() -> process.inputReader(StandardCharsets.UTF_8).lines().forEach(l -> {
      synchronized (lines) {
        lines.add(l);
        lines.notifyAll();
      }
    }));
    reader.setDaemon(true);
    reader.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      synchronized (lines) {
        while (!lines.contains(line) && process.isAlive() && System.nanoTime() < deadline) {
          lines.wait(100);
        }
      }
      assertTrue(process.toHandle().destroy(), "could not send SIGTERM"); // destroy() is SIGTERM
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "no exit within 60 s");
      reader.join(10_000);
      synchronized (lines) {
        return new Run(process.exitValue(), String.join("\n", lines));
      }
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void withoutProvidesTheCompilationFailsWithTheLineToAdd() throws Exception {
    Path without = dir.resolve("without-provides");
    String output = compile(without, "", 1);
    assertTrue(output.contains("error: [Ordo/ModuleProvides] Module com.example.app does not provide its Ordo"
        + " registry com.example.app.OrdoRegistry"), output);
    assertTrue(output.contains("help: add to the module declaration: " + PROVIDES), output);
  }


  /** Writes the module's sources under {@code root}, compiles them to {@code root/classes}; javac's output. */
  private static String compile(Path root, String provides) throws IOException, URISyntaxException {
    return compile(root, provides, 0);
  }

  private static String compile(Path root, String provides, int expectedStatus) throws IOException, URISyntaxException {
    Path src = root.resolve("src");
    write(src.resolve("module-info.java"),
        "module com.example.app {",
        "  requires dev.ordo.runtime;",
        "  " + provides,
        "}");
    write(src.resolve("com/example/app/Greeter.java"),
        "package com.example.app;",
        "",
        "import dev.ordo.OnShutdown;",
        "import dev.ordo.OnStartup;",
        "",
        "final class Greeter {",
        "  @OnStartup(timeout = \"10s\") void start() { System.out.println(\"Greeter started\"); }",
        "  @OnShutdown void stop() { System.out.println(\"Greeter stopped\"); }",
        "}");
    write(src.resolve("com/example/app/Main.java"),
        "package com.example.app;",
        "",
        "import dev.ordo.runtime.Ordo;",
        "",
        "public final class Main {",
        "  public static void main(String[] args) throws Exception {",
        "    if (args[0].equals(\"run\")) {",
        "      System.exit(Ordo.builder().component(new Greeter()).build().run());",
        "    }",
        "    boolean await = args[0].equals(\"await\");",
        "    Ordo app = Ordo.builder().component(new Greeter()).shutdownOnSignal(await).build();",
        "    app.start();",
        "    System.out.println(\"state \" + app.state());",
        "    if (await) {",
        "      System.out.println(\"exit status \" + app.awaitShutdown().exitCode());",
        "    } else {",
        "      app.stop();",
        "      System.out.println(\"state \" + app.state());",
        "    }",
        "  }",
        "}");
    List<String> args = new ArrayList<>(List.of(
        "-Xlint:all,-processing",
        "--module-path", modulePath(),
        "--processor-path", locationOf("dev.ordo.processor.OrdoProcessor") + File.pathSeparator
            + locationOf("com.palantir.javapoet.JavaFile"),
        "-d", root.resolve("classes").toString()));
    try (var files = Files.walk(src)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = ToolProvider.getSystemJavaCompiler().run(null, out, out, args.toArray(new String[0]));
    String output = out.toString(StandardCharsets.UTF_8);
    assertEquals(expectedStatus, status, output);
    return output;
  }

  private record Run(int exit, String output) {}

  private static Run run(Path root, String mode) throws Exception {
    Process process = start(root, mode);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
    return new Run(process.exitValue(), output);
  }

  private static Process start(Path root, String mode, String... jvmOptions) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of(
        "--module-path", modulePath() + File.pathSeparator + root.resolve("classes"),
        "-m", "com.example.app/com.example.app.Main",
        mode));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("ORDO_"));
    return builder.start();
  }

  /** The annotations and the runtime, as the build made them: jars, or class folders in an IDE. */
  private static String modulePath() throws URISyntaxException {
    return locationOf("dev.ordo.OnStartup") + File.pathSeparator + locationOf("dev.ordo.runtime.Ordo");
  }

  private static String locationOf(String className) throws URISyntaxException {
    try {
      Class<?> type = Class.forName(className, false, ModulePathIT.class.getClassLoader());
      return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (ClassNotFoundException e) {
      throw new AssertionError(className + " is not on the test class path", e);
    }
  }

  private static void write(Path file, String... lines) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, List.of(lines), StandardCharsets.UTF_8);
  }

  private static void assertLinesInOrder(String output, String... expected) {
    List<String> lines = List.of(output.split("\\R"));
    int from = 0;
    for (String line : expected) {
      int at = lines.subList(from, lines.size()).indexOf(line);
      assertTrue(at >= 0, "no line '" + line + "' after line " + from + " in:\n" + output);
      from += at + 1;
    }
  }
}
