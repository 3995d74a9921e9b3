package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.ordo.processor.Sources.assertOnlyError;
import static dev.ordo.processor.Sources.compile;
import static dev.ordo.processor.Sources.component;
import static dev.ordo.processor.Sources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each compile-time error: its count, full text, file and line; and that nothing is generated. */
class ValidationTest {
  @Test
  void dependencyCycleIsReportedOnceWithItsFullPath() {
    JavaFileObject store = component("OrderStore",
        "@DependsOn(Cache.class)",
        "public class OrderStore { @OnStartup void start() {} }");
    JavaFileObject cache = component("Cache",
        "@DependsOn(Metrics.class)",
        "public class Cache {}");
    JavaFileObject metrics = component("Metrics",
        "@DependsOn(OrderStore.class)",
        "public class Metrics {}");
    assertOnlyError(compile(store, cache, metrics),
        "[Ordo/DependencyCycle] Found a dependency cycle; no startup order exists:\n"
            + "    com.acme.Cache depends on com.acme.Metrics\n"
            + "    com.acme.Metrics depends on com.acme.OrderStore\n"
            + "    com.acme.OrderStore depends on com.acme.Cache\n"
            + "  help: remove one of these @DependsOn edges, or make one optional = true\n"
            + "  docs: docs/errors.md#dependency-cycle",
        cache, "@DependsOn");
  }

  @Test
  void selfDependencyIsACycle() {
    JavaFileObject self = component("Self",
        "@DependsOn(Self.class)",
        "public class Self {}");
    assertOnlyError(compile(self),
        "[Ordo/DependencyCycle] Found a dependency cycle; no startup order exists:\n"
            + "    com.acme.Self depends on com.acme.Self\n"
            + "  help: remove one of these @DependsOn edges, or make one optional = true\n"
            + "  docs: docs/errors.md#dependency-cycle",
        self, "@DependsOn");
  }

