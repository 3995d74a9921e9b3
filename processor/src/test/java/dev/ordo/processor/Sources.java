package dev.ordo.processor;

import static com.google.testing.compile.Compiler.javac;

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

  /** Compiles with the Ordo processor and every lint warning on but processing's. */
  static Compilation compile(JavaFileObject... sources) {
    return javac()
        .withProcessors(new OrdoProcessor())
        .withOptions("-Xlint:all,-processing")
        .compile(sources);
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
