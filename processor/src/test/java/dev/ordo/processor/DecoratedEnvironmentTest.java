package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import org.junit.jupiter.api.Test;

/**
 * Behind a build tool's decorated {@link ProcessingEnvironment} (Gradle's incremental processing
 * wraps javac's for every Gradle user), the processor still finds javac's source trees through the
 * wrapper, so what needs them is reported as under plain javac: a hook in an anonymous class, and
 * a repeated annotation on its own line.
 */
class DecoratedEnvironmentTest {

  /** Like Gradle's {@code IncrementalProcessingEnvironment}: every call goes to a private delegate. */
  static final class Decorated implements ProcessingEnvironment {
    private final ProcessingEnvironment delegate;

    Decorated(ProcessingEnvironment delegate) {
      this.delegate = delegate;
    }

    @Override public Map<String, String> getOptions() { return delegate.getOptions(); }
    @Override public Messager getMessager() { return delegate.getMessager(); }
    @Override public Filer getFiler() { return delegate.getFiler(); }
    @Override public Elements getElementUtils() { return delegate.getElementUtils(); }
    @Override public Types getTypeUtils() { return delegate.getTypeUtils(); }
    @Override public SourceVersion getSourceVersion() { return delegate.getSourceVersion(); }
    @Override public Locale getLocale() { return delegate.getLocale(); }
  }

  /** Runs {@code processor} with the decorated environment, as the build tool does. */
  static final class DecoratingProcessor extends AbstractProcessor {
    private final Processor processor;

    DecoratingProcessor(Processor processor) {
      this.processor = processor;
    }

    @Override public synchronized void init(ProcessingEnvironment env) {
      super.init(env);
      processor.init(new Decorated(env));
    }

    @Override public Set<String> getSupportedAnnotationTypes() { return processor.getSupportedAnnotationTypes(); }
    @Override public Set<String> getSupportedOptions() { return processor.getSupportedOptions(); }
    @Override public SourceVersion getSupportedSourceVersion() { return processor.getSupportedSourceVersion(); }

    @Override public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      return processor.process(annotations, round);
    }
  }

  private static Compilation compile(String... lines) {
    return javac().withProcessors(new DecoratingProcessor(new OrdoProcessor()))
        .compile(JavaFileObjects.forSourceLines("com.acme.App", lines));
  }

  @Test
  void aHookInAnAnonymousClassIsReportedBehindTheWrapper() {
    Compilation compilation = compile(
        "package com.acme;",
        "import dev.ordo.*;",
        "public class App {",
        "  @OnStartup void start() {}",
        "  Object make() {",
        "    return new Object() {",
        "      @OnStartup void begin() {}",
        "    };",
        "  }",
        "}");
    assertThat(compilation).hadErrorContaining("[Ordo/LocalComponent] Method begin() of an anonymous class in com.acme.App")
        .inFile(compilation.sourceFiles().get(0)).onLine(7);
  }

  @Test
  void aRepeatedAnnotationIsReportedOnItsOwnLineBehindTheWrapper() {
    Compilation compilation = compile(
        "package com.acme;",
        "import dev.ordo.*;",
        "@DependsOn(Other.class)",
        "@DependsOn(Other.class)",
        "public class App {",
        "  @OnStartup void start() {}",
        "}",
        "class Other {",
        "  @OnStartup void start() {}",
        "}");
    assertThat(compilation).hadErrorContaining("[Ordo/DuplicateDependency]")
        .inFile(compilation.sourceFiles().get(0)).onLine(4);
  }
}
