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
    // The registry's own dispatcher, not OrderStore_Lifecycle: no class per component.
    assertEquals("com.acme.OrdoRegistry_ff27d01f$Hooks", controller.getClass().getName());
    assertSame(store, controller.component());
    assertEquals("com.acme.OrderStore", controller.descriptor().key());
    assertEquals(List.of("ping", "connections", "disk"), controller.descriptor().healthChecks().stream()
        .map(ComponentDescriptor.HealthCheckDescriptor::name).toList());
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

  @Test
  void componentInTheUnnamedPackagePutsTheRegistryThere() throws Exception {
    // "zapp" sorts after "com.acme.Zed": the registry used to go to com.acme, which cannot name zapp_Lifecycle
    JavaFileObject zapp = Sources.source("zapp",
        "import dev.ordo.OnStartup;",
        "public class zapp {",
        "  public boolean started;",
        "  @OnStartup void start() { started = true; }",
        "}");
    JavaFileObject zed = Sources.component("Zed", "public class Zed { @OnStartup void start() {} }");
    Compilation both = Sources.compile(zed, zapp);
    assertThat(both).succeededWithoutWarnings();
    String service = read(both.generatedFile(StandardLocation.CLASS_OUTPUT,
        "META-INF/services/dev.ordo.runtime.internal.LifecycleRegistry").orElseThrow());
    assertTrue(service.matches("OrdoRegistry_[0-9a-f]{8}\n"), service);
    GeneratedClassLoader classes = new GeneratedClassLoader(both);
    LifecycleRegistry registry = (LifecycleRegistry)
        classes.loadClass(service.strip()).getConstructor().newInstance();
    Object app = classes.loadClass("zapp").getConstructor().newInstance();
    LifecycleController<?> controller = registry.controllerFor("zapp", app);
    // zapp is in the registry's package: its dispatcher calls the hook.
    assertEquals(service.strip() + "$Hooks", controller.getClass().getName());
    controller.start(CONTEXT);
    assertEquals(true, app.getClass().getField("started").get(app));
    // Zed's hook is package-private in com.acme: only its own controller can call it.
    Object zedInstance = classes.loadClass("com.acme.Zed").getConstructor().newInstance();
    assertEquals("com.acme.Zed_Lifecycle", registry.controllerFor("com.acme.Zed", zedInstance).getClass().getName());
  }

  @Test
  void enumAndRecordComponentsCompileAndRun() throws Exception {
    JavaFileObject clock = Sources.component("Clock",
        "@Critical",
        "public enum Clock {",
        "  INSTANCE,",
        "  FROZEN { @Override long now() { return 0; } };",
        "  public int starts;",
        "  long now() { return System.currentTimeMillis(); }",
        "  @OnStartup void start() { starts++; }",
        "  @HealthCheck boolean ticking() { return now() > 0; }",
        "}");
    JavaFileObject settings = Sources.component("Settings",
        "@Critical",
        "@DependsOn(Clock.class)",
        "public record Settings(String name, java.util.List<String> calls) {",
        "  @OnStartup void load(LifecycleContext context) { calls.add(\"load \" + name); }",
        "  @OnShutdown CompletionStage<Void> save() {",
        "    calls.add(\"save\");",
        "    return CompletableFuture.completedFuture(null);",
        "  }",
        "}");
    JavaFileObject pair = Sources.component("Pair",
        "public record Pair<A, B>(A first, B second) { @OnStartup void start() {} }");
    Compilation records = Sources.compile(clock, settings, pair);
    assertThat(records).succeededWithoutWarnings();
    GeneratedClassLoader classes = new GeneratedClassLoader(records);
    String service = read(records.generatedFile(StandardLocation.CLASS_OUTPUT,
        "META-INF/services/dev.ordo.runtime.internal.LifecycleRegistry").orElseThrow());
    LifecycleRegistry registry = (LifecycleRegistry)
        classes.loadClass(service.strip()).getConstructor().newInstance();

    Class<?> clockClass = classes.loadClass("com.acme.Clock");
    Object instance = clockClass.getField("INSTANCE").get(null);
    LifecycleController<?> clockController = registry.controllerFor("com.acme.Clock", instance);
    clockController.start(CONTEXT);
    assertEquals(1, clockClass.getField("starts").get(instance));
    assertEquals(Health.up(), clockController.check(0, CONTEXT));
    // a constant with a body is an anonymous subclass: the runtime finds the enum's controller
    Object frozen = clockClass.getField("FROZEN").get(null);
    assertEquals(clockClass, frozen.getClass().getSuperclass());
    assertNull(registry.controllerFor(frozen.getClass().getName(), frozen));
    assertEquals(Health.down(), registry.controllerFor("com.acme.Clock", frozen).check(0, CONTEXT));

    java.util.List<String> calls = new java.util.ArrayList<>();
    Object record = classes.loadClass("com.acme.Settings").getConstructor(String.class, List.class)
        .newInstance("prod", calls);
    LifecycleController<?> settingsController = registry.controllerFor("com.acme.Settings", record);
    ComponentDescriptor descriptor = settingsController.descriptor();
    assertTrue(descriptor.critical());
    assertEquals(List.of("com.acme.Clock"), descriptor.hardDependencies());
    settingsController.start(CONTEXT);
    assertTrue(settingsController.stop(CONTEXT).toCompletableFuture().isDone());
    assertEquals(List.of("load prod", "save"), calls);
    assertThat(records).generatedSourceFile("com.acme.Pair_Lifecycle")
        .contentsAsUtf8String().contains("extends LifecycleController<Pair<?, ?>>");
  }

  @Test
  void auxiliaryClassComponentRunsWithoutAuxiliaryClassWarnings() throws Exception {
    JavaFileObject main = Sources.component("Main",
        "public class Main {}",
        "",
        "@Critical",
        "class Helper {",
        "  public int starts;",
        "  @OnStartup void start() { starts++; }",
        "  @HealthCheck boolean ok() { return true; }",
        "}");
    // -Xlint:all as is: generated code must not make javac warn about the auxiliary class
    Compilation lint = com.google.testing.compile.Compiler.javac()
        .withProcessors(new OrdoProcessor())
        .withOptions("-Xlint:all")
        .compile(main);
    assertThat(lint).succeeded();
    assertEquals(List.of(), lint.warnings().stream()
        .filter(d -> d.getMessage(null).contains("auxiliary"))
        .map(d -> d.getSource() + ":" + d.getLineNumber() + ": " + d.getMessage(null))
        .toList());
    Compilation aux = Sources.compile(main);
    assertThat(aux).succeededWithoutWarnings();
    assertThat(aux).generatedSourceFile("com.acme.Helper_Lifecycle")
        .contentsAsUtf8String().contains("@SuppressWarnings(\"auxiliaryclass\")");

    GeneratedClassLoader classes = new GeneratedClassLoader(aux);
    String service = read(aux.generatedFile(StandardLocation.CLASS_OUTPUT,
        "META-INF/services/dev.ordo.runtime.internal.LifecycleRegistry").orElseThrow());
    LifecycleRegistry registry = (LifecycleRegistry)
        classes.loadClass(service.strip()).getConstructor().newInstance();
    java.lang.reflect.Constructor<?> constructor = classes.loadClass("com.acme.Helper").getDeclaredConstructor();
    constructor.setAccessible(true);
    Object helper = constructor.newInstance();
    LifecycleController<?> controller = registry.controllerFor("com.acme.Helper", helper);
    assertSame(helper, controller.component());
    controller.start(CONTEXT);
    java.lang.reflect.Field starts = helper.getClass().getDeclaredField("starts");
    starts.setAccessible(true);
    assertEquals(1, starts.get(helper));
    assertEquals(Health.up(), controller.check(0, CONTEXT));
    // of(Object) checks the type at once
    java.lang.reflect.InvocationTargetException wrong = org.junit.jupiter.api.Assertions.assertThrows(
        java.lang.reflect.InvocationTargetException.class,
        () -> classes.loadClass("com.acme.Helper_Lifecycle").getMethod("of", Object.class).invoke(null, "text"));
    assertEquals(ClassCastException.class, wrong.getCause().getClass());
  }

  @Test
  void durationsOfAnyLengthCompileAndLoadWithoutOverflow() throws Exception {
    JavaFileObject forever = Sources.component("Forever",
        "public class Forever {",
        "  @OnStartup(timeout = \"3000000h\") void start() {}",
        "  @OnShutdown(timeout = \" 99999999999999999999h \") void stop() {}",
        "  @HealthCheck(timeout = \"9223372036854775806999ms\", interval = \"153722867280912930m\")",
        "  boolean ok() { return true; }",
        "}");
    Compilation compilation = Sources.compile(forever);
    assertThat(compilation).succeededWithoutWarnings();
    // Literals in the duration's own unit: nothing is computed in nanoseconds, at compile time or at load.
    assertThat(compilation).generatedSourceFile("com.acme.Forever_Lifecycle").contentsAsUtf8String()
        .contains(".onStartup(\"start\", Duration.ofHours(3000000))");
    assertThat(compilation).generatedSourceFile("com.acme.Forever_Lifecycle").contentsAsUtf8String()
        .contains(".onShutdown(\"stop\", Duration.ofSeconds(9223372036854775807L))");

    ComponentDescriptor descriptor = (ComponentDescriptor) new GeneratedClassLoader(compilation)
        .loadClass("com.acme.Forever_Lifecycle").getField("DESCRIPTOR").get(null);
    assertEquals(Duration.ofHours(3_000_000), descriptor.startupTimeout());
    assertEquals(Duration.ofSeconds(Long.MAX_VALUE), descriptor.shutdownTimeout());
    assertEquals(Duration.ofSeconds(9_223_372_036_854_775_806L, 999_000_000),
        descriptor.healthChecks().get(0).timeout());
    assertEquals(Duration.ofMinutes(153_722_867_280_912_930L), descriptor.healthChecks().get(0).interval());
  }

  private static String read(JavaFileObject file) throws IOException {
    try (InputStream in = file.openInputStream()) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** Loads the classes of a compilation from memory; the runtime comes from the test class path. */
  static final class GeneratedClassLoader extends ClassLoader {
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
