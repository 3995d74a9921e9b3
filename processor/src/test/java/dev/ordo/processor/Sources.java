package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;

/** Inline sources and the compiler the tests run them through. */
final class Sources {
  private Sources() {}

  /** A source file {@code name} whose lines are {@code lines}. */
  static JavaFileObject source(String name, String... lines) {
    return JavaFileObjects.forSourceLines(name, lines);
  }

  /**
   * A source {@code com.acme.<name>} whose lines are {@code body}, after the imports every test
   * uses; line numbers of {@code body} start at 10.
   */
  static JavaFileObject component(String name, String... body) {
    String[] lines = new String[body.length + 9];
    lines[0] = "package com.acme;";
    lines[1] = "import dev.ordo.*;";
    lines[2] = "import dev.ordo.runtime.Health;";
    lines[3] = "import dev.ordo.runtime.LifecycleContext;";
    lines[4] = "import java.util.concurrent.CompletableFuture;";
    lines[5] = "import java.util.concurrent.CompletionStage;";
    lines[6] = "import java.util.concurrent.Future;";
    lines[7] = "";
    lines[8] = "";
    System.arraycopy(body, 0, lines, 9, body.length);
    return source("com.acme." + name, lines);
  }

  /** Asserts that {@code compilation} failed with one error, {@code message} exactly, on {@code line}. */
  static void assertOnlyError(Compilation compilation, String message, JavaFileObject file, String line) {
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining(message).inFile(file).onLineContaining(line);
    assertEquals(message, compilation.errors().get(0).getMessage(null));
  }

  /**
   * Asserts that {@code compilation} succeeded with one warning, {@code message} exactly, on
   * {@code line}.
   */
  static void assertOnlyWarning(Compilation compilation, String message, JavaFileObject file, String line) {
    assertThat(compilation).succeeded();
    assertThat(compilation).hadWarningCount(1);
    assertThat(compilation).hadWarningContaining(message).inFile(file).onLineContaining(line);
    assertEquals(message, compilation.warnings().get(0).getMessage(null));
  }

  /** Compiles with the Ordo processor and every lint warning on but processing's. */
  static Compilation compile(JavaFileObject... sources) {
    return javac()
        .withProcessors(new OrdoProcessor())
        .withOptions("-Xlint:all,-processing")
        .compile(sources);
  }

  /** {@code com.acme.Journal}: a list that the hooks of test components append their calls to. */
  static JavaFileObject journal() {
    return source("com.acme.Journal",
        "package com.acme;",
        "import java.util.List;",
        "import java.util.concurrent.CopyOnWriteArrayList;",
        "public final class Journal {",
        "  public static final List<String> CALLS = new CopyOnWriteArrayList<>();",
        "  private Journal() {}",
        "}");
  }

  /** A component that heals: its start is retried, and a failed check restarts it. */
  static JavaFileObject cache() {
    return source("com.acme.Cache",
        "package com.acme;",
        "",
        "import dev.ordo.HealthCheck;",
        "import dev.ordo.OnShutdown;",
        "import dev.ordo.OnStartup;",
        "import dev.ordo.Retry;",
        "",
        "/** A cache that may be down at deploy time. */",
        "public class Cache {",
        "  int starts;",
        "",
        "  @OnStartup(timeout = \"5s\", retry = @Retry(initial = \"500ms\", max = \"2m\", attempts = 20))",
        "  void connect() { starts++; }",
        "",
        "  @OnShutdown",
        "  void close() {}",
        "",
        "  @HealthCheck(restart = true)",
        "  boolean ping() { return true; }",
        "",
        "  @HealthCheck(name = \"hit-rate\")",
        "  boolean hitRate() { return true; }",
        "}");
  }

  /** A component with managed resources: an eager model and a lazy index. */
  static JavaFileObject scorer() {
    return source("com.acme.Scorer",
        "package com.acme;",
        "",
        "import dev.ordo.OnStartup;",
        "import dev.ordo.runtime.resources.ManagedResource;",
        "",
        "/** Scores with a model that is swapped while it runs. */",
        "public class Scorer {",
        "  final ManagedResource<String> model = ManagedResource.<String>builder(\"model\", v -> \"model \" + v)",
        "      .initialVersion(\"v1\").build();",
        "  protected final ManagedResource<int[]> index;",
        "  static final ManagedResource<String> SHARED = ManagedResource.<String>builder(\"shared\", v -> v).build();",
        "  final String name = \"scorer\";",
        "",
        "  public Scorer() {",
        "    index = ManagedResource.<int[]>builder(\"index\", v -> new int[0]).lazy().build();",
        "  }",
        "",
        "  @OnStartup",
        "  void start() {}",
        "}");
  }

  /** The component of the golden test: every feature of the controller at once. */
  static JavaFileObject orderStore() {
    return source("com.acme.OrderStore",
        "package com.acme;",
        "",
        "import dev.ordo.Critical;",
        "import dev.ordo.DependsOn;",
        "import dev.ordo.HealthCheck;",
        "import dev.ordo.OnShutdown;",
        "import dev.ordo.OnStartup;",
        "import dev.ordo.PublishesEvents;",
        "import dev.ordo.runtime.Health;",
        "import dev.ordo.runtime.LifecycleContext;",
        "import java.util.ArrayList;",
        "import java.util.List;",
        "import java.util.concurrent.CompletableFuture;",
        "import java.util.concurrent.CompletionStage;",
        "",
        "@Critical",
        "@DependsOn(ConnectionPool.class)",
        "@DependsOn(value = Search.Index.class, optional = true)",
        "@PublishesEvents(operations = {\"checkout\", \"refund\"})",
        "public final class OrderStore {",
        "  public final List<String> calls = new ArrayList<>();",
        "",
        "  @OnStartup(timeout = \"10s\")",
        "  void migrate(LifecycleContext context) {",
        "    calls.add(\"migrate\");",
        "  }",
        "",
        "  @OnShutdown(timeout = \"1500ms\")",
        "  CompletionStage<Void> flush() {",
        "    calls.add(\"flush\");",
        "    return CompletableFuture.completedFuture(null);",
        "  }",
        "",
        "  @HealthCheck(timeout = \"500ms\")",
        "  boolean ping() {",
        "    return false;",
        "  }",
        "",
        "  @HealthCheck(name = \"connections\", interval = \"2m\")",
        "  Health pool() {",
        "    return Health.up().withDetail(\"active\", 3);",
        "  }",
        "",
        "  @HealthCheck",
        "  void disk() {",
        "    calls.add(\"disk\");",
        "  }",
        "}");
  }

  static JavaFileObject connectionPool() {
    return source("com.acme.ConnectionPool",
        "package com.acme;",
        "",
        "import dev.ordo.Critical;",
        "import dev.ordo.OnShutdown;",
        "import dev.ordo.OnStartup;",
        "",
        "@Critical",
        "public final class ConnectionPool {",
        "  @OnStartup void open() {}",
        "  @OnShutdown void close() {}",
        "}");
  }

  static JavaFileObject search() {
    return source("com.acme.Search",
        "package com.acme;",
        "",
        "import dev.ordo.OnStartup;",
        "import java.util.concurrent.CompletableFuture;",
        "",
        "public final class Search {",
        "  public static final class Index {",
        "    @OnStartup(timeout = \"1h\")",
        "    public CompletableFuture<String> load() {",
        "      return CompletableFuture.completedFuture(\"loaded\");",
        "    }",
        "  }",
        "}");
  }
}
