package dev.ordo.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.JavaFile;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor under the Eclipse compiler (ECJ), as Eclipse and some builds run it: it generates
 * exactly what it generates under javac, its generated code draws no ECJ warning but the
 * {@code @SuppressWarnings} tokens ECJ does not know (silenced by {@code -warn:-warningToken},
 * which the guide gives), and it runs on a Java runtime without the {@code jdk.compiler} module.
 */
class EclipseCompilerTest {
  @TempDir
  Path dir;

  private Path src;

  private static final Map<String, String> SOURCES = new TreeMap<>(Map.of(
      "com/acme/Pool.java", String.join("\n",
          "package com.acme;",
          "import dev.ordo.*;",
          "import dev.ordo.runtime.LifecycleContext;",
          "@Critical",
          "public class Pool {",
          "  public Pool() {}",
          "  @OnStartup(timeout = \"10s\") void open(LifecycleContext context) {}",
          "  @OnShutdown java.util.concurrent.CompletionStage<?> close() { return null; }",
          "  @HealthCheck(name = \"ping\", timeout = \"500ms\") boolean ping() { return true; }",
          "}"),
      "com/acme/Orders.java", String.join("\n",
          "package com.acme;",
          "import dev.ordo.*;",
          "@Critical",
          "@PublishesEvents(operations = {\"checkout\", \"refund\"})",
          "public class Orders {",
          "  public Orders(Pool pool, Orders_Events events) {}",
          "  @OnStartup void start() {}",
          "  public static final class Index {",
          "    @HealthCheck void check() {}",
          "  }",
          "}"),
      "com/acme/Main.java", String.join("\n",
          "package com.acme;",
          "import dev.ordo.*;",
          "public class Main {",
          "  @OnStartup void start() {}",
          "}",
          "class Helper {",
          "  @OnStartup void begin() {}",
          "}"),
      "com/acme/Shop.java", String.join("\n",
          "package com.acme;",
          "@dev.ordo.OrdoApplication",
          "public interface Shop {",
          "  Orders orders();",
          "}"),
      "com/other/Feed.java", String.join("\n",
          "package com.other;",
          "import dev.ordo.*;",
          "@DependsOn(com.acme.Pool.class)",
          "public class Feed {",
          "  @OnStartup void start() {}",
          "}")));

  @BeforeEach
  void writeSources() throws IOException {
    src = dir.resolve("src");
    for (Map.Entry<String, String> source : SOURCES.entrySet()) {
      Path file = src.resolve(source.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.getValue() + "\n", StandardCharsets.UTF_8);
    }
  }

  private List<String> sourceFiles() {
    return SOURCES.keySet().stream().map(s -> src.resolve(s).toString()).collect(Collectors.toList());
  }

  private static String classPath() throws Exception {
    return locationOf(dev.ordo.OnStartup.class) + File.pathSeparator + locationOf(dev.ordo.runtime.Ordo.class);
  }

  private static String processorPath() throws Exception {
    return locationOf(OrdoProcessor.class) + File.pathSeparator + locationOf(JavaFile.class);
  }

  private static String locationOf(Class<?> type) throws Exception {
    return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  /** ECJ's batch compiler, in this JVM; returns what it printed, or fails on an error. */
  private String ecj(Path out, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("-17", "-proceedOnError", "-d", out.toString(), "-s", out.toString(),
        "-cp", classPath(), "-processorpath", processorPath()));
    args.addAll(List.of(extra));
    args.addAll(sourceFiles());
    StringWriter printed = new StringWriter();
    PrintWriter writer = new PrintWriter(printed);
    boolean ok = new org.eclipse.jdt.internal.compiler.batch.Main(writer, writer, false, null, null)
        .compile(args.toArray(new String[0]));
    writer.flush();
    assertTrue(ok, printed.toString());
    return printed.toString();
  }

