package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.ordo.processor.Sources.component;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** The same sources in any order produce byte-identical generated files, and the same warnings. */
class DeterminismTest {
  private static List<JavaFileObject> sources() {
    List<JavaFileObject> sources = new ArrayList<>(List.of(
        Sources.orderStore(), Sources.connectionPool(), Sources.search()));
    sources.add(component("Api",
        "@Critical",
        "@DependsOn(OrderStore.class)",
        "@DependsOn(value = Audit.class, optional = true)",
        "@DependsOn(ConnectionPool.class)",
        "public class Api { @OnStartup void start() {} @OnShutdown void stop() {} }"));
    sources.add(component("Audit",
        "@DependsOn(Api.class)", // with Api's optional edge, a soft cycle: a warning, generation goes on
        "@PublishesEvents(operations = {\"write\", \"flush\"})",
        "public class Audit { @HealthCheck(interval = \"30s\") boolean up() { return true; } }"));
    sources.add(component("Jobs",
        "public class Jobs {",
        "  public static class Nightly { @OnStartup(timeout = \"2m\") void schedule() {} }",
        "  public static class Hourly { @OnStartup void schedule() {} }",
        "}"));
    return sources;
  }

  /** Every generated file but class files, by name, as bytes. */
  private static Map<String, byte[]> generated(Compilation compilation) {
    Map<String, byte[]> files = new TreeMap<>();
    for (JavaFileObject file : compilation.generatedFiles()) {
      if (file.getKind() == JavaFileObject.Kind.CLASS) {
        continue;
      }
      try (InputStream in = file.openInputStream()) {
        files.put(file.toUri().toString(), in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  @Test
  void shuffledSourcesGenerateIdenticalFiles() {
    List<JavaFileObject> sources = sources();
    Compilation first = Sources.compile(sources.toArray(new JavaFileObject[0]));
    assertThat(first).succeeded();
    Map<String, byte[]> expected = generated(first);
    assertTrue(expected.keySet().stream().anyMatch(n -> n.endsWith("META-INF/ordo/graph.json")), expected.keySet().toString());
    assertTrue(expected.keySet().stream().anyMatch(n -> n.contains("OrdoRegistry_")), expected.keySet().toString());
    List<String> expectedWarnings = first.warnings().stream().map(d -> d.getMessage(null)).toList();
    assertEquals(1, expectedWarnings.size(), expectedWarnings.toString());

    Random random = new Random(42);
    for (int i = 0; i < 6; i++) {
      List<JavaFileObject> shuffled = new ArrayList<>(sources);
      Collections.shuffle(shuffled, random);
      Compilation again = Sources.compile(shuffled.toArray(new JavaFileObject[0]));
      Map<String, byte[]> actual = generated(again);
      assertEquals(expected.keySet(), actual.keySet(), "order " + shuffled);
      for (String name : expected.keySet()) {
        assertArrayEquals(expected.get(name), actual.get(name), name + " differs for order " + shuffled);
      }
      assertEquals(expectedWarnings, again.warnings().stream().map(d -> d.getMessage(null)).toList());
    }
  }
}
