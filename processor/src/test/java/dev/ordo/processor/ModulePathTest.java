package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Components compiled in a named module: the registry has a name that does not depend on the
 * components, and a module that does not provide it gets {@code [Ordo/ModuleProvides]}. Running
 * such a module is {@code ModulePathIT}'s part, in integration-tests.
 */
class ModulePathTest {
  private static final String STORE = String.join("\n",
      "package com.acme;",
      "",
      "import dev.ordo.OnStartup;",
      "",
      "public class Store {",
      "  @OnStartup void open() {}",
      "}");
  private static final String SERVICE_FILE = "META-INF/services/dev.ordo.runtime.internal.LifecycleRegistry";

  @TempDir
  Path dir;

  /** What javac reported, and where it wrote. */
  private record Result(boolean success, List<Diagnostic<? extends JavaFileObject>> diagnostics, Path classes) {
    List<String> warnings() {
      return diagnostics.stream()
          .filter(d -> d.getKind() == Diagnostic.Kind.WARNING || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING)
          .map(d -> d.getMessage(null))
          .toList();
    }

    String file(String path) throws IOException {
      return Files.readString(classes.resolve(path), StandardCharsets.UTF_8);
    }
  }

  /**
   * Compiles {@code sources} (path under the source folder to text) from files, as a build tool
   * does, with the annotations and the runtime as modules. (compile-testing's in-memory files do
   * not make a module.)
   */
  private Result compileAsModule(Map<String, String> sources, String... options)
      throws IOException, URISyntaxException {
    Path root = Files.createTempDirectory(dir, "compilation");
    Path src = root.resolve("src");
    Path classes = root.resolve("classes");
    List<Path> files = new ArrayList<>();
    for (Map.Entry<String, String> source : sources.entrySet()) {
      Path file = src.resolve(source.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.getValue(), StandardCharsets.UTF_8);
      files.add(file);
    }
    Files.createDirectories(classes);
    String modulePath = locationOf(dev.ordo.OnStartup.class) + File.pathSeparator
        + locationOf(dev.ordo.runtime.LifecycleController.class);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager fileManager = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      List<String> arguments = new ArrayList<>(
          List.of("-Xlint:all,-processing", "--module-path", modulePath, "-d", classes.toString()));
      arguments.addAll(List.of(options));
      JavaCompiler.CompilationTask task = javac.getTask(null, fileManager, diagnostics, arguments,
          null, fileManager.getJavaFileObjectsFromPaths(files));
      task.setProcessors(List.of(new OrdoProcessor()));
      return new Result(task.call(), diagnostics.getDiagnostics(), classes);
    }
  }

  private static String locationOf(Class<?> type) throws URISyntaxException {
    return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  @Test
  void moduleWithoutProvidesIsAnErrorWithTheLineToAdd() throws Exception {
    Result result = compileAsModule(Map.of(
        "module-info.java", "module com.acme {\n  requires dev.ordo.runtime;\n}\n",
        "com/acme/Store.java", STORE));
    assertFalse(result.success(), result.diagnostics().toString());
    List<Diagnostic<? extends JavaFileObject>> errors = result.diagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
    assertEquals(1, errors.size(), errors.toString());
    assertEquals(
        "[Ordo/ModuleProvides] Module com.acme does not provide its Ordo registry com.acme.OrdoRegistry;"
            + " on the module path the runtime finds a module's components only through provides, as"
            + " META-INF/services is ignored there\n"
            + "  help: add to the module declaration: provides dev.ordo.runtime.internal.LifecycleRegistry"
            + " with com.acme.OrdoRegistry;\n"
            + "  docs: docs/errors.md#module-provides",
        errors.get(0).getMessage(null));
    assertTrue(errors.get(0).getSource().getName().endsWith("module-info.java"), errors.get(0).getSource().getName());
    assertEquals(1, errors.get(0).getLineNumber(), "on the module declaration");
  }

  @Test
  void moduleThatProvidesItsRegistryCompilesCleanly() throws Exception {
    Result result = compileAsModule(Map.of(
        "module-info.java", String.join("\n",
            "module com.acme {",
            "  requires dev.ordo.runtime;",
            "  provides dev.ordo.runtime.internal.LifecycleRegistry with com.acme.OrdoRegistry;",
            "}"),
        "com/acme/Store.java", STORE));
    assertTrue(result.success(), result.diagnostics().toString());
    assertEquals(List.of(), result.warnings());
    assertTrue(Files.isRegularFile(result.classes().resolve("com/acme/OrdoRegistry.class")));
    assertEquals("com.acme.OrdoRegistry\n", result.file(SERVICE_FILE));
  }

  @Test
  void registryIsInThePackageNamedLikeTheModuleWhateverTheComponents() throws Exception {
    Result result = compileAsModule(Map.of(
        "module-info.java", String.join("\n",
            "module acme.app {",
            "  requires dev.ordo.runtime;",
            "  provides dev.ordo.runtime.internal.LifecycleRegistry with acme.app.OrdoRegistry;",
            "}"),
        "com/acme/Store.java", STORE,
        "org/other/Cache.java", String.join("\n",
            "package org.other;",
            "",
            "import dev.ordo.OnShutdown;",
            "",
            "public class Cache {",
            "  @OnShutdown void clear() {}",
            "}")));
    assertTrue(result.success(), result.diagnostics().toString());
    assertEquals(List.of(), result.warnings());
    assertTrue(Files.isRegularFile(result.classes().resolve("acme/app/OrdoRegistry.class")));
    assertEquals("acme.app.OrdoRegistry\n", result.file(SERVICE_FILE));
  }

  @Test
  void theErrorCannotBeSuppressed() throws Exception {
    Result result = compileAsModule(Map.of(
        "module-info.java", String.join("\n",
            "@SuppressWarnings(\"ordo:all\")",
            "module com.acme {",
            "  requires dev.ordo.runtime;",
            "}"),
        "com/acme/Store.java", STORE));
    assertFalse(result.success());
  }

  @Test
  void generatedCodeInANamedModuleNamesNoGeneratedAnnotation() throws Exception {
    // java.compiler, home of @Generated, is in the module graph but not read by com.acme: code
    // naming it would not compile. Reading the module's requires to find out is no option either
    // (see OrdoProcessor.leaveOutGeneratedInNamedModule): this compilation once failed that way.
    Result result = compileAsModule(Map.of(
        "module-info.java", String.join("\n",
            "module com.acme {",
            "  requires dev.ordo.runtime;",
            "  provides dev.ordo.runtime.internal.LifecycleRegistry with com.acme.OrdoRegistry;",
            "}"),
        "com/acme/Store.java", STORE), "--add-modules", "java.compiler");
    assertTrue(result.success(), result.diagnostics().toString());
    assertEquals(List.of(), result.warnings());
    assertFalse(result.file("com/acme/Store_Lifecycle.java").contains("@Generated"));
    assertFalse(result.file("com/acme/OrdoRegistry.java").contains("@Generated"));
  }

  @Test
  void classPathCompilationKeepsItsHashedRegistryAndIsNotWarned() {
    Compilation compilation = Sources.compile(Sources.source("com.acme.Store", STORE.split("\n")));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation).generatedFile(StandardLocation.CLASS_OUTPUT, SERVICE_FILE).contentsAsUtf8String()
        .matches("com\\.acme\\.OrdoRegistry_[0-9a-f]{8}\n");
  }
}
