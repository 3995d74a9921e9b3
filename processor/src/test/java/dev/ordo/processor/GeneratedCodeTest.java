package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.Health;
import dev.ordo.runtime.LifecycleContext;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.internal.LifecycleRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/** Loads what the processor generated and checks what the runtime will see. */
class GeneratedCodeTest {
  private static final LifecycleContext CONTEXT = new LifecycleContext() {
    @Override
    public String componentName() {
      return "test";
    }

    @Override
    public Phase phase() {
      return Phase.STARTUP;
    }

    @Override
    public Instant deadline() {
      return Instant.now().plusSeconds(10);
    }

    @Override
    public boolean isCancelled() {
      return false;
    }
  };

  private final Compilation compilation =
      Sources.compile(Sources.orderStore(), Sources.connectionPool(), Sources.search());
  private final GeneratedClassLoader loader = new GeneratedClassLoader(compilation);

  @Test
  void descriptorHoldsWhatTheSourceDeclares() throws Exception {
    assertThat(compilation).succeeded();
    ComponentDescriptor descriptor =
        (ComponentDescriptor) loader.loadClass("com.acme.OrderStore_Lifecycle").getField("DESCRIPTOR").get(null);

    assertEquals("com.acme.OrderStore", descriptor.key());
    assertTrue(descriptor.critical());
    assertEquals(List.of("com.acme.ConnectionPool"), descriptor.hardDependencies());
    assertEquals(List.of("com.acme.Search$Index"), descriptor.softDependencies());
    assertEquals("migrate", descriptor.startupHook());
    assertEquals(Duration.ofSeconds(10), descriptor.startupTimeout());
    assertEquals("flush", descriptor.shutdownHook());
    assertEquals(Duration.ofMillis(1500), descriptor.shutdownTimeout());
    assertEquals(List.of("ping", "connections", "disk"),
        descriptor.healthChecks().stream().map(ComponentDescriptor.HealthCheckDescriptor::name).toList());
    assertEquals(List.of("ping", "pool", "disk"),
        descriptor.healthChecks().stream().map(ComponentDescriptor.HealthCheckDescriptor::method).toList());
    assertEquals(Duration.ofMillis(500), descriptor.healthChecks().get(0).timeout());
    assertNull(descriptor.healthChecks().get(0).interval());
    assertEquals(Duration.ofMinutes(2), descriptor.healthChecks().get(1).interval());
    assertEquals(List.of("checkout", "refund"), descriptor.operations());
  }

  @Test
  void nestedComponentIsKeyedByItsBinaryName() throws Exception {
    ComponentDescriptor descriptor =
        (ComponentDescriptor) loader.loadClass("com.acme.Search_Index_Lifecycle").getField("DESCRIPTOR").get(null);
    assertEquals("com.acme.Search$Index", descriptor.key());
    assertFalse(descriptor.critical());
    assertEquals(Duration.ofHours(1), descriptor.startupTimeout());
  }

  @Test
  @SuppressWarnings("unchecked")
  void registryFindsTheControllerWhichCallsTheHooks() throws Exception {
    String service = read(compilation.generatedFile(StandardLocation.CLASS_OUTPUT,
        "META-INF/services/dev.ordo.runtime.internal.LifecycleRegistry").orElseThrow());
    assertEquals("com.acme.OrdoRegistry_ff27d01f\n", service);
    LifecycleRegistry registry = (LifecycleRegistry)
        loader.loadClass(service.strip()).getConstructor().newInstance();

    Object store = loader.loadClass("com.acme.OrderStore").getConstructor().newInstance();
    LifecycleController<?> controller = registry.controllerFor("com.acme.OrderStore", store);
    assertEquals("com.acme.OrderStore_Lifecycle", controller.getClass().getName());
    assertSame(store, controller.component());
    assertNull(registry.controllerFor("com.acme.Unknown", store));

    assertTrue(controller.start(CONTEXT).toCompletableFuture().isDone());
    CompletionStage<?> stop = controller.stop(CONTEXT);
    assertTrue(stop.toCompletableFuture().isDone());
    assertEquals(Health.down(), controller.check(0, CONTEXT));
    assertEquals(Health.up().withDetail("active", 3), controller.check(1, CONTEXT));
    assertEquals(Health.up(), controller.check(2, CONTEXT));
    List<String> calls = (List<String>) store.getClass().getField("calls").get(store);
    assertEquals(List.of("migrate", "flush", "disk"), calls);

    Object index = loader.loadClass("com.acme.Search$Index").getConstructor().newInstance();
    assertEquals("loaded",
        registry.controllerFor("com.acme.Search$Index", index).start(CONTEXT).toCompletableFuture().get());
  }

  @Test
  void graphResourceListsTheComponentsSorted() throws IOException {
    String json = read(compilation.generatedFile(StandardLocation.CLASS_OUTPUT, "META-INF/ordo/graph.json").orElseThrow());
    assertEquals(String.join("\n",
        "{",
        "  \"components\": [",
        "    {",
        "      \"name\": \"com.acme.ConnectionPool\",",
        "      \"controller\": \"com.acme.ConnectionPool_Lifecycle\",",
        "      \"critical\": true,",
        "      \"dependsOn\": [],",
        "      \"dependsOnOptionally\": []",
        "    },",
        "    {",
        "      \"name\": \"com.acme.OrderStore\",",
        "      \"controller\": \"com.acme.OrderStore_Lifecycle\",",
        "      \"critical\": true,",
        "      \"dependsOn\": [\"com.acme.ConnectionPool\"],",
        "      \"dependsOnOptionally\": [\"com.acme.Search$Index\"]",
        "    },",
        "    {",
        "      \"name\": \"com.acme.Search$Index\",",
        "      \"controller\": \"com.acme.Search_Index_Lifecycle\",",
        "      \"critical\": false,",
        "      \"dependsOn\": [],",
        "      \"dependsOnOptionally\": []",
        "    }",
        "  ]",
        "}",
        ""), json);
  }

  @Test
  void sameInputGivesTheSameOutput() throws IOException {
    Compilation again = Sources.compile(Sources.search(), Sources.connectionPool(), Sources.orderStore());
    for (JavaFileObject file : compilation.generatedSourceFiles()) {
      String name = file.toUri().getPath();
      JavaFileObject other = again.generatedSourceFiles().stream()
          .filter(f -> f.toUri().getPath().equals(name))
          .findFirst()
          .orElseThrow(() -> new AssertionError("not generated the second time: " + name));
      assertEquals(file.getCharContent(true).toString(), other.getCharContent(true).toString(), name);
    }
  }

  private static String read(JavaFileObject file) throws IOException {
    try (InputStream in = file.openInputStream()) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** Loads the classes of a compilation from memory; the runtime comes from the test class path. */
  private static final class GeneratedClassLoader extends ClassLoader {
    private final Compilation compilation;

    GeneratedClassLoader(Compilation compilation) {
      super(GeneratedCodeTest.class.getClassLoader());
      this.compilation = compilation;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      JavaFileObject file = compilation
          .generatedFile(StandardLocation.CLASS_OUTPUT, name.replace('.', '/') + ".class")
          .orElseThrow(() -> new ClassNotFoundException(name));
      try (InputStream in = file.openInputStream()) {
        byte[] bytes = in.readAllBytes();
        return defineClass(name, bytes, 0, bytes.length);
      } catch (IOException e) {
        throw new ClassNotFoundException(name, e);
      }
    }
  }
}
