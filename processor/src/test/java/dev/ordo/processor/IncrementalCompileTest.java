package dev.ordo.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.Ordo;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental compiles, as an IDE or Maven and Gradle run them: a full build into an output
 * directory, then only the changed files recompiled against that directory. What Ordo writes for
 * the whole compilation (the services entry, {@code graph.json}, the event catalog) stays complete,
 * the application still finds every controller at run time, and edges into a changed class are
 * checked again.
 */
class IncrementalCompileTest {
  private static final String SERVICE_FILE = "META-INF/services/dev.ordo.runtime.internal.LifecycleRegistry";

  @TempDir
  Path dir;

  private Path src;
  private Path classes;

  private static final String A = String.join("\n",
      "package com.acme;",
      "import dev.ordo.*;",
      "@Critical",
      "public class A {",
      "  @OnStartup void start() { Calls.LIST.add(\"A\"); }",
      "}");
  private static final String B = String.join("\n",
      "package com.acme;",
      "import dev.ordo.*;",
      "@Critical",
      "@DependsOn(C.class)",
      "@PublishesEvents(operations = \"sync\")",
      "public class B {",
      "  @OnStartup void start() { Calls.LIST.add(\"B\"); }",
      "}");
  private static final String C = String.join("\n",
      "package com.acme;",
      "import dev.ordo.*;",
      "@Critical",
      "public class C {",
      "  @OnStartup void start() { Calls.LIST.add(\"C\"); }",
      "}");
  private static final String CALLS = String.join("\n",
      "package com.acme;",
      "public final class Calls {",
      "  public static final java.util.List<String> LIST = new java.util.concurrent.CopyOnWriteArrayList<>();",
      "  private Calls() {}",
      "}");

  /** What javac reported. */
  private record Result(boolean success, List<String> errors) {}

