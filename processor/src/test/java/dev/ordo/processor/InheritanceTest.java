package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
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
 * Hooks and edges a component inherits are never dropped silently: declared again in the
 * component, they run once; left undeclared, they are a compile error on the component that says
 * what to write, for a superclass of the same compilation and for one of another jar.
 */
class InheritanceTest {
  @TempDir
  Path dir;

  private static JavaFileObject source(String name, String... lines) {
    return JavaFileObjects.forSourceLines(name, lines);
  }

  @Test
  void aComponentThatInheritsAHookItDoesNotDeclareIsAnError() {
    Compilation compilation = Sources.compile(
        source("com.acme.Pool", "package com.acme;", "import dev.ordo.*;",
            "public class Pool {", "  @OnStartup void open() {}", "  @OnShutdown void close() {}", "}"),
        source("com.acme.MyPool", "package com.acme;", "import dev.ordo.*;",
            "@Critical public class MyPool extends Pool {", "  @HealthCheck boolean ping() { return true; }", "}"));
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining(
        "[Ordo/InheritedHook] com.acme.MyPool extends com.acme.Pool, whose @OnStartup method open()");
    assertThat(compilation).hadErrorContaining(
        "[Ordo/InheritedHook] com.acme.MyPool extends com.acme.Pool, whose @OnShutdown method close()");
    assertThat(compilation).hadErrorContaining("override close() there, annotate the override with @OnShutdown");
  }

  @Test
  void anOverrideThatDeclaresTheHookAgainCompiles() {
    Compilation compilation = Sources.compile(
        source("com.acme.Pool", "package com.acme;", "import dev.ordo.*;",
            "public abstract class Pool {", "  @OnStartup void open() {}", "  @HealthCheck boolean alive() { return true; }", "}"),
        source("com.acme.MyPool", "package com.acme;", "import dev.ordo.*;",
            "public class MyPool extends Pool {",
            "  @OnStartup @Override void open() { super.open(); }",
            "  @HealthCheck @Override boolean alive() { return super.alive(); }",
            "  @HealthCheck boolean ping() { return true; }",
            "}"));
    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void anOverrideWithoutTheAnnotationIsAnError() {
    Compilation compilation = Sources.compile(
        source("com.acme.Pool", "package com.acme;", "import dev.ordo.*;",
            "public class Pool {", "  @OnStartup void open() {}", "}"),
        source("com.acme.MyPool", "package com.acme;", "import dev.ordo.*;",
            "public class MyPool extends Pool {",
            "  @Override void open() {}",
            "  @HealthCheck boolean ping() { return true; }",
            "}"));
    assertThat(compilation).hadErrorContaining("[Ordo/InheritedHook] com.acme.MyPool extends com.acme.Pool");
  }

  @Test
  void aSubclassThatDeclaresNothingIsNoComponentAndNeedsNothing() {
    Compilation compilation = Sources.compile(
        source("com.acme.Pool", "package com.acme;", "import dev.ordo.*;",
            "public class Pool {", "  @OnStartup void open() {}", "}"),
        source("com.acme.MyPool", "package com.acme;", "public class MyPool extends Pool {}"));
    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void anInheritedDependsOnMustBeDeclaredAgainOrTakenByTheConstructor() {
    JavaFileObject clock = source("com.acme.Clock", "package com.acme;", "import dev.ordo.*;",
        "public class Clock {", "  @OnStartup void start() {}", "}");
    JavaFileObject store = source("com.acme.Store", "package com.acme;", "import dev.ordo.*;",
        "@DependsOn(Clock.class) public class Store {", "  public Store() {}", "  public Store(Clock clock) {}", "}");
    Compilation missing = Sources.compile(clock, store,
        source("com.acme.Audited", "package com.acme;", "import dev.ordo.*;",
            "public class Audited extends Store {", "  @OnStartup void open() {}", "}"));
    assertThat(missing).hadErrorContaining(
        "[Ordo/InheritedDependsOn] com.acme.Audited extends com.acme.Store, whose @DependsOn(com.acme.Clock.class)");

    Compilation declared = Sources.compile(clock, store,
        source("com.acme.Audited", "package com.acme;", "import dev.ordo.*;",
            "@DependsOn(Clock.class) public class Audited extends Store {", "  @OnStartup void open() {}", "}"));
    assertThat(declared).succeededWithoutWarnings();

    Compilation taken = Sources.compile(clock, store,
        source("com.acme.Audited", "package com.acme;", "import dev.ordo.*;",
            "public class Audited extends Store {", "  public Audited(Clock clock) { super(clock); }",
            "  @OnStartup void open() {}", "}"));
    assertThat(taken).succeededWithoutWarnings();
  }

  @Test
  void aSuperclassFromAnotherJarIsCheckedFromItsClassFile() throws Exception {
    Path lib = dir.resolve("lib");
    Path app = dir.resolve("app");
    Files.createDirectories(lib);
    Files.createDirectories(app);
    List<String> libErrors = compile(lib, lib, "com/lib/Pool.java", String.join("\n",
        "package com.lib;", "import dev.ordo.*;",
        "public class Pool {", "  @OnStartup public void open() {}", "}"));
    assertEquals(List.of(), libErrors);
    List<String> appErrors = compile(app, lib, "com/acme/MyPool.java", String.join("\n",
        "package com.acme;", "import dev.ordo.*;",
        "@Critical public class MyPool extends com.lib.Pool {", "  @HealthCheck boolean ping() { return true; }", "}"));
    assertEquals(1, appErrors.size(), appErrors.toString());
    assertTrue(appErrors.get(0).startsWith(
        "[Ordo/InheritedHook] com.acme.MyPool extends com.lib.Pool, whose @OnStartup method open()"), appErrors.get(0));
    assertFalse(appErrors.get(0).contains("InternalError"));
  }

  /** Compiles one file from {@code root} into it, with {@code classPath} (and Ordo's jars) on the class path. */
  private static List<String> compile(Path root, Path classPath, String file, String text) throws Exception {
    Path path = root.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, text, StandardCharsets.UTF_8);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      String cp = classPath + File.pathSeparator + locationOf(dev.ordo.OnStartup.class) + File.pathSeparator
          + locationOf(dev.ordo.runtime.LifecycleController.class);
      JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics,
          List.of("-cp", cp, "-d", root.toString()), null, files.getJavaFileObjects(path.toFile()));
      task.setProcessors(List.of(new OrdoProcessor()));
      task.call();
    }
    return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .map(d -> d.getMessage(null)).collect(Collectors.toList());
  }

  private static String locationOf(Class<?> type) throws Exception {
    return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
