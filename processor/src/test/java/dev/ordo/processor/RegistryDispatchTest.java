package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.ComponentStatus;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.health.CheckResult;
import dev.ordo.runtime.internal.LifecycleRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry serves {@code Ordo.builder().component(foo)} with its nested {@code Hooks} class for
 * every component whose hooks it can call, and with {@code Foo_Lifecycle} for the others; an
 * application built either way behaves as one built from {@code Foo_Lifecycle.of(foo)}: every
 * form of hook (with and without the context, synchronous and asynchronous, failing), every form
 * of health check, keyed instances, a generic component, a managed resource, retry and restart
 * policies, declared events. And the {@code .component(foo)} path loads no {@code Foo_Lifecycle}
 * for a component that {@code Hooks} serves.
 */
class RegistryDispatchTest {
  private static final List<String> COMPONENTS = List.of("com.acme.Pool", "com.acme.Store", "com.acme.Cache",
      "com.acme.Scorer", "com.acme.Quiet", "com.acme.Flaky", "com.acme.edge.Hidden", "com.acme.edge.Open");

  private static Compilation compile() {
    return Sources.compile(
        Sources.journal(),
        JavaFileObjects.forSourceLines("com.acme.Pool",
            "package com.acme;",
            "import dev.ordo.*;",
            "import dev.ordo.runtime.LifecycleContext;",
            "@Critical public class Pool {",
            "  private final String url;",
            "  public Pool(String url) { this.url = url; }",
            "  @OnStartup(timeout = \"5s\") void open(LifecycleContext context) {",
            "    Journal.CALLS.add(\"open \" + url + \" \" + context.componentName() + \" \" + context.phase());",
            "  }",
            "  @OnShutdown(timeout = \"3s\") void close(LifecycleContext context) {",
            "    Journal.CALLS.add(\"close \" + url + \" \" + context.phase());",
            "  }",
            "  @HealthCheck(timeout = \"1s\", interval = \"1m\") boolean alive() { return true; }",
            "}"),
        JavaFileObjects.forSourceLines("com.acme.Store",
            "package com.acme;",
            "import dev.ordo.*;",
            "import dev.ordo.runtime.Health;",
            "import java.util.concurrent.CompletableFuture;",
            "import java.util.concurrent.CompletionStage;",
            "@Critical",
            "@DependsOn(Pool.class)",
            "@PublishesEvents(operations = {\"checkout\", \"refund\"})",
            "public class Store {",
            "  @OnStartup CompletionStage<?> migrate() {",
            "    return CompletableFuture.runAsync(() -> Journal.CALLS.add(\"migrate\"));",
            "  }",
            "  @OnShutdown CompletionStage<Void> flush() {",
            "    Journal.CALLS.add(\"flush\");",
            "    return CompletableFuture.completedFuture(null);",
            "  }",
            "  @HealthCheck(name = \"ping\") boolean ping() { return true; }",
            "  @HealthCheck(name = \"rows\") Health rows() { return Health.down().withDetail(\"rows\", 0); }",
            "  @HealthCheck(name = \"disk\") void disk() { throw new IllegalStateException(\"disk full\"); }",
            "}"),
        JavaFileObjects.forSourceLines("com.acme.Cache",
            "package com.acme;",
            "import dev.ordo.*;",
            "@DependsOn(Store.class)",
            "public class Cache<K> {",
            "  @OnStartup void warm() { Journal.CALLS.add(\"warm\"); }",
            "}"),
        JavaFileObjects.forSourceLines("com.acme.Scorer",
            "package com.acme;",
            "import dev.ordo.*;",
            "import dev.ordo.runtime.resources.ManagedResource;",
            "@DependsOn(Store.class)",
            "public class Scorer {",
            "  final ManagedResource<String> model = ManagedResource.<String>builder(\"model\", v -> \"weights \" + v).initialVersion(\"v1\").build();",
            "  @OnStartup void start() { Journal.CALLS.add(\"scorer\"); }",
            "}"),
        JavaFileObjects.forSourceLines("com.acme.Quiet",
            "package com.acme;",
            "import dev.ordo.*;",
            "import dev.ordo.runtime.LifecycleContext;",
            "@DependsOn(value = Store.class, optional = true)",
            "public class Quiet {",
            "  @HealthCheck(restart = true) void fine(LifecycleContext context) {}",
            "  @OnStartup(retry = @Retry(initial = \"2s\", max = \"10s\", attempts = 3)) void start() {}",
            "}"),
        JavaFileObjects.forSourceLines("com.acme.Flaky",
            "package com.acme;",
            "import dev.ordo.*;",
            "public class Flaky {",
            "  @OnStartup void start() { throw new IllegalStateException(\"no luck\"); }",
            "}"),
        JavaFileObjects.forSourceLines("com.acme.edge.Hidden",
            "package com.acme.edge;",
            "import dev.ordo.*;",
            "@DependsOn(com.acme.Store.class)",
            "public class Hidden {",
            "  @OnStartup void begin() { com.acme.Journal.CALLS.add(\"hidden\"); }",
            "}"),
        JavaFileObjects.forSourceLines("com.acme.edge.Open",
            "package com.acme.edge;",
            "import dev.ordo.*;",
            "@DependsOn(com.acme.Store.class)",
            "public class Open {",
            "  @OnStartup public void begin() { com.acme.Journal.CALLS.add(\"open\"); }",
            "  @OnShutdown public void end() { com.acme.Journal.CALLS.add(\"end\"); }",
            "}"));
  }