  private void javac(Path out) throws Exception {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics,
          List.of("-Xlint:all,-processing", "-cp", classPath(), "-d", out.toString(), "-s", out.toString()), null,
          files.getJavaFileObjectsFromStrings(sourceFiles()));
      task.setProcessors(List.of(new OrdoProcessor()));
      assertTrue(task.call(), diagnostics.getDiagnostics().toString());
      List<String> warnings = diagnostics.getDiagnostics().stream()
          .filter(d -> d.getKind() != Diagnostic.Kind.NOTE).map(d -> d.getMessage(null)).collect(Collectors.toList());
      assertEquals(List.of(), warnings, "javac -Xlint:all is silent");
    }
  }

  /** The generated sources and Ordo's resources under {@code out}, by relative path. */
  private static Map<String, String> generated(Path out) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(out)) {
      for (Path p : walk.filter(Files::isRegularFile).collect(Collectors.toList())) {
        String relative = out.relativize(p).toString().replace('\\', '/');
        if (relative.endsWith(".java") || relative.startsWith("META-INF/")) {
          files.put(relative, Files.readString(p, StandardCharsets.UTF_8));
        }
      }
    }
    return files;
  }

  @Test
  void generatesExactlyWhatJavacGenerates() throws Exception {
    Path byJavac = Files.createDirectories(dir.resolve("javac"));
    Path byEcj = Files.createDirectories(dir.resolve("ecj"));
    javac(byJavac);
    ecj(byEcj);
    Map<String, String> expected = generated(byJavac);
    Map<String, String> actual = generated(byEcj);
    assertTrue(expected.containsKey("com/acme/Helper_Lifecycle.java"), expected.keySet().toString());
    assertTrue(expected.containsKey("com/acme/OrdoShop.java"), expected.keySet().toString());
    assertTrue(expected.get("com/acme/Helper_Lifecycle.java").contains("extends LifecycleController<Object>"),
        "javac takes the auxiliary class as an Object");
    assertEquals(expected.keySet(), actual.keySet());
    for (String file : expected.keySet()) {
      assertEquals(expected.get(file), actual.get(file), file);
    }
  }

  /** ECJ's batch compiler on one file of {@code src}, into {@code out}, against {@code out}. */
  private Map.Entry<Boolean, String> ecjOneFile(Path out, String file) throws Exception {
    List<String> args = new ArrayList<>(List.of("-17", "-d", out.toString(), "-s", out.toString(),
        "-cp", classPath() + File.pathSeparator + out, "-processorpath", processorPath(),
        src.resolve(file).toString()));
    StringWriter printed = new StringWriter();
    PrintWriter writer = new PrintWriter(printed);
    boolean ok = new org.eclipse.jdt.internal.compiler.batch.Main(writer, writer, false, null, null)
        .compile(args.toArray(new String[0]));
    writer.flush();
    return Map.entry(ok, printed.toString());
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  @Test
  void recompilingOneFileAsAnIdeDoesKeepsEveryComponent() throws Exception {
    Path out = Files.createDirectories(dir.resolve("ecj"));
    ecj(out);
    String graph = read(out.resolve("META-INF/ordo/graph.json"));
    String services = read(out.resolve("META-INF/services/dev.ordo.runtime.internal.LifecycleRegistry"));
    String controller = read(out.resolve("com/acme/Pool_Lifecycle.java"));
    // An edit inside a method: the controller the earlier build generated, which ECJ refuses to
    // write again as it finds its class in the output, is still right.
    Files.writeString(src.resolve("com/acme/Pool.java"), SOURCES.get("com/acme/Pool.java")
        .replace("return true;", "return 1 + 1 == 2;") + "\n", StandardCharsets.UTF_8);
    Map.Entry<Boolean, String> result = ecjOneFile(out, "com/acme/Pool.java");
    assertTrue(result.getKey(), result.getValue());
    assertFalse(result.getValue().contains("Ordo/"), result.getValue());
    assertEquals(controller, read(out.resolve("com/acme/Pool_Lifecycle.java")));
    assertEquals(graph, read(out.resolve("META-INF/ordo/graph.json")));
    String after = read(out.resolve("META-INF/services/dev.ordo.runtime.internal.LifecycleRegistry"));
    for (String registry : services.trim().split("\n")) {
      assertTrue(after.contains(registry), after);
    }
  }

  @Test
  void aChangedControllerThatEcjRefusesToWriteAgainIsAClearErrorNotACrash() throws Exception {
    Path out = Files.createDirectories(dir.resolve("ecj"));
    ecj(out);
    Files.writeString(src.resolve("com/acme/Pool.java"), SOURCES.get("com/acme/Pool.java")
        .replace("\"500ms\"", "\"700ms\"") + "\n", StandardCharsets.UTF_8);
    Map.Entry<Boolean, String> result = ecjOneFile(out, "com/acme/Pool.java");
    assertFalse(result.getKey(), result.getValue());
    assertTrue(result.getValue().contains("[Ordo/GeneratedFileExists] com.acme.Pool_Lifecycle must be generated again"
        + " for com.acme.Pool"), result.getValue());
    assertFalse(result.getValue().contains("InternalError"), result.getValue());
  }

  @Test
  void generatedCodeDrawsNoEclipseWarning() throws Exception {
    Path out = Files.createDirectories(dir.resolve("ecj"));
    String printed = ecj(out);
    // Only the tokens javac's lint needs and ECJ does not know...
    for (String line : printed.split("\n")) {
      if (line.startsWith("Unsupported @SuppressWarnings")) {
        assertTrue(line.contains("\"auxiliaryclass\"") || line.contains("\"overloads\""), line);
      }
      assertFalse(line.contains("is never used"), printed);
    }
    // ...which -warn:-warningToken silences, and then nothing is left.
    Path quiet = Files.createDirectories(dir.resolve("quiet"));
    assertEquals("", ecj(quiet, "-warn:-warningToken").trim());
  }

  @Test
  void runsOnAJavaRuntimeWithoutTheCompilerModule() throws Exception {
    Path out = Files.createDirectories(dir.resolve("jre"));
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java,
        "--limit-modules", "java.base,java.compiler,java.logging,jdk.unsupported",
        "-cp", locationOf(org.eclipse.jdt.internal.compiler.batch.Main.class),
        "org.eclipse.jdt.internal.compiler.batch.Main",
        "-17", "-warn:-warningToken", "-d", out.toString(), "-s", out.toString(), "-cp", classPath(),
        "-processorpath", processorPath()));
    command.addAll(sourceFiles());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "ECJ did not finish");
    assertEquals(0, process.exitValue(), printed);
    assertFalse(printed.contains("NoClassDefFoundError"), printed);
    assertTrue(Files.isRegularFile(out.resolve("com/acme/Pool_Lifecycle.java")), printed);
    assertTrue(Files.isRegularFile(out.resolve("com/acme/OrdoShop.class")), printed);
  }
}