  private void write(String name, String text) throws IOException {
    Path file = src.resolve("com/acme/" + name + ".java");
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /** Compiles the named files of the source folder into the class output, which is on the class path. */
  private Result compile(String... names) throws Exception {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      String classPath = classes + File.pathSeparator + locationOf(dev.ordo.OnStartup.class) + File.pathSeparator
          + locationOf(dev.ordo.runtime.LifecycleController.class);
      List<Path> paths = new ArrayList<>();
      for (String name : names) {
        paths.add(src.resolve("com/acme/" + name + ".java"));
      }
      // The processors are found as a build finds them: through META-INF/services on the
      // processor path (OrdoProcessor, and RecompiledComponentsProcessor for the compile of a class
      // that lost its last Ordo annotation).
      String processorPath = locationOf(OrdoProcessor.class) + File.pathSeparator
          + locationOf(com.palantir.javapoet.JavaFile.class) + File.pathSeparator + locationOf(dev.ordo.OnStartup.class);
      JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics,
          List.of("-Xlint:all,-processing", "-cp", classPath, "-processorpath", processorPath,
              "-d", classes.toString()),
          null, files.getJavaFileObjectsFromPaths(paths));
      boolean ok = task.call();
      List<String> errors = diagnostics.getDiagnostics().stream()
          .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
          .map(d -> d.getMessage(null))
          .collect(Collectors.toList());
      return new Result(ok, errors);
    }
  }

  private static String locationOf(Class<?> type) throws Exception {
    return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  private String output(String path) throws IOException {
    return Files.readString(classes.resolve(path), StandardCharsets.UTF_8);
  }

  private List<String> graphComponents() throws IOException {
    List<String> names = new ArrayList<>();
    Matcher m = Pattern.compile("\"name\": \"([^\"]+)\"").matcher(output("META-INF/ordo/graph.json"));
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private void fullBuild() throws Exception {
    src = dir.resolve("src");
    classes = dir.resolve("classes");
    Files.createDirectories(classes);
    write("A", A);
    write("B", B);
    write("C", C);
    write("Calls", CALLS);
    Result full = compile("A", "B", "C", "Calls");
    assertTrue(full.success(), full.errors().toString());
  }

  /** Starts A, B and C from the class output, as the application would, through the registries. */
  private List<String> run() throws Exception {
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        IncrementalCompileTest.class.getClassLoader())) {
      Thread thread = Thread.currentThread();
      ClassLoader before = thread.getContextClassLoader();
      thread.setContextClassLoader(loader);
      try {
        Map<String, Object> instances = new LinkedHashMap<>();
        for (String name : List.of("A", "B", "C")) {
          instances.put(name, loader.loadClass("com.acme." + name).getConstructor().newInstance());
        }
        Ordo app = Ordo.builder().components(instances.values().toArray()).build();
        app.start();
        assertEquals(ApplicationState.RUNNING, app.state());
        app.stop();
        @SuppressWarnings("unchecked")
        List<String> calls = (List<String>) loader.loadClass("com.acme.Calls").getField("LIST").get(null);
        return List.copyOf(calls);
      } finally {
        thread.setContextClassLoader(before);
      }
    }
  }

  @Test
  void recompilingOneFileKeepsEveryComponentInTheServicesEntryAndTheGraph() throws Exception {
    fullBuild();
    String fullServices = output(SERVICE_FILE);
    assertEquals(List.of("com.acme.A", "com.acme.B", "com.acme.C"), graphComponents());

    write("A", A.replace("Calls.LIST.add(\"A\")", "Calls.LIST.add(\"A2\")"));
    Result one = compile("A");
    assertTrue(one.success(), one.errors().toString());

    List<String> services = List.of(output(SERVICE_FILE).split("\n"));
    assertEquals(2, services.size(), "the new registry of A, and the full build's: " + services);
    assertTrue(services.contains(fullServices.trim()), services.toString());
    assertEquals(List.of("com.acme.A", "com.acme.B", "com.acme.C"), graphComponents());
    assertTrue(output("META-INF/ordo/events.json").contains("com.acme.B"), "B's events stay in the catalog");
    List<String> calls = run();
    assertTrue(calls.containsAll(List.of("A2", "B", "C")), calls.toString());
    assertTrue(calls.indexOf("C") < calls.indexOf("B"), calls.toString());

    // And once more: the registry of the first incremental compile is carried over too.
    write("C", C.replace("Calls.LIST.add(\"C\")", "Calls.LIST.add(\"C2\")"));
    Result two = compile("C");
    assertTrue(two.success(), two.errors().toString());
    assertEquals(List.of("com.acme.A", "com.acme.B", "com.acme.C"), graphComponents());
    List<String> again = run();
    assertTrue(again.containsAll(List.of("A2", "B", "C2")), again.toString());
  }

  @Test
  void aChangedClassIsCheckedAgainstTheComponentsThatDependOnIt() throws Exception {
    fullBuild();
    // C is no longer critical, while B, critical and not recompiled, hard-depends on it.
    write("C", C.replace("@Critical\n", ""));
    Result result = compile("C");
    assertFalse(result.success());
    assertTrue(result.errors().stream().anyMatch(e -> e.contains("[Ordo/CriticalDependsOnOptional]")
        && e.contains("com.acme.B") && e.contains("com.acme.C")), result.errors().toString());
  }

  @Test
  void aClassThatLostItsLastAnnotationIsCheckedAgainstTheComponentsThatDependOnIt() throws Exception {
    fullBuild();
    // C carries no Ordo annotation any more, while B, not recompiled, still depends on it: javac
    // would not run OrdoProcessor for this compile at all.
    write("C", String.join("\n",
        "package com.acme;",
        "public class C {",
        "  void start() { Calls.LIST.add(\"C\"); }",
        "}"));
    Result result = compile("C");
    assertFalse(result.success());
    assertTrue(result.errors().stream().anyMatch(e -> e.contains("[Ordo/NotAComponent]")
        && e.contains("com.acme.B") && e.contains("com.acme.C")), result.errors().toString());
  }

  @Test
  void aClassThatLostItsLastAnnotationLeavesTheGraph() throws Exception {
    fullBuild();
    write("A", String.join("\n",
        "package com.acme;",
        "public class A {",
        "  void start() { Calls.LIST.add(\"A\"); }",
        "}"));
    Result result = compile("A");
    assertTrue(result.success(), result.errors().toString());
    assertEquals(List.of("com.acme.B", "com.acme.C"), graphComponents());
    assertFalse(output("META-INF/ordo/plan.json").contains("\"A\""), output("META-INF/ordo/plan.json"));
    assertTrue(output("META-INF/ordo/events.json").contains("com.acme.B"), "B's events stay in the catalog");
    assertFalse(output(SERVICE_FILE).isBlank(), "the registry of B and C stays listed");
  }

  @Test
  void aCompileWithoutOrdoAnnotationsLeavesAnEarlierOutputAlone() throws Exception {
    fullBuild();
    String graph = output("META-INF/ordo/graph.json");
    String services = output(SERVICE_FILE);
    write("Calls", CALLS.replace("private Calls() {}", "private Calls() {}\n  static int count() { return LIST.size(); }"));
    Result result = compile("Calls");
    assertTrue(result.success(), result.errors().toString());
    assertEquals(graph, output("META-INF/ordo/graph.json"));
    assertEquals(services, output(SERVICE_FILE));
  }

  @Test
  void anApplicationRecompiledAloneStillAssemblesTheComponentsCompiledBefore() throws Exception {
    fullBuild();
    write("Shop", "package com.acme;\n@dev.ordo.OrdoApplication\npublic interface Shop {}\n");
    Result first = compile("Shop");
    assertTrue(first.success(), first.errors().toString());
    String assembly = output("com/acme/OrdoShop.java");
    for (String component : List.of("A", "B", "C")) {
      assertTrue(assembly.contains("new " + component + "()"), component + " in\n" + assembly);
    }
    write("Shop", "package com.acme;\n@dev.ordo.OrdoApplication\npublic interface Shop { B b(); }\n");
    Result again = compile("Shop");
    assertTrue(again.success(), again.errors().toString());
    assertTrue(output("com/acme/OrdoShop.java").contains("public B b()"));
  }

  @Test
  void inANamedModuleTheRegistryOfAOneFileCompileStillNamesEveryComponent() throws Exception {
    src = dir.resolve("module-src");
    classes = dir.resolve("module-classes");
    Files.createDirectories(classes);
    Path moduleInfo = src.resolve("module-info.java");
    Files.createDirectories(src);
    Files.writeString(moduleInfo, String.join("\n",
        "module com.acme {",
        "  requires dev.ordo.runtime;",
        "  provides dev.ordo.runtime.internal.LifecycleRegistry with com.acme.OrdoRegistry;",
        "}"), StandardCharsets.UTF_8);
    write("A", "package com.acme;\npublic class A { @dev.ordo.OnStartup void start() {} }\n");
    write("B", "package com.acme;\npublic class B { @dev.ordo.OnStartup void start() {} }\n");
    String modulePath = locationOf(dev.ordo.OnStartup.class) + File.pathSeparator
        + locationOf(dev.ordo.runtime.LifecycleController.class);
    assertTrue(compileModule(modulePath, List.of(), moduleInfo, src.resolve("com/acme/A.java"),
        src.resolve("com/acme/B.java")).isEmpty());
    // As an IDE recompiles one file of a module: the module's earlier classes patched in.
    List<String> errors = compileModule(modulePath, List.of("--patch-module", "com.acme=" + classes), moduleInfo,
        src.resolve("com/acme/A.java"));
    assertTrue(errors.isEmpty(), errors.toString());
    String registry = output("com/acme/OrdoRegistry.java");
    assertTrue(registry.contains("case \"com.acme.A\":") && registry.contains("case \"com.acme.B\":"), registry);
  }

  private List<String> compileModule(String modulePath, List<String> extra, Path... files) throws Exception {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      List<String> options = new ArrayList<>(List.of("--module-path", modulePath, "-d", classes.toString()));
      options.addAll(extra);
      JavaCompiler.CompilationTask task = javac.getTask(null, fm, diagnostics, options, null,
          fm.getJavaFileObjects(files));
      task.setProcessors(List.of(new OrdoProcessor()));
      task.call();
    }
    return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .map(d -> d.getMessage(null)).collect(Collectors.toList());
  }

  @Test
  void aDeletedComponentLeavesTheGraph() throws Exception {
    fullBuild();
    Files.delete(src.resolve("com/acme/A.java"));
    Files.delete(classes.resolve("com/acme/A.class"));
    Files.delete(classes.resolve("com/acme/A_Lifecycle.class"));
    write("C", C.replace("Calls.LIST.add(\"C\")", "Calls.LIST.add(\"C2\")"));
    Result result = compile("C");
    assertTrue(result.success(), result.errors().toString());
    assertEquals(List.of("com.acme.B", "com.acme.C"), graphComponents());
  }
}
