package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.ordo.processor.Sources.assertOnlyError;
import static dev.ordo.processor.Sources.assertOnlyWarning;
import static dev.ordo.processor.Sources.compile;
import static dev.ordo.processor.Sources.component;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Diagnostics about the graph: cycles of each kind, and critical components' edges. */
class GraphDiagnosticsTest {
  @Test
  void aComponentThatDependsOnACycleIsNotReported() {
    JavaFileObject a = component("A", "@DependsOn(B.class)", "public class A { @OnStartup void start() {} }");
    JavaFileObject b = component("B", "@DependsOn(A.class)", "public class B { @OnStartup void start() {} }");
    JavaFileObject user = component("User", "@DependsOn(A.class)", "public class User { @OnStartup void start() {} }");
    Compilation compilation = compile(a, b, user);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining(
            "    com.acme.A depends on com.acme.B\n    com.acme.B depends on com.acme.A\n  help:")
        .inFile(a).onLineContaining("@DependsOn(B.class)");
  }

  @Test
  void aChainWithoutCycleIsClean() {
    JavaFileObject a = component("A", "@DependsOn(B.class)", "public class A { @OnStartup void start() {} }");
    JavaFileObject b = component("B", "@DependsOn(C.class)", "public class B { @OnStartup void start() {} }");
    JavaFileObject c = component("C", "public class C { @OnStartup void start() {} }");
    assertThat(compile(a, b, c)).succeededWithoutWarnings();
  }

  @Test
  void aCycleOfOptionalEdgesOnlyIsStillACycle() {
    JavaFileObject a = component("A",
        "@DependsOn(value = B.class, optional = true)",
        "public class A { @OnStartup void start() {} }");
    JavaFileObject b = component("B",
        "@DependsOn(value = A.class, optional = true)",
        "public class B { @OnStartup void start() {} }");
    assertOnlyError(compile(a, b),
        "[Ordo/DependencyCycle] Found a dependency cycle made only of optional edges; none of them can"
            + " order startup:\n"
            + "    com.acme.A depends on com.acme.B (optional = true)\n"
            + "    com.acme.B depends on com.acme.A (optional = true)\n"
            + "  help: remove one of these @DependsOn edges: with optional = true on every edge of a"
            + " cycle, no component of it can wait for another\n"
            + "  docs: docs/errors.md#dependency-cycle",
        a, "@DependsOn(value = B.class");
  }

  @Test
  void anOptionalSelfDependencyIsACycle() {
    JavaFileObject a = component("A",
        "@DependsOn(value = A.class, optional = true)",
        "public class A { @OnStartup void start() {} }");
    Compilation compilation = compile(a);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("    com.acme.A depends on com.acme.A (optional = true)\n")
        .inFile(a).onLineContaining("@DependsOn");
  }

  @Test
  void aCycleThatAnOptionalEdgeBreaksIsAWarning() {
    JavaFileObject a = component("A", "@DependsOn(B.class)", "public class A { @OnStartup void start() {} }");
    JavaFileObject b = component("B",
        "@DependsOn(C.class)",
        "public class B { @OnStartup void start() {} }");
    JavaFileObject c = component("C",
        "@DependsOn(value = A.class, optional = true)",
        "public class C { @OnStartup void start() {} }");
    Compilation compilation = compile(a, b, c);
    assertOnlyWarning(compilation,
        "[Ordo/SoftCycle] Found a dependency cycle that only optional edges break:\n"
            + "    com.acme.A depends on com.acme.B\n"
            + "    com.acme.B depends on com.acme.C\n"
            + "    com.acme.C depends on com.acme.A (optional = true)\n"
            + "  the runtime lets those edges yield: at startup, com.acme.C does not wait for com.acme.A\n"
            + "  help: if one of these components must start after another, make that edge hard and"
            + " break the cycle elsewhere; otherwise remove the optional edges or add"
            + " @SuppressWarnings(\"ordo:soft-cycle\") to one of these classes\n"
            + "  docs: docs/errors.md#soft-cycle",
        a, "@DependsOn(B.class)");
    assertThat(compilation).generatedSourceFile("com.acme.A_Lifecycle");
  }

  @Test
  void softCycleIsSuppressedOnAnyClassOfTheCycle() {
    JavaFileObject a = component("A", "@DependsOn(B.class)", "public class A { @OnStartup void start() {} }");
    JavaFileObject b = component("B",
        "@SuppressWarnings(\"ordo:soft-cycle\")",
        "@DependsOn(value = A.class, optional = true)",
        "public class B { @OnStartup void start() {} }");
    assertThat(compile(a, b)).succeededWithoutWarnings();
  }

  @Test
  void softCycleIsSuppressedByOrdoAll() {
    JavaFileObject a = component("A",
        "@SuppressWarnings(\"ordo:all\")",
        "@DependsOn(B.class)",
        "public class A { @OnStartup void start() {} }");
    JavaFileObject b = component("B",
        "@DependsOn(value = A.class, optional = true)",
        "public class B { @OnStartup void start() {} }");
    assertThat(compile(a, b)).succeededWithoutWarnings();
  }