  /** The compilation's class output as a directory, so that a class loader finds its services file. */
  private static Path write(Compilation compilation, Path dir) throws IOException {
    for (JavaFileObject file : compilation.generatedFiles()) {
      if (file.getKind() == JavaFileObject.Kind.SOURCE) {
        continue;
      }
      String uri = file.toUri().getPath();
      String relative = uri.substring(uri.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length());
      Path target = dir.resolve(relative);
      Files.createDirectories(target.getParent());
      try (InputStream in = file.openInputStream(); OutputStream out = Files.newOutputStream(target)) {
        in.transferTo(out);
      }
    }
    return dir;
  }

  /** A loader of the compiled classes that tells which it loaded. */
  static final class Loader extends URLClassLoader {
    Loader(Path classes) throws IOException {
      super(new URL[] {classes.toUri().toURL()}, RegistryDispatchTest.class.getClassLoader());
    }

    boolean loaded(String name) {
      return findLoadedClass(name) != null;
    }
  }

  /** Instances of every component: two keyed pools, one of each other class. */
  private static Map<String, Object> instances(ClassLoader loader) throws Exception {
    Map<String, Object> instances = new TreeMap<>();
    Class<?> pool = loader.loadClass("com.acme.Pool");
    instances.put("orders", pool.getConstructor(String.class).newInstance("jdbc:orders"));
    instances.put("users", pool.getConstructor(String.class).newInstance("jdbc:users"));
    for (String name : COMPONENTS.subList(1, COMPONENTS.size())) {
      instances.put(name, loader.loadClass(name).getConstructor().newInstance());
    }
    return instances;
  }

  /** What an application did: its calls, states, health, resources and descriptors, in one text. */
  private static String run(Ordo ordo, ClassLoader loader) throws Exception {
    @SuppressWarnings("unchecked")
    List<String> calls = (List<String>) loader.loadClass("com.acme.Journal").getField("CALLS").get(null);
    calls.clear();
    ordo.start();
    assertEquals(ApplicationState.RUNNING, ordo.state());
    StringBuilder seen = new StringBuilder();
    seen.append("started ").append(calls.stream().sorted().collect(Collectors.toList())).append('\n');
    assertTrue(calls.indexOf("migrate") > calls.indexOf("open jdbc:users com.acme.Pool[users] STARTUP"), calls.toString());
    for (ComponentStatus s : ordo.components()) {
      seen.append(s.component().name()).append(' ').append(s.state())
          .append(s.failure() == null ? "" : " " + s.failure().getMessage()).append('\n')
          .append("  ").append(describe(s.component())).append('\n');
    }
    for (CheckResult r : ordo.health().refresh().checks()) {
      seen.append("check ").append(r.component()).append('/').append(r.name()).append(' ').append(r.isUp())
          .append(r.last() == null ? "" : " " + r.last().details())
          .append(r.error() == null ? "" : " " + r.error().getMessage()).append('\n');
    }
    ordo.resources().forEach((component, resources) -> resources.forEach(r ->
        seen.append("resource ").append(component).append('/').append(r.name()).append(' ').append(r.state())
            .append(' ').append(r.currentVersion()).append('\n')));
    calls.clear();
    ordo.stop();
    assertEquals(ApplicationState.STOPPED, ordo.state());
    assertTrue(calls.indexOf("flush") < calls.indexOf("close jdbc:orders SHUTDOWN"), calls.toString());
    assertTrue(calls.indexOf("end") < calls.indexOf("flush"), calls.toString());
    seen.append("stopped ").append(calls.stream().sorted().collect(Collectors.toList())).append('\n');
    return seen.toString();
  }