  @Test
  void twoDisjointCyclesAreTwoErrors() {
    JavaFileObject a = component("A", "@DependsOn(B.class)", "public class A {}");
    JavaFileObject b = component("B", "@DependsOn(A.class)", "public class B {}");
    JavaFileObject c = component("C", "@DependsOn(D.class)", "public class C {}");
    JavaFileObject d = component("D", "@DependsOn(C.class)", "public class D {}");
    Compilation compilation = compile(a, b, c, d);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation).hadErrorContaining("com.acme.A depends on com.acme.B\n    com.acme.B depends on com.acme.A")
        .inFile(a).onLineContaining("@DependsOn");
    assertThat(compilation).hadErrorContaining("com.acme.C depends on com.acme.D\n    com.acme.D depends on com.acme.C")
        .inFile(c).onLineContaining("@DependsOn");
  }

  @Test
  void cycleAmongRepeatedDependsOnPointsAtTheEdge() {
    JavaFileObject a = component("A",
        "@DependsOn(value = Other.class, optional = true)",
        "@DependsOn(B.class)",
        "public class A {}");
    JavaFileObject b = component("B", "@DependsOn(A.class)", "public class B {}");
    JavaFileObject other = component("Other", "@Critical", "public class Other {}");
    Compilation compilation = compile(a, b, other);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[Ordo/DependencyCycle]").inFile(a).onLineContaining("@DependsOn(B.class)");
  }

  @Test
  void dependencyOnAClassThatIsNotAComponent() {
    JavaFileObject a = component("A",
        "@DependsOn(String.class)",
        "public class A {}");
    assertOnlyError(compile(a),
        "[Ordo/NotAComponent] com.acme.A depends on java.lang.String, which is not a component: it has"
            + " no Ordo annotation, so Ordo never starts it\n"
            + "  help: annotate java.lang.String (an @OnStartup method, or @Critical, for instance), or"
            + " remove this @DependsOn\n"
            + "  docs: docs/errors.md#not-a-component",
        a, "@DependsOn(String.class)");
  }

  @Test
  void duplicateDependency() {
    JavaFileObject a = component("A",
        "@DependsOn(B.class)",
        "@DependsOn(value = B.class, optional = true)",
        "public class A {}");
    JavaFileObject b = component("B", "@Critical", "public class B {}");
    Compilation compilation = compile(a, b);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[Ordo/DuplicateDependency] com.acme.A declares @DependsOn(com.acme.B.class) more than once")
        .inFile(a).onLineContaining("optional = true");
  }

  @Test
  void privateHook() {
    JavaFileObject a = component("A", "public class A {", "  @OnStartup private void start() {}", "}");
    assertOnlyError(compile(a),
        "[Ordo/PrivateHook] @OnStartup method com.acme.A.start() must not be private: the generated"
            + " controller calls it\n"
            + "  help: make it package-private, protected or public\n"
            + "  docs: docs/errors.md#private-hook",
        a, "private void start");
  }

  @Test
  void staticHook() {
    JavaFileObject a = component("A", "public class A {", "  @OnShutdown static void stop() {}", "}");
    assertOnlyError(compile(a),
        "[Ordo/StaticHook] @OnShutdown method com.acme.A.stop() must not be static: Ordo calls it on"
            + " each component instance\n"
            + "  help: remove static, or call the static method from an instance method\n"
            + "  docs: docs/errors.md#static-hook",
        a, "static void stop");
  }

  @Test
  void abstractHook() {
    JavaFileObject a = component("A", "public abstract class A {", "  @OnStartup abstract void start();", "}");
    assertOnlyError(compile(a),
        "[Ordo/AbstractHook] @OnStartup method com.acme.A.start() must not be abstract: Ordo calls"
            + " exactly this method\n"
            + "  help: give it a body, or put the annotation on the implementing method of a concrete class\n"
            + "  docs: docs/errors.md#abstract-hook",
        a, "abstract void start");
  }

  @Test
  void hooksOfEveryAccessButPrivateAreClean() {
    JavaFileObject a = component("A", "public class A {",
        "  @OnStartup void start() {}",
        "  @OnShutdown protected void stop() {}",
        "  @HealthCheck public boolean up() { return true; }",
        "}");
    assertThat(compile(a)).succeededWithoutWarnings();
  }

  @Test
  void anAbstractClassWithAConcreteHookIsClean() {
    JavaFileObject a = component("A", "public abstract class A {",
        "  @OnStartup void start() { open(); }",
        "  abstract void open();",
        "}");
    assertThat(compile(a)).succeededWithoutWarnings();
  }

  @Test
  void hookParameters() {
    JavaFileObject a = component("A", "public class A {", "  @OnStartup void start(String name) {}", "}");
    assertOnlyError(compile(a),
        "[Ordo/HookParameters] @OnStartup method com.acme.A.start(java.lang.String) takes"
            + " (java.lang.String); it may take no parameter, or one dev.ordo.runtime.LifecycleContext\n"
            + "  help: remove the parameters: what a hook needs belongs in the component's fields\n"
            + "  docs: docs/errors.md#hook-parameters",
        a, "void start(String name)");
  }

  @Test
  void contextAndAnythingElseIsTooMuch() {
    JavaFileObject a = component("A", "public class A {",
        "  @HealthCheck boolean ok(LifecycleContext context, int retries) { return true; }", "}");
    Compilation compilation = compile(a);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[Ordo/HookParameters]").inFile(a).onLineContaining("boolean ok(");
  }

  @Test
  void theContextParameterIsClean() {
    JavaFileObject a = component("A", "public class A {",
        "  @OnStartup void start(LifecycleContext context) {}",
        "  @HealthCheck boolean up(LifecycleContext context) { return true; }",
        "}");
    assertThat(compile(a)).succeededWithoutWarnings();
  }

  @Test
  void hookReturnType() {
    JavaFileObject a = component("A", "public class A {",
        "  @OnStartup Future<?> start() { return null; }", "}");
    assertOnlyError(compile(a),
        "[Ordo/HookReturnType] @OnStartup method com.acme.A.start() returns java.util.concurrent.Future<?>;"
            + " it must return void or a java.util.concurrent.CompletionStage\n"
            + "  help: return void when the work is done when the method returns, or a CompletionStage"
            + " that completes when the work is done\n"
            + "  docs: docs/errors.md#hook-return-type",
        a, "Future<?> start()");
  }

  @Test
  void anyCompletionStageIsAccepted() {
    JavaFileObject a = component("A", "public class A {",
        "  @OnStartup CompletionStage<String> start(LifecycleContext context) { return null; }",
        "  @SuppressWarnings(\"rawtypes\") @OnShutdown CompletableFuture stop() { return null; }",
        "}");
    assertThat(compile(a)).succeededWithoutWarnings();
  }

  @Test
  void healthCheckReturnType() {
    JavaFileObject a = component("A", "public class A {",
        "  @HealthCheck Boolean ok() { return true; }", "}");
    assertOnlyError(compile(a),
        "[Ordo/HealthCheckReturnType] @HealthCheck method com.acme.A.ok() returns java.lang.Boolean;"
            + " it must return boolean, dev.ordo.runtime.Health or void\n"
            + "  help: return boolean (false is DOWN), Health (a status with details), or void (a thrown"
            + " exception is DOWN)\n"
            + "  docs: docs/errors.md#health-check-return-type",
        a, "Boolean ok()");
  }

  @Test
  void everyHealthCheckReturnTypeIsClean() {
    JavaFileObject a = component("A", "public class A {",
        "  @HealthCheck boolean a() { return true; }",
        "  @HealthCheck Health b() { return Health.up(); }",
        "  @HealthCheck void c() {}",
        "}");
    assertThat(compile(a)).succeededWithoutWarnings();
  }

  @Test
  void hookMayNotThrowThrowable() {
    JavaFileObject a = component("A", "public class A {",
        "  @OnStartup void start() throws Throwable {}", "}");
    Compilation compilation = compile(a);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[Ordo/HookThrows] @OnStartup method com.acme.A.start() declares throws java.lang.Throwable")
        .inFile(a).onLineContaining("throws Throwable");
  }

  @Test
  void hooksMayThrowExceptionsAndErrors() {
    JavaFileObject a = component("A", "public class A {",
        "  @OnStartup void start() throws Exception {}",
        "  @OnShutdown void stop() throws java.io.IOException, AssertionError {}",
        "}");
    assertThat(compile(a)).succeededWithoutWarnings();
  }

  @Test
  void twoStartupHooks() {
    JavaFileObject a = component("A", "public class A {",
        "  @OnStartup void first() {}",
        "  @OnStartup void second() {}",
        "}");
    assertOnlyError(compile(a),
        "[Ordo/DuplicateHook] com.acme.A has more than one @OnStartup method: first(), second()\n"
            + "  help: keep one @OnStartup method, and call the others from it\n"
            + "  docs: docs/errors.md#duplicate-hook",
        a, "void second()");
  }

  @Test
  void twoShutdownHooks() {
    JavaFileObject a = component("A", "public class A {",
        "  @OnShutdown void flush() {}",
        "  @OnShutdown void close() {}",
        "}");
    Compilation compilation = compile(a);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[Ordo/DuplicateHook] com.acme.A has more than one @OnShutdown method: flush(), close()")
        .inFile(a).onLineContaining("void close()");
  }

  @Test
  void oneStartupAndOneShutdownHookAreClean() {
    JavaFileObject a = component("A", "public class A {",
        "  @OnStartup void start() {}",
        "  @OnShutdown void stop() {}",
        "  @HealthCheck boolean db() { return true; }",
        "  @HealthCheck(name = \"disk\") boolean database() { return true; }",
        "}");
    assertThat(compile(a)).succeededWithoutWarnings();
  }

  @Test
  void twoHealthChecksWithOneName() {
    JavaFileObject a = component("A", "public class A {",
        "  @HealthCheck boolean db() { return true; }",
        "  @HealthCheck(name = \"db\") boolean database() { return true; }",
        "}");
    Compilation compilation = compile(a);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[Ordo/DuplicateHealthCheck] com.acme.A has two health checks named \"db\": db() and database()")
        .inFile(a).onLineContaining("database()");
  }

  @Test
  void badDurationIsReportedOnTheValue() {
    JavaFileObject a = component("A", "public class A {",
        "  @OnStartup(",
        "      timeout = \"10 sec\")",
        "  void start() {}",
        "}");
    assertOnlyError(compile(a),
        "[Ordo/InvalidDuration] @OnStartup(timeout = \"10 sec\") on com.acme.A.start() is not a positive duration\n"
            + "  help: write a whole number above zero followed by ms, s, m or h, such as \"500ms\", \"10s\","
            + " \"2m\" or \"1h\"; leave it empty for the application's default\n"
            + "  docs: docs/errors.md#invalid-duration",
        a, "timeout = \"10 sec\"");
  }

  @Test
  void zeroAndNegativeDurationsAreRefused() {
    JavaFileObject a = component("A", "public class A {",
        "  @HealthCheck(timeout = \"0s\", interval = \"-5s\") void check() {}", "}");
    Compilation compilation = compile(a);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation).hadErrorContaining("@HealthCheck(timeout = \"0s\")");
    assertThat(compilation).hadErrorContaining("@HealthCheck(interval = \"-5s\")");
  }

  @Test
  void everyDurationFormIsClean() {
    JavaFileObject a = component("A", "public class A {",
        "  @OnStartup(timeout = \"500ms\") void start() {}",
        "  @OnShutdown(timeout = \"\") void stop() {}",
        "  @HealthCheck(timeout = \"2m\", interval = \"1h\") boolean up() { return true; }",
        "  @HealthCheck(name = \"other\", timeout = \"10s\") void other() {}",
        "}");
    assertThat(compile(a)).succeededWithoutWarnings();
  }

  @Test
  void privateNestedComponent() {
    JavaFileObject a = component("Outer", "public class Outer {",
        "  private static class Inner { @OnStartup void start() {} }", "}");
    assertOnlyError(compile(a),
        "[Ordo/PrivateComponent] Component com.acme.Outer.Inner is not reachable from its package"
            + " because com.acme.Outer.Inner is private; its generated controller Outer_Inner_Lifecycle"
            + " must call it from that package\n"
            + "  help: make com.acme.Outer.Inner package-private, protected or public\n"
            + "  docs: docs/errors.md#private-component",
        a, "private static class Inner");
  }

  @Test
  void innerClassComponent() {
    JavaFileObject a = component("Outer", "public class Outer {",
        "  class Inner { @OnStartup void start() {} }", "}");
    assertOnlyError(compile(a),
        "[Ordo/InnerComponent] Component com.acme.Outer.Inner is an inner class; it must be static,"
            + " because its generated controller is given instances without their enclosing com.acme.Outer\n"
            + "  help: add static to the declaration of com.acme.Outer.Inner\n"
            + "  docs: docs/errors.md#inner-component",
        a, "class Inner");
  }

  @Test
  void staticNestedComponentsAreClean() {
    JavaFileObject a = component("Outer", "public class Outer {",
        "  static class Inner { @OnStartup void start() {} }",
        "  protected static class Other { @OnStartup void start() {} }",
        "}");
    assertThat(compile(a)).succeededWithoutWarnings();
  }

  @Test
  void aDependencyOnAComponentIsClean() {
    JavaFileObject a = component("A", "@DependsOn(B.class)", "public class A { @OnStartup void start() {} }");
    JavaFileObject b = component("B", "public class B { @OnShutdown void stop() {} }");
    assertThat(compile(a, b)).succeededWithoutWarnings();
  }

  @Test
  void nothingIsGeneratedForAValidComponentWhenAnotherHasAnError(@TempDir Path out) throws IOException {
    JavaFileObject good = component("Good", "public class Good { @OnStartup void start() {} }");
    JavaFileObject bad = component("Bad", "public class Bad { @OnStartup private void start() {} }");
    Path sources = Files.createDirectories(out.resolve("generated-sources"));
    Path classes = Files.createDirectories(out.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
      JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics,
          List.of("-d", classes.toString(), "-s", sources.toString(),
              "-classpath", System.getProperty("java.class.path")),
          null, List.of(good, bad));
      task.setProcessors(List.of(new OrdoProcessor()));
      assertFalse(task.call());
    }
    assertEquals(1, diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).count(),
        diagnostics.getDiagnostics().toString());
    try (Stream<Path> generated = Files.walk(out)) {
      assertEquals(List.of(), generated.filter(Files::isRegularFile).toList());
    }
  }

  @Test
  void genericComponentUsesWildcards() {
    JavaFileObject a = component("Box", "public class Box<T extends Number> {",
        "  @OnStartup void start() {}", "}");
    Compilation compilation = compile(a);
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation).generatedSourceFile("com.acme.Box_Lifecycle")
        .contentsAsUtf8String().contains("extends LifecycleController<Box<?>>");
  }

  @Test
  void packagePrivateDependencyInAnotherPackageIsNotImported() {
    JavaFileObject hidden = source("com.other.Hidden",
        "package com.other;",
        "@dev.ordo.Critical",
        "class Hidden { @dev.ordo.OnStartup void start() {} }");
    JavaFileObject shown = source("com.other.Shown",
        "package com.other;",
        "@dev.ordo.Critical",
        "public class Shown { @dev.ordo.OnStartup void start() {} }");
    // Hidden cannot be named from com.acme at all; a class in its own package depends on it.
    JavaFileObject sibling = source("com.other.Sibling",
        "package com.other;",
        "@dev.ordo.DependsOn(Hidden.class)",
        "public class Sibling {}");
    JavaFileObject a = component("A", "@DependsOn(com.other.Shown.class)", "@DependsOn(com.other.Sibling.class)",
        "public class A {}");
    Compilation compilation = compile(hidden, shown, sibling, a);
    assertThat(compilation).succeededWithoutWarnings();
    // Named in the Javadoc only: by its qualified name, not imported (the Eclipse compiler would
    // warn about an import only Javadoc uses).
    assertThat(compilation).generatedSourceFile("com.acme.A_Lifecycle")
        .contentsAsUtf8String().contains("{@link com.other.Shown}");
    assertThat(compilation).generatedSourceFile("com.acme.A_Lifecycle")
        .contentsAsUtf8String().doesNotContain("import com.other.");
  }
  @Test
  void interfaceIsNotAComponent() {
    JavaFileObject service = component("Service",
        "@Critical",
        "public interface Service {",
        "  @OnStartup default void start() {}",
        "}");
    assertOnlyError(compile(service),
        "[Ordo/ComponentKind] com.acme.Service is an interface, which cannot be a component: the runtime"
            + " finds the controller of an instance by its class and superclasses, never by the interfaces it"
            + " implements\n"
            + "  help: move the Ordo annotations to the classes that implement com.acme.Service\n"
            + "  docs: docs/errors.md#component-kind",
        service, "public interface Service");
  }

  @Test
  void interfaceWithAnAbstractHookReportsOnlyItsKind() {
    JavaFileObject service = component("Service",
        "public interface Service {",
        "  @OnStartup void start();",
        "}");
    Compilation compilation = compile(service);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[Ordo/ComponentKind] com.acme.Service is an interface")
        .inFile(service).onLineContaining("public interface Service");
    assertThat(compilation).hadWarningCount(0);
  }

  @Test
  void annotationTypeIsNotAComponent() {
    JavaFileObject stereotype = component("Stereotype",
        "@Critical",
        "@DependsOn(Store.class)",
        "public @interface Stereotype {}");
    JavaFileObject store = component("Store", "public class Store { @OnStartup void start() {} }");
    assertOnlyError(compile(stereotype, store),
        "[Ordo/ComponentKind] com.acme.Stereotype is an annotation type, which cannot be a component:"
            + " Ordo's annotations do not carry over to the classes it annotates\n"
            + "  help: put the Ordo annotations on the component classes themselves\n"
            + "  docs: docs/errors.md#component-kind",
        stereotype, "public @interface Stereotype");
  }

  @Test
  void nestedAndTopLevelClassWithTheSameGeneratedName() {
    JavaFileObject outer = source("p.Outer",
        "package p;",
        "import dev.ordo.*;",
        "public class Outer {",
        "  @PublishesEvents(operations = \"load\")",
        "  public static class Inner { @OnStartup void start() {} }",
        "}");
    JavaFileObject flat = source("p.Outer_Inner",
        "package p;",
        "import dev.ordo.*;",
        "@PublishesEvents(operations = \"load\")",
        "public class Outer_Inner { @OnStartup void start() {} }");
    assertOnlyError(compile(outer, flat),
        "[Ordo/GeneratedNameClash] Components p.Outer.Inner and p.Outer_Inner would both get the generated"
            + " class p.Outer_Inner_Lifecycle, because generated names join the names of nested classes with _\n"
            + "  help: rename p.Outer_Inner, such as to OuterInner\n"
            + "  docs: docs/errors.md#generated-name-clash",
        flat, "public class Outer_Inner");
    // in the other order, and when the underscore is in the enclosing class
    JavaFileObject nestedInFlat = source("p.A_B",
        "package p;",
        "import dev.ordo.*;",
        "public class A_B {",
        "  public static class C { @OnStartup void start() {} }",
        "}");
    JavaFileObject flatInNested = source("p.A",
        "package p;",
        "import dev.ordo.*;",
        "public class A {",
        "  public static class B_C { @OnStartup void start() {} }",
        "}");
    Compilation compilation = compile(flatInNested, nestedInFlat);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining(
            "[Ordo/GeneratedNameClash] Components p.A.B_C and p.A_B.C would both get the generated class"
                + " p.A_B_C_Lifecycle, because generated names join the names of nested classes with _\n"
                + "  help: rename p.A_B, such as to AB\n")
        .inFile(nestedInFlat).onLineContaining("public static class C");
  }

  @Test
  void generatedNameClashAcrossRounds() {
    // p.Outer_Inner is generated by another processor, in the second round
    JavaFileObject outer = source("p.Outer",
        "package p;",
        "import dev.ordo.*;",
        "public class Outer {",
        "  public static class Inner { @OnStartup void start() {} }",
        "}");
    Compilation compilation = com.google.testing.compile.Compiler.javac()
        .withProcessors(new OrdoProcessor(), new GeneratesFlatClass())
        .withOptions("-Xlint:all,-processing")
        .compile(outer);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining(
        "[Ordo/GeneratedNameClash] Components p.Outer.Inner and p.Outer_Inner would both get the generated class"
            + " p.Outer_Inner_Lifecycle");
  }

  /** Writes {@code p.Outer_Inner}, a component, in the first round. */
  @javax.annotation.processing.SupportedAnnotationTypes("*")
  private static final class GeneratesFlatClass extends javax.annotation.processing.AbstractProcessor {
    private boolean done;

    @Override
    public javax.lang.model.SourceVersion getSupportedSourceVersion() {
      return javax.lang.model.SourceVersion.latestSupported();
    }

    @Override
    public boolean process(java.util.Set<? extends javax.lang.model.element.TypeElement> annotations,
        javax.annotation.processing.RoundEnvironment round) {
      if (!done) {
        done = true;
        try (java.io.Writer w = processingEnv.getFiler().createSourceFile("p.Outer_Inner").openWriter()) {
          w.write("package p; public class Outer_Inner { @dev.ordo.OnStartup void start() {} }");
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      return false;
    }
  }
}
