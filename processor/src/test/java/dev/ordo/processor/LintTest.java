package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.ordo.processor.Sources.assertOnlyWarning;
import static dev.ordo.processor.Sources.compile;
import static dev.ordo.processor.Sources.component;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Warnings: each reported on its line with its full text, compiled code is still generated, and
 * each is turned off by {@code @SuppressWarnings("ordo:<name>")} or {@code "ordo:all"}.
 */
class LintTest {
  private static final JavaFileObject STORE =
      component("Store", "public class Store { @OnStartup void start() {} }");

  @Test
  void constructorTakesAComponentWithoutDependsOn() {
    // Several constructors and no @Inject: no edge can be inferred, so the lint asks for @DependsOn.
    JavaFileObject api = component("Api",
        "public class Api {",
        "  public Api(Store store, String name) {}",
        "  public Api(Store store) {}",
        "  @OnStartup void start() {}",
        "}");
    Compilation compilation = compile(api, STORE);
    assertOnlyWarning(compilation,
        "[Ordo/UndeclaredDependency] com.acme.Api takes the component com.acme.Store in a constructor"
            + " but does not declare @DependsOn(com.acme.Store.class); with several constructors and none"
            + " marked @Inject, Ordo cannot infer the edge, so it may start com.acme.Api first\n"
            + "  help: add @DependsOn(com.acme.Store.class) to com.acme.Api (optional = true if it may"
            + " start without it), or add @SuppressWarnings(\"ordo:undeclared-dependency\")\n"
            + "  docs: docs/errors.md#undeclared-dependency",
        api, "public Api(Store store, String name)");
    assertThat(compilation).generatedSourceFile("com.acme.Api_Lifecycle");
  }

  @Test
  void theOnlyConstructorsComponentParametersAreInferredEdges() throws Exception {
    JavaFileObject api = component("Api",
        "public class Api {",
        "  public Api(Store store, java.util.Optional<Cache> cache, String name) {}",
        "  @OnStartup void start() {}",
        "}");
    JavaFileObject cache = component("Cache", "public class Cache {", "  @OnStartup void warm() {}", "}");
    Compilation compilation = compile(api, STORE, cache);
    assertThat(compilation).succeededWithoutWarnings();
    String controller = compilation.generatedSourceFile("com.acme.Api_Lifecycle").orElseThrow()
        .getCharContent(true).toString();
    org.junit.jupiter.api.Assertions.assertTrue(controller.contains(".dependsOn(\"com.acme.Store\")"), controller);
    org.junit.jupiter.api.Assertions.assertTrue(controller.contains(".dependsOnOptionally(\"com.acme.Cache\")"), controller);
  }

  @Test
  void constructorParameterWithDependsOnIsClean() {
    JavaFileObject hard = component("Api",
        "@DependsOn(Store.class)",
        "public class Api {",
        "  public Api(Store store) {}",
        "  public Api() { this(null); }",
        "  @OnStartup void start() {}",
        "}");
    assertThat(compile(hard, STORE)).succeededWithoutWarnings();
    JavaFileObject soft = component("Api",
        "@DependsOn(value = Store.class, optional = true)",
        "public class Api {",
        "  public Api(Store store) {}",
        "  public Api() { this(null); }",
        "  @OnStartup void start() {}",
        "}");
    assertThat(compile(soft, STORE)).succeededWithoutWarnings();
  }

  @Test
  void undeclaredDependencyIsSuppressible() {
    JavaFileObject onClass = component("Api",
        "@SuppressWarnings(\"ordo:undeclared-dependency\")",
        "public class Api {",
        "  public Api(Store store) {}",
        "  public Api() { this(null); }",
        "  @OnStartup void start() {}",
        "}");
    assertThat(compile(onClass, STORE)).succeededWithoutWarnings();
    JavaFileObject onConstructor = component("Api",
        "public class Api {",
        "  @SuppressWarnings(\"ordo:all\") public Api(Store store) {}",
        "  public Api() { this(null); }",
        "  @OnStartup void start() {}",
        "}");
    assertThat(compile(onConstructor, STORE)).succeededWithoutWarnings();
  }

