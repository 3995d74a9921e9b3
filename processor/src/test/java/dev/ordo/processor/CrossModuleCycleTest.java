package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.ordo.processor.Sources.source;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The graph spans jars: a library of components is compiled (with the processor) into a jar, and
 * an application compiled against that jar closes a cycle through it.
 */
class CrossModuleCycleTest {
  @TempDir static Path work;
  private static Path libraryJar;

  /**
   * {@code com.lib.Cache -> com.lib.Store -> com.app.Settings}, where the library is compiled
   * against the application's published version of {@code Settings} (a separate jar in a real
   * build); the jar holds {@code com.lib} only.
   */
  @BeforeAll
  static void compileLibraryIntoAJar() throws IOException {
    Path classes = Files.createDirectories(work.resolve("library-classes"));
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, null)) {
      JavaCompiler.CompilationTask task = compiler.getTask(null, files, null,
          List.of("-d", classes.toString(), "-classpath", System.getProperty("java.class.path")),
          null,
          List.of(
              source("com.lib.Cache", "package com.lib;",
                  "@dev.ordo.DependsOn(Store.class)",
                  "public class Cache { @dev.ordo.OnStartup public void warm() {} }"),
              source("com.lib.Store", "package com.lib;",
                  "@dev.ordo.DependsOn(com.app.Settings.class)",
                  "public class Store { @dev.ordo.OnStartup public void open() {} }"),
              source("com.app.Settings", "package com.app;",
                  "public class Settings { @dev.ordo.OnStartup public void load() {} }")));
      task.setProcessors(List.of(new OrdoProcessor()));
      assertTrue(task.call());
    }
    libraryJar = work.resolve("library.jar");
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(libraryJar));
        Stream<Path> walk = Files.walk(classes.resolve("com/lib"))) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        jar.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
        Files.copy(file, jar);
        jar.closeEntry();
      }
    }
  }

  private static Compilation compileAgainstLibrary(JavaFileObject... sources) {
    List<File> classPath = new ArrayList<>();
    classPath.add(libraryJar.toFile());
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      classPath.add(new File(entry));
    }
    return javac().withProcessors(new OrdoProcessor()).withClasspath(classPath).compile(sources);
  }

  @Test
  void aCycleClosedThroughAnotherJarIsFound() {
    JavaFileObject settings = source("com.app.Settings",
        "package com.app;",
        "@dev.ordo.DependsOn(com.lib.Cache.class)",
        "public class Settings { @dev.ordo.OnStartup public void load() {} }");
    Compilation compilation = compileAgainstLibrary(settings);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining(
            "[Ordo/DependencyCycle] Found a dependency cycle; no startup order exists:\n"
                + "    com.app.Settings depends on com.lib.Cache\n"
                + "    com.lib.Cache depends on com.lib.Store\n"
                + "    com.lib.Store depends on com.app.Settings\n"
                + "  help: remove one of these @DependsOn edges, or make one optional = true\n"
                + "  docs: docs/errors.md#dependency-cycle")
        .inFile(settings).onLineContaining("@dev.ordo.DependsOn(com.lib.Cache.class)");
  }

  @Test
  void dependingOnTheLibraryWithoutClosingACycleIsClean() {
    JavaFileObject settings = source("com.app.Settings",
        "package com.app;",
        "public class Settings { @dev.ordo.OnStartup public void load() {} }");
    JavaFileObject app = source("com.app.App",
        "package com.app;",
        "@dev.ordo.DependsOn(com.lib.Cache.class)",
        "public class App { @dev.ordo.OnStartup public void start() {} }");
    assertThat(compileAgainstLibrary(settings, app)).succeededWithoutWarnings();
  }

  @Test
  void anOptionalEdgeAcrossJarsMakesTheCycleAWarning() {
    JavaFileObject settings = source("com.app.Settings",
        "package com.app;",
        "@dev.ordo.DependsOn(value = com.lib.Cache.class, optional = true)",
        "public class Settings { @dev.ordo.OnStartup public void load() {} }");
    Compilation compilation = compileAgainstLibrary(settings);
    assertThat(compilation).succeeded();
    assertThat(compilation).hadWarningCount(1);
    assertThat(compilation).hadWarningContaining("[Ordo/SoftCycle]").inFile(settings).onLineContaining("optional = true");
  }

  @Test
  void aCriticalComponentOnANonCriticalOneOfAnotherJar() {
    JavaFileObject settings = source("com.app.Settings",
        "package com.app;",
        "public class Settings { @dev.ordo.OnStartup public void load() {} }");
    JavaFileObject app = source("com.app.App",
        "package com.app;",
        "@dev.ordo.Critical",
        "@dev.ordo.DependsOn(com.lib.Cache.class)",
        "public class App { @dev.ordo.OnStartup public void start() {} }");
    Compilation compilation = compileAgainstLibrary(settings, app);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[Ordo/CriticalDependsOnOptional] com.app.App is @Critical but has a hard"
        + " edge to com.lib.Cache").inFile(app).onLineContaining("@dev.ordo.DependsOn");
  }
}
