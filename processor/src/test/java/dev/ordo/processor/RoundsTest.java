package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.ordo.processor.Sources.source;

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
import org.junit.jupiter.api.Test;

/** Components that depend on classes another processor generates in a later round. */
class RoundsTest {
  /** Writes the component {@code com.acme.Pool} in the first round, as a code generator would. */
  static final class PoolGenerator extends AbstractProcessor {
    private boolean done;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      if (!done) {
        done = true;
        try (Writer writer = processingEnv.getFiler().createSourceFile("com.acme.Pool").openWriter()) {
          writer.write("package com.acme;\n@dev.ordo.Critical\npublic class Pool {}\n");
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
        .withProcessors(new OrdoProcessor(), new PoolGenerator())
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

  private static String registrySuffix() {
    return RegistryWriter.registryName(List.of(
        descriptor("App"), descriptor("Pool"))).simpleName().substring("OrdoRegistry_".length());
  }

  private static ComponentDescriptor descriptor(String name) {
    return new ComponentDescriptor(ComponentName.of("com.acme", name), 0, false, List.of(),
        Optional.empty(), Optional.empty(), List.of(), List.of());
  }
}
