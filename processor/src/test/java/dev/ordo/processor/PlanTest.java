package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.ordo.processor.Sources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/**
 * {@code META-INF/ordo/plan.json} and {@code plan.mmd}: the waves, the declared and default
 * timeouts, and the worst-case critical paths of startup and shutdown, for a known graph.
 */
class PlanTest {
  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
  private static final boolean UPDATE = Boolean.getBoolean("ordo.golden.update");

  /**
   * Pool (start 20s, stop 5s) <- Store (start: default, stop 15s) <- Api (start 5s, stop 2s), which
   * also depends optionally on Index (start 30s); Cache (stop 20s) on its own.
   */
  static List<JavaFileObject> shop() {
    return List.of(
        source("com.acme.Shop", "package com.acme;", "@dev.ordo.OrdoApplication", "public interface Shop {}"),
        source("com.acme.Pool", "package com.acme;", "import dev.ordo.*;",
            "@Critical public class Pool {", "  @OnStartup(timeout = \"20s\") void open() {}",
            "  @OnShutdown(timeout = \"5s\") void close() {}", "}"),
        source("com.acme.Store", "package com.acme;", "import dev.ordo.*;",
            "@Critical public class Store {", "  public Store(Pool pool) {}", "  @OnStartup void migrate() {}",
            "  @OnShutdown(timeout = \"15s\") void flush() {}", "}"),
        source("com.acme.Index", "package com.acme;", "import dev.ordo.*;",
            "public class Index {", "  @OnStartup(timeout = \"30s\") void build() {}", "}"),
        source("com.acme.Api", "package com.acme;", "import dev.ordo.*;",
            "@Critical public class Api {", "  public Api(Store store, java.util.Optional<Index> index) {}",
            "  @OnStartup(timeout = \"5s\") void listen() {}",
            "  @OnShutdown(timeout = \"2s\") void close() {}", "}"),
        source("com.acme.Cache", "package com.acme;", "import dev.ordo.*;",
            "public class Cache {", "  @OnShutdown(timeout = \"20s\") void clear() {}", "}"));
  }

  private static Compilation compile(List<JavaFileObject> sources, String... options) {
    List<String> all = new ArrayList<>(List.of("-Xlint:all,-processing"));
    all.addAll(List.of(options));
    return javac().withProcessors(new OrdoProcessor()).withOptions(all).compile(sources);
  }

  private static String resource(Compilation compilation, String name) throws IOException {
    return compilation.generatedFile(StandardLocation.CLASS_OUTPUT, name)
        .orElseThrow(() -> new AssertionError("no " + name + ": " + compilation.diagnostics()))
        .getCharContent(true).toString();
  }

  @Test
  void thePlanOfAKnownGraphIsTheGoldenFile() throws IOException {
    Compilation compilation = compile(shop());
    assertThat(compilation).succeededWithoutWarnings();
    String json = resource(compilation, "META-INF/ordo/plan.json");
    assertGolden("plan.json.txt", json);
    // Waves: what can start together.
    assertTrue(json.contains("\"waves\": [[\"Pool\", \"Index\", \"Cache\"], [\"Store\"], [\"Api\"]]")
        || json.contains("\"waves\": [[\"Cache\", \"Index\", \"Pool\"], [\"Store\"], [\"Api\"]]"), json);
    // Store declares no start timeout: the default (ordo.startup.timeout, 60s, written 1m) is stated.
    assertTrue(json.contains("\"startup\": {\"method\": \"migrate\", \"timeout\": \"1m\", \"declared\": false}"), json);
    // Pool 20s -> Store 1m -> Api 5s = 85s (Index 30s -> Api is shorter); Api 2s -> Store 15s -> Pool 5s = 22s.
    assertTrue(json.contains("\"startupCriticalPath\": {\"total\": \"85s\", \"components\": [{\"name\": \"Pool\","
        + " \"timeout\": \"20s\"}, {\"name\": \"Store\", \"timeout\": \"1m\"}, {\"name\": \"Api\", \"timeout\": \"5s\"}]}"),
        json);
    assertTrue(json.contains("\"shutdownCriticalPath\": {\"total\": \"22s\", \"components\": [{\"name\": \"Api\","
        + " \"timeout\": \"2s\"}, {\"name\": \"Store\", \"timeout\": \"15s\"}, {\"name\": \"Pool\", \"timeout\": \"5s\"}]}"),
        json);
    String mermaid = resource(compilation, "META-INF/ordo/plan.mmd");
    assertGolden("plan.mmd.txt", mermaid);
    assertTrue(mermaid.contains("flowchart LR\n"), mermaid);
    assertTrue(mermaid.contains(" -.-> "), "the optional edge is dotted: " + mermaid);
  }

  @Test
  void theDefaultsFollowTheProcessorOptions() throws IOException {
    String json = resource(compile(shop(), "-Aordo.startup.timeout=2m", "-Aordo.shutdown.componentTimeout=7s"),
        "META-INF/ordo/plan.json");
    assertTrue(json.contains("\"defaults\": {\"startupTimeout\": \"2m\", \"shutdownTimeout\": \"7s\"}"), json);
    assertTrue(json.contains("\"startupCriticalPath\": {\"total\": \"145s\""), json);
  }

  @Test
  void aCompilationWithoutAnApplicationIsPlannedFromItsDependsOn() throws IOException {
    Compilation compilation = compile(List.of(
        source("com.acme.A", "package com.acme;", "import dev.ordo.*;",
            "public class A {", "  @OnStartup(timeout = \"3s\") void open() {}", "}"),
        source("com.acme.B", "package com.acme;", "import dev.ordo.*;",
            "@DependsOn(A.class) public class B {", "  @OnStartup(timeout = \"4s\") void open() {}", "}")));
    assertThat(compilation).succeededWithoutWarnings();
    String json = resource(compilation, "META-INF/ordo/plan.json");
    assertTrue(json.contains("\"name\": \"application\""), json);
    assertTrue(json.contains("\"waves\": [[\"A\"], [\"B\"]]"), json);
    assertTrue(json.contains("\"startupCriticalPath\": {\"total\": \"7s\""), json);
    assertTrue(json.contains("\"shutdownCriticalPath\": {\"total\": \"0s\", \"components\": []}"), json);
  }

  private static void assertGolden(String goldenFile, String actual) throws IOException {
    Path file = GOLDEN.resolve(goldenFile);
    if (UPDATE) {
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual,
        goldenFile + " differs from " + file + "; if intended, rerun with -Dordo.golden.update=true");
  }
}