  @Test
  void otherSuppressionsDoNotSilenceIt() {
    JavaFileObject api = component("Api",
        "@SuppressWarnings({\"unchecked\", \"ordo:no-events\"})",
        "public class Api {",
        "  public Api(Store store) {}",
        "  public Api() { this(null); }",
        "  @OnStartup void start() {}",
        "}");
    Compilation compilation = compile(api, STORE);
    assertThat(compilation).hadWarningCount(1);
    assertThat(compilation).hadWarningContaining("[Ordo/UndeclaredDependency]");
  }

  @Test
  void criticalWithoutHooks() {
    JavaFileObject a = component("A", "@Critical", "public class A {}");
    assertOnlyWarning(compile(a),
        "[Ordo/CriticalWithoutHooks] com.acme.A is @Critical but has no @OnStartup, @OnShutdown or"
            + " @HealthCheck method that could fail\n"
            + "  help: remove @Critical, or add the hook it was meant to guard; to keep it only so that"
            + " its hard dependencies failing fails startup, add"
            + " @SuppressWarnings(\"ordo:critical-without-hooks\")\n"
            + "  docs: docs/errors.md#critical-without-hooks",
        a, "@Critical");
  }

  @Test
  void criticalWithAHookOrAHealthCheckIsClean() {
    assertThat(compile(component("A", "@Critical", "public class A { @OnShutdown void stop() {} }")))
        .succeededWithoutWarnings();
    assertThat(compile(component("A", "@Critical", "public class A { @HealthCheck boolean up() { return true; } }")))
        .succeededWithoutWarnings();
    assertThat(compile(component("A", "@Critical", "@SuppressWarnings(\"ordo:critical-without-hooks\")",
        "public class A {}"))).succeededWithoutWarnings();
  }

  @Test
  void publishesEventsWithoutOperations() {
    JavaFileObject a = component("A",
        "@PublishesEvents",
        "public class A { @OnStartup void start() {} }");
    assertOnlyWarning(compile(a),
        "[Ordo/NoEvents] com.acme.A is @PublishesEvents but declares no operations and no payloads,"
            + " so it publishes no events\n"
            + "  help: list what it publishes, as in @PublishesEvents(operations = {\"checkout\"}) or"
            + " @PublishesEvents(payloads = OrderPlaced.class), or remove @PublishesEvents; to keep it,"
            + " add @SuppressWarnings(\"ordo:no-events\")\n"
            + "  docs: docs/errors.md#no-events",
        a, "@PublishesEvents");
  }

  @Test
  void emptyOperationsAreReportedOnTheValue() {
    JavaFileObject a = component("A",
        "@PublishesEvents(",
        "    operations = {})",
        "public class A { @OnStartup void start() {} }");
    Compilation compilation = compile(a);
    assertThat(compilation).hadWarningCount(1);
    assertThat(compilation).hadWarningContaining("[Ordo/NoEvents]").inFile(a).onLineContaining("operations = {}");
  }

  @Test
  void publishesEventsWithOperationsOrPayloadsIsClean() {
    assertThat(compile(component("A", "@PublishesEvents(operations = \"checkout\")",
        "public class A { @OnStartup void start() {} }"))).succeededWithoutWarnings();
    assertThat(compile(component("A", "@PublishesEvents(payloads = A.Placed.class)",
        "public class A { public record Placed(long id) {} @OnStartup void start() {} }")))
        .succeededWithoutWarnings();
    assertThat(compile(component("A", "@SuppressWarnings(\"ordo:no-events\")", "@PublishesEvents",
        "public class A { @OnStartup void start() {} }"))).succeededWithoutWarnings();
  }
}