  /** Every field of a descriptor. */
  static String describe(ComponentDescriptor d) {
    return d.type().getName() + " key=" + d.key() + " name=" + d.name() + " instance=" + d.instanceKey()
        + " critical=" + d.critical() + " hard=" + d.hardDependencies() + " soft=" + d.softDependencies()
        + " start=" + d.startupHook() + "/" + d.startupTimeout() + " stop=" + d.shutdownHook() + "/"
        + d.shutdownTimeout() + " checks=" + d.healthChecks().stream()
            .map(c -> c.name() + ":" + c.method() + ":" + c.timeout() + ":" + c.interval() + ":" + c.restart())
            .collect(Collectors.toList())
        + " operations=" + d.operations() + " retry=" + (d.retryPolicy() == null ? "none" : d.retryPolicy().enabled()
            + ":" + d.retryPolicy().initial() + ":" + d.retryPolicy().max() + ":" + d.retryPolicy().attempts())
        + " resources=" + d.resources();
  }

  private static Ordo build(Map<String, Object> instances, Function<Object, LifecycleController<?>> controllers) {
    Ordo.Builder builder = Ordo.builder().shutdownTimeout(java.time.Duration.ofSeconds(20));
    instances.forEach((key, instance) -> {
      boolean keyed = key.equals("orders") || key.equals("users");
      if (controllers == null) {
        if (keyed) {
          builder.component(key, instance);
        } else {
          builder.component(instance);
        }
      } else if (keyed) {
        builder.controller(key, controllers.apply(instance));
      } else {
        builder.controller(controllers.apply(instance));
      }
    });
    return builder.build();
  }

  @Test
  void theRegistryDispatchesThroughHooksWhereItCanCallTheHooks() throws Exception {
    Compilation compilation = compile();
    assertThat(compilation).succeededWithoutWarnings();
    String service = new String(compilation.generatedFile(StandardLocation.CLASS_OUTPUT,
        "META-INF/services/dev.ordo.runtime.internal.LifecycleRegistry").orElseThrow().openInputStream().readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8).strip();
    String source = compilation.generatedSourceFile(service).orElseThrow().getCharContent(false).toString();
    assertTrue(source.contains("private static final class Hooks extends LifecycleController<Object>"), source);
    for (String inline : List.of("Pool", "Store", "Cache", "Scorer", "Quiet", "Flaky", "Open")) {
      assertFalse(source.contains(inline + "_Lifecycle.ofInstance("), inline + " goes through Hooks:\n" + source);
    }
    assertTrue(source.contains("return new Hooks(0, Hooks.descriptorOf(0), (Cache<?>) component);"), source);
    assertTrue(source.contains("return List.of(((Scorer) component()).model);"), source);
    // Hidden's hook is package-private in another package: only its controller can call it.
    assertTrue(source.contains("return Hidden_Lifecycle.ofInstance(component);"), source);
    // Every generated controller is still there: Foo_Lifecycle.of(foo) is API.
    for (String component : COMPONENTS) {
      assertTrue(compilation.generatedSourceFile(component + "_Lifecycle").isPresent(), component);
    }
  }