  @Test
  void aHardCycleInsideAMixedOneIsOnlyTheError() {
    JavaFileObject a = component("A", "@DependsOn(B.class)", "public class A { @OnStartup void start() {} }");
    JavaFileObject b = component("B",
        "@DependsOn(A.class)",
        "@DependsOn(value = C.class, optional = true)",
        "public class B { @OnStartup void start() {} }");
    JavaFileObject c = component("C", "@DependsOn(A.class)", "public class C { @OnStartup void start() {} }");
    Compilation compilation = compile(a, b, c);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadWarningCount(0);
    assertThat(compilation).hadErrorContaining("[Ordo/DependencyCycle] Found a dependency cycle; no startup order exists:\n"
        + "    com.acme.A depends on com.acme.B\n"
        + "    com.acme.B depends on com.acme.A\n").inFile(a).onLineContaining("@DependsOn(B.class)");
  }

  @Test
  void aCycleThroughEveryMemberOfALargerKnot() {
    // A -> B -> C -> A and B -> D -> B: one strongly connected component, one error, a walk through all.
    JavaFileObject a = component("A", "@DependsOn(B.class)", "public class A { @OnStartup void start() {} }");
    JavaFileObject b = component("B", "@DependsOn(C.class)", "@DependsOn(D.class)", "public class B { @OnStartup void start() {} }");
    JavaFileObject c = component("C", "@DependsOn(A.class)", "public class C { @OnStartup void start() {} }");
    JavaFileObject d = component("D", "@DependsOn(B.class)", "public class D { @OnStartup void start() {} }");
    Compilation compilation = compile(a, b, c, d);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("Found a dependency cycle; no startup order exists:\n"
        + "    com.acme.A depends on com.acme.B\n"
        + "    com.acme.B depends on com.acme.C\n"
        + "    com.acme.C depends on com.acme.A\n"
        + "    com.acme.A depends on com.acme.B\n"
        + "    com.acme.B depends on com.acme.D\n"
        + "    com.acme.D depends on com.acme.B\n"
        + "    com.acme.B depends on com.acme.C\n"
        + "    com.acme.C depends on com.acme.A\n").inFile(a).onLineContaining("@DependsOn(B.class)");
  }

  @Test
  void criticalComponentWithAHardEdgeToAnOptionalOne() {
    JavaFileObject api = component("Api",
        "@Critical",
        "@DependsOn(Cache.class)",
        "public class Api { @OnStartup void start() {} }");
    JavaFileObject cache = component("Cache", "public class Cache { @OnStartup void start() {} }");
    assertOnlyError(compile(api, cache),
        "[Ordo/CriticalDependsOnOptional] com.acme.Api is @Critical but has a hard edge to com.acme.Cache,"
            + " which is not: if com.acme.Cache fails, com.acme.Api can never start, and the application"
            + " fails to start\n"
            + "  help: mark com.acme.Cache @Critical, or make this edge optional = true if com.acme.Api can"
            + " start without it\n"
            + "  docs: docs/errors.md#critical-depends-on-optional",
        api, "@DependsOn(Cache.class)");
  }

  @Test
  void criticalComponentMayDependOnCriticalOrOptionally() {
    JavaFileObject api = component("Api",
        "@Critical",
        "@DependsOn(Store.class)",
        "@DependsOn(value = Cache.class, optional = true)",
        "public class Api { @OnStartup void start() {} }");
    JavaFileObject store = component("Store", "@Critical", "public class Store { @OnStartup void start() {} }");
    JavaFileObject cache = component("Cache", "public class Cache { @OnStartup void start() {} }");
    assertThat(compile(api, store, cache)).succeededWithoutWarnings();
  }

  @Test
  void everyProblemIsReportedInOneCompilation() {
    JavaFileObject a = component("A",
        "@Critical",
        "@DependsOn(B.class)",
        "@DependsOn(String.class)",
        "public class A {",
        "  @OnStartup(timeout = \"soon\") private int start() { return 0; }",
        "}");
    JavaFileObject b = component("B", "@DependsOn(A.class)", "public class B { @OnStartup void start() {} }");
    Compilation compilation = compile(a, b);
    // Cycle, not a component, critical -> optional, private hook, return type, duration.
    assertThat(compilation).hadErrorCount(6);
    assertThat(compilation).hadErrorContaining("[Ordo/DependencyCycle]").inFile(a).onLineContaining("@DependsOn(B.class)");
    assertThat(compilation).hadErrorContaining("[Ordo/NotAComponent]").inFile(a).onLineContaining("String.class");
    assertThat(compilation).hadErrorContaining("[Ordo/CriticalDependsOnOptional]").inFile(a).onLineContaining("@DependsOn(B.class)");
    assertThat(compilation).hadErrorContaining("[Ordo/PrivateHook]").inFile(a).onLineContaining("private int start");
    assertThat(compilation).hadErrorContaining("[Ordo/HookReturnType]").inFile(a).onLineContaining("private int start");
    assertThat(compilation).hadErrorContaining("[Ordo/InvalidDuration] @OnStartup(timeout = \"soon\")")
        .inFile(a).onLineContaining("private int start");
  }
}
