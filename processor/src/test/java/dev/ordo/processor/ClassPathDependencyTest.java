package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.ordo.processor.Sources.source;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dependency compiled earlier, into another jar, is read from its class file: its
 * CLASS-retained annotations say whether it is a component.
 */
class ClassPathDependencyTest {
  @TempDir static Path library;

  @BeforeAll
  static void compileLibrary() throws IOException {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, null)) {
      JavaCompiler.CompilationTask task = compiler.getTask(null, files, null,
          List.of("-d", library.toString(), "-proc:none", "-classpath", System.getProperty("java.class.path")),
          null,
          List.of(
              source("com.lib.Pool", "package com.lib;", "public class Pool { @dev.ordo.OnStartup public void open() {} }"),
              source("com.lib.Keyed", "package com.lib;", "@dev.ordo.Critical public class Keyed {}"),
              source("com.lib.Plain", "package com.lib;", "public class Plain {}")));
      assertTrue(task.call());
    }
  }

  private static Compilation compileAgainstLibrary(JavaFileObject source) {
    List<File> classPath = new ArrayList<>();
    classPath.add(library.toFile());
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      classPath.add(new File(entry));
    }
    return javac().withProcessors(new OrdoProcessor()).withClasspath(classPath).compile(source);
  }

  @Test
  void componentsOfAnotherJarAreRecognized() {
    Compilation compilation = compileAgainstLibrary(source("com.acme.App",
        "package com.acme;",
        "@dev.ordo.DependsOn(com.lib.Pool.class)",
        "@dev.ordo.DependsOn(value = com.lib.Keyed.class, optional = true)",
        "public class App {}"));
    assertThat(compilation).succeeded();
    assertThat(compilation).generatedSourceFile("com.acme.App_Lifecycle").contentsAsUtf8String()
        .contains(".dependsOn(\"com.lib.Pool\")\n      .dependsOnOptionally(\"com.lib.Keyed\")");
  }

  @Test
  void aPlainClassOfAnotherJarIsNotAComponent() {
    JavaFileObject app = source("com.acme.App",
        "package com.acme;",
        "@dev.ordo.DependsOn(com.lib.Plain.class)",
        "public class App {}");
    Compilation compilation = compileAgainstLibrary(app);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[Ordo/NotAComponent] com.acme.App depends on com.lib.Plain")
        .inFile(app).onLineContaining("@dev.ordo.DependsOn");
  }
}
