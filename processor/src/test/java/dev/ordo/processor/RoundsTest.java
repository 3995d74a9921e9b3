package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.ordo.processor.Sources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.ordo.processor.model.ComponentDescriptor;
import dev.ordo.processor.model.ComponentName;
import dev.ordo.processor.writing.RegistryWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Components that depend on classes another processor generates in a later round. The generator
 * runs before Ordo: Ordo claims its annotations (so that -Xlint:all -Werror builds pass), and javac
 * then calls a processor that supports "*" only for the annotations left unclaimed, which here are
 * none; a generator triggered by annotations of its own runs in any order.
 */
class RoundsTest {
  /** Writes the component {@code com.acme.Pool} in the first round, as a code generator would. */
  static final class PoolGenerator extends AbstractProcessor {
    private final int inRound;
    private int round;

    PoolGenerator() {
      this(1);
    }

    /** Writes it in round {@code inRound} (1 is the first). */
    PoolGenerator(int inRound) {
      this.inRound = inRound;
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment env) {
      if (++round == inRound) {
        try (Writer writer = processingEnv.getFiler().createSourceFile("com.acme.Pool").openWriter()) {
          writer.write("package com.acme;\npublic class Pool { @dev.ordo.OnStartup void open() {} }\n");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      } else if (round < inRound) {
        // Keeps the rounds going, as a generator of several steps does.
        try (Writer writer = processingEnv.getFiler().createSourceFile("com.acme.Step" + round).openWriter()) {
          writer.write("package com.acme;\nclass Step" + round + " {}\n");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return false;
    }
  }

  @Test
  void componentWaitsForItsGeneratedDependency() {
    Compilation compilation = javac()
        .withProcessors(new PoolGenerator(), new OrdoProcessor())
        .compile(source("com.acme.App",
            "package com.acme;",
            "@dev.ordo.DependsOn(Pool.class)",
            "public class App { @dev.ordo.OnStartup void start() {} }"));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation).generatedSourceFile("com.acme.App_Lifecycle");
    assertThat(compilation).generatedSourceFile("com.acme.Pool_Lifecycle");
    assertThat(compilation).generatedSourceFile("com.acme.OrdoRegistry_" + registrySuffix())
        .contentsAsUtf8String().contains("case \"com.acme.Pool\":");
  }

  @Test
  void componentWaitsSeveralRoundsForItsDependency() {
    Compilation compilation = javac()
        .withProcessors(new PoolGenerator(3), new OrdoProcessor())
        .compile(source("com.acme.App",
            "package com.acme;",
            "@dev.ordo.DependsOn(Pool.class)",
            "public class App { @dev.ordo.OnStartup void start() {} }"));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation).generatedSourceFile("com.acme.App_Lifecycle");
    assertThat(compilation).generatedSourceFile("com.acme.Pool_Lifecycle");
  }

  @Test
  void aTypeThatNeverComesIsReportedOnceInTheLastRound() {
    JavaFileObject app = source("com.acme.App",
        "package com.acme;",
        "@dev.ordo.DependsOn(Pool.class)",
        "@dev.ordo.DependsOn(Missing.class)",
        "public class App { @dev.ordo.OnStartup void start() {} }");
    // Pool comes in round 3; Missing never does. Nothing is reported while App waits.
    Compilation compilation = javac()
        .withProcessors(new PoolGenerator(3), new OrdoProcessor())
        .compile(app);
    assertThat(compilation).failed();
    List<String> ordo = compilation.errors().stream().map(d -> d.getMessage(null))
        .filter(m -> m.startsWith("[Ordo/")).toList();
    assertEquals(List.of("[Ordo/UnresolvedType] com.acme.App was not processed because Missing could not"
        + " be resolved in any round\n"
        + "  help: fix the errors javac reports about Missing; if another annotation processor generates"
        + " it, make sure that processor runs and succeeds\n"
        + "  docs: docs/errors.md#unresolved-type"), ordo);
    assertThat(compilation).hadErrorContaining("[Ordo/UnresolvedType]").inFile(app).onLineContaining("public class App");
    assertThat(compilation).hadErrorContaining("cannot find symbol"); // javac's own, about Missing
  }

  @Test
  void aComponentOfALaterRoundGetsARegistryOfItsOwnAndTheServicesFileNamesBoth() throws IOException {
    // App is found in round 1 and Pool, which App does not need, in round 3.
    Compilation compilation = javac()
        .withProcessors(new PoolGenerator(2), new OrdoProcessor())
        .compile(source("com.acme.App",
            "package com.acme;",
            "public class App { @dev.ordo.OnStartup void start() {} }"));
    assertThat(compilation).succeededWithoutWarnings();
    String app = "com.acme.OrdoRegistry_" + suffix(descriptor("App"));
    String pool = "com.acme.OrdoRegistry_" + suffix(descriptor("Pool"));
    assertThat(compilation).generatedSourceFile(app).contentsAsUtf8String().contains("case \"com.acme.App\":");
    assertThat(compilation).generatedSourceFile(pool).contentsAsUtf8String().contains("case \"com.acme.Pool\":");
    try (java.io.InputStream in = compilation.generatedFile(javax.tools.StandardLocation.CLASS_OUTPUT,
        "META-INF/services/dev.ordo.runtime.internal.LifecycleRegistry").orElseThrow().openInputStream()) {
      assertEquals(app + "\n" + pool + "\n", new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    try (java.io.InputStream in = compilation.generatedFile(javax.tools.StandardLocation.CLASS_OUTPUT,
        "META-INF/ordo/graph.json").orElseThrow().openInputStream()) {
      String graph = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(graph.contains("\"com.acme.App\"") && graph.contains("\"com.acme.Pool\""), graph);
    }
  }

  private static String suffix(ComponentDescriptor... components) {
    return RegistryWriter.registryName(List.of(components)).simpleName().substring("OrdoRegistry_".length());
  }

  private static String registrySuffix() {
    return RegistryWriter.registryName(List.of(
        descriptor("App"), descriptor("Pool"))).simpleName().substring("OrdoRegistry_".length());
  }

  private static ComponentDescriptor descriptor(String name) {
    return new ComponentDescriptor(ComponentName.of("com.acme", name), 0, false, List.of(),
        Optional.empty(), Optional.empty(), List.of(), List.of());
  }
}
