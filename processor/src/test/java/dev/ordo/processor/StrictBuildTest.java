package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.ordo.processor.Sources.source;

import com.google.testing.compile.Compilation;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Builds as strict projects run them: {@code -Xlint:all -Werror} (the processor claims its
 * annotations), packages that declare classes named like java.lang's, and operation names that
 * would collide with the names generated code uses.
 */
class StrictBuildTest {
  private static Compilation strict(JavaFileObject... sources) {
    return javac().withProcessors(new OrdoProcessor()).withOptions("-Xlint:all", "-Werror").compile(sources);
  }

  private static final JavaFileObject SHOP = source("com.acme.Shop", "package com.acme;",
      "@dev.ordo.OrdoApplication public interface Shop { Store store(); }");
  private static final JavaFileObject STORE = source("com.acme.Store", "package com.acme;", "import dev.ordo.*;",
      "@Critical @PublishesEvents(operations = {\"work\", \"correlation-id\", \"publisher\", \"import\"})",
      "public class Store {",
      "  public Store(Pool pool, Store_Events events) {}",
      "  @OnStartup void open() {}",
      "  @OnShutdown(timeout = \"2s\") void close() {}",
      "  @HealthCheck boolean ping() { return true; }",
      "}");
  private static final JavaFileObject POOL = source("com.acme.Pool", "package com.acme;", "import dev.ordo.*;",
      "@Critical public class Pool { @OnStartup void open() {} }");

  @Test
  void aValidProjectPassesUnderXlintAllWerror() {
    assertThat(strict(SHOP, STORE, POOL)).succeededWithoutWarnings();
  }

  @Test
  void classesNamedLikeJavaLangsInTheComponentsPackageAreNotConfusedWithThem() {
    List<JavaFileObject> shadows = List.of(
        source("com.acme.Object", "package com.acme;", "public class Object {}"),
        source("com.acme.String", "package com.acme;", "public class String {}"),
        source("com.acme.Override", "package com.acme;", "public @interface Override {}"),
        source("com.acme.Class", "package com.acme;", "public class Class {}"),
        source("com.acme.SuppressWarnings", "package com.acme;", "public @interface SuppressWarnings {}"),
        source("com.acme.IllegalStateException", "package com.acme;", "public class IllegalStateException {}"),
        source("com.acme.Integer", "package com.acme;", "public class Integer {}"),
        source("com.acme.ApiConfig", "package com.acme;", "public record ApiConfig(int port) {}"));
    JavaFileObject api = source("com.acme.Api", "package com.acme;", "import dev.ordo.*;",
        "public class Api {",
        "  Api(Store store, ApiConfig config) {}",
        "  @OnStartup void open() {}",
        "  @HealthCheck dev.ordo.runtime.Health check() { return dev.ordo.runtime.Health.up(); }",
        "}");
    JavaFileObject shop = source("com.acme.Shop", "package com.acme;",
        "@dev.ordo.OrdoApplication public interface Shop { java.util.Optional<Api> api(); }");
    JavaFileObject[] all = new JavaFileObject[shadows.size() + 4];
    shadows.toArray(all);
    all[shadows.size()] = shop;
    all[shadows.size() + 1] = STORE;
    all[shadows.size() + 2] = POOL;
    all[shadows.size() + 3] = api;
    assertThat(strict(all)).succeededWithoutWarnings();
  }

  @Test
  void aDoubleDashInAnOperationIsAnInvalidNameNotACrash() {
    JavaFileObject bad = source("com.acme.Bad", "package com.acme;", "import dev.ordo.*;",
        "@PublishesEvents(operations = \"a--b\") public class Bad { @OnStartup void open() {} }");
    Compilation compilation = javac().withProcessors(new OrdoProcessor()).compile(bad);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("[Ordo/InvalidOperationName] @PublishesEvents operation \"a--b\"");
    assertThat(compilation).hadErrorCount(1);
  }
}