  @Test
  void anApplicationOfRegistryControllersBehavesAsOneOfGeneratedControllers(@TempDir Path dir) throws Exception {
    Compilation compilation = compile();
    assertThat(compilation).succeeded();
    try (Loader loader = new Loader(write(compilation, dir))) {
      Thread thread = Thread.currentThread();
      ClassLoader context = thread.getContextClassLoader();
      thread.setContextClassLoader(loader);
      try {
        String throughRegistry = run(build(instances(loader), null), loader);
        // Through the registry, no Foo_Lifecycle class is loaded but the one Hooks cannot replace.
        for (String component : COMPONENTS) {
          assertEquals(component.equals("com.acme.edge.Hidden"), loader.loaded(component + "_Lifecycle"), component);
        }
        String throughControllers = run(build(instances(loader), instance -> {
          try {
            return (LifecycleController<?>) loader.loadClass(instance.getClass().getName() + "_Lifecycle")
                .getMethod("of", instance.getClass()).invoke(null, instance);
          } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
          }
        }), loader);
        assertEquals(throughControllers, throughRegistry);
        // What the comparison covers.
        assertTrue(throughRegistry.contains("com.acme.Flaky FAILED no luck"), throughRegistry);
        assertTrue(throughRegistry.contains("com.acme.Pool[orders] RUNNING"), throughRegistry);
        assertTrue(throughRegistry.contains("check com.acme.Store/disk false {reason=threw an exception} disk full"), throughRegistry);
        assertTrue(throughRegistry.contains("check com.acme.Store/rows false {rows=0}"), throughRegistry);
        assertTrue(throughRegistry.contains("resource com.acme.Scorer/model READY Optional[v1]"), throughRegistry);
        assertTrue(throughRegistry.contains("retry=true:PT2S:PT10S:3"), throughRegistry);
        assertTrue(throughRegistry.contains("checks=[fine:fine:null:null:true]"), throughRegistry);
        assertTrue(throughRegistry.contains("operations=[checkout, refund]"), throughRegistry);
        assertTrue(throughRegistry.contains("started [hidden, migrate, open, open jdbc:orders com.acme.Pool[orders] STARTUP,"),
            throughRegistry);
      } finally {
        thread.setContextClassLoader(context);
      }
    }
  }

  @Test
  void eachControllerOfTheRegistryMatchesTheGeneratedOne(@TempDir Path dir) throws Exception {
    Compilation compilation = compile();
    try (Loader loader = new Loader(write(compilation, dir))) {
      String service = new String(loader.getResourceAsStream(
          "META-INF/services/dev.ordo.runtime.internal.LifecycleRegistry").readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8).strip();
      LifecycleRegistry registry = (LifecycleRegistry) loader.loadClass(service).getConstructor().newInstance();
      Map<String, Object> instances = instances(loader);
      instances.remove("users");
      List<String> checked = new ArrayList<>();
      for (Object instance : instances.values()) {
        String name = instance.getClass().getName();
        LifecycleController<?> controller = registry.controllerFor(name, instance);
        assertNotNull(controller, name);
        assertSame(instance, controller.component());
        assertEquals(name.equals("com.acme.edge.Hidden") ? name + "_Lifecycle" : service + "$Hooks",
            controller.getClass().getName());
        ComponentDescriptor generated = (ComponentDescriptor) loader.loadClass(name + "_Lifecycle")
            .getField("DESCRIPTOR").get(null);
        assertEquals(describe(generated), describe(controller.descriptor()));
        // One descriptor per class, shared by its controllers, as Foo_Lifecycle.DESCRIPTOR is.
        assertSame(controller.descriptor(), registry.controllerFor(name, instance).descriptor(), name);
        // A check that does not exist fails alike.
        int checks = generated.healthChecks().size();
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
            () -> controller.check(checks, null));
        assertEquals(name + " has " + checks + " health checks, not #" + checks, e.getMessage());
        checked.add(name);
      }
      assertEquals(COMPONENTS.size(), checked.size());
      // A subclass's instance is found by its annotated class's name (the runtime walks up), and
      // the wrong class fails at once, as Foo_Lifecycle.ofInstance does.
      assertNull(registry.controllerFor("com.acme.Unknown", new Object()));
      assertThrows(ClassCastException.class, () -> registry.controllerFor("com.acme.Store", new Object()));
    }
  }

  @Test
  void componentsNamedLikeTheDispatcherOrAlikeInTwoPackagesStillCompileAndRun(@TempDir Path dir) throws Exception {
    Compilation compilation = Sources.compile(
        JavaFileObjects.forSourceLines("com.acme.Hooks",
            "package com.acme;",
            "import dev.ordo.*;",
            "public class Hooks {",
            "  public boolean started;",
            "  @OnStartup void start() { started = true; }",
            "}"),
        JavaFileObjects.forSourceLines("com.acme.Hooks0",
            "package com.acme;",
            "import dev.ordo.*;",
            "public class Hooks0 {",
            "  public boolean started;",
            "  @OnStartup void start() { started = true; }",
            "}"),
        JavaFileObjects.forSourceLines("com.acme.other.Hooks",
            "package com.acme.other;",
            "import dev.ordo.*;",
            "public class Hooks {",
            "  public boolean started;",
            "  @OnStartup public void start() { started = true; }",
            "}"));
    assertThat(compilation).succeededWithoutWarnings();
    try (Loader loader = new Loader(write(compilation, dir))) {
      Thread thread = Thread.currentThread();
      ClassLoader context = thread.getContextClassLoader();
      thread.setContextClassLoader(loader);
      try {
        List<Object> instances = new ArrayList<>();
        Ordo.Builder builder = Ordo.builder();
        for (String name : List.of("com.acme.Hooks", "com.acme.Hooks0", "com.acme.other.Hooks")) {
          Object instance = loader.loadClass(name).getConstructor().newInstance();
          instances.add(instance);
          builder.component(instance);
        }
        Ordo ordo = builder.build();
        ordo.start();
        for (Object instance : instances) {
          assertEquals(true, instance.getClass().getField("started").get(instance), instance.getClass().getName());
        }
        ordo.stop();
        for (String name : List.of("com.acme.Hooks", "com.acme.Hooks0", "com.acme.other.Hooks")) {
          assertFalse(loader.loaded(name + "_Lifecycle"), name);
        }
      } finally {
        thread.setContextClassLoader(context);
      }
    }
  }
}
