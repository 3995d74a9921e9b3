package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.ordo.processor.Sources.assertOnlyError;
import static dev.ordo.processor.Sources.compile;
import static dev.ordo.processor.Sources.component;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Ordo annotations in local and anonymous classes, which javac does not show to processors. */
class LocalComponentTest {
  @Test
  void hookInAnAnonymousClass() {
    JavaFileObject a = component("A",
        "public class A {",
        "  @OnStartup void start() {}",
        "  Runnable task() {",
        "    return new Runnable() {",
        "      @Override public void run() {}",
        "      @OnShutdown void stop() {}",
        "    };",
        "  }",
        "}");
    assertOnlyError(compile(a),
        "[Ordo/LocalComponent] Method stop() of an anonymous class in com.acme.A has @OnShutdown, which"
            + " does nothing there: generated code cannot name a local or anonymous class, so Ordo never"
            + " runs it\n"
            + "  help: move the class out of the method body, to a top-level or static nested class\n"
            + "  docs: docs/errors.md#local-component",
        a, "void stop()");
  }

  @Test
  void annotatedLocalClass() {
    JavaFileObject a = component("A",
        "public class A {",
        "  @OnStartup void start() {",
        "    @Critical",
        "    class Local {",
        "      @HealthCheck boolean up() { return true; }",
        "    }",
        "  }",
        "}");
    Compilation compilation = compile(a);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation).hadErrorContaining("[Ordo/LocalComponent] The local class Local in com.acme.A has @Critical")
        .inFile(a).onLineContaining("@Critical");
    assertThat(compilation).hadErrorContaining("[Ordo/LocalComponent] Method up() of the local class Local in com.acme.A has @HealthCheck")
        .inFile(a).onLineContaining("boolean up()");
  }

  @Test
  void localClassWithoutOrdoAnnotationsIsClean() {
    JavaFileObject a = component("A",
        "public class A {",
        "  @OnStartup void start() {",
        "    class Local { @Override public String toString() { return \"local\"; } }",
        "    new Local().toString();",
        "  }",
        "}");
    assertThat(compile(a)).succeededWithoutWarnings();
  }
}
