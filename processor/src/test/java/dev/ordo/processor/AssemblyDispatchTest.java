package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.health.CheckResult;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The assembly calls the hooks of its components through its generated {@code Hooks} class, not
 * through their {@code Foo_Lifecycle} controllers: every form of hook (with and without the
 * context, synchronous and asynchronous), every form of health check, keyed instances, a generic
 * component; and the controller where the assembly cannot reach a hook (package-private, in
 * another package). The application is built, started, checked and stopped for real.
 */
class AssemblyDispatchTest {

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
            "  @OnStartup void open(LifecycleContext context) { Journal.CALLS.add(\"open \" + url + \" \" + context.componentName()); }",
            "  @OnShutdown void close() { Journal.CALLS.add(\"close \" + url); }",
            "  @HealthCheck boolean alive() { return true; }",
            "}"),
        JavaFileObjects.forSourceLines("com.acme.Store",
            "package com.acme;",
            "import dev.ordo.*;",
            "import dev.ordo.runtime.Health;",
            "import java.util.concurrent.CompletableFuture;",
            "import java.util.concurrent.CompletionStage;",
            "import jakarta.inject.Named;",
            "@Critical",
            "public class Store {",
            "  public Store(@Named(\"orders\") Pool orders, @Named(\"users\") Pool users) {}",
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
            "public class Cache<K> {",
            "  public Cache(Store store) {}",
            "  @OnStartup void warm() { Journal.CALLS.add(\"warm\"); }",
            "}"),
        JavaFileObjects.forSourceLines("com.acme.Scorer",
            "package com.acme;",
            "import dev.ordo.*;",
            "import dev.ordo.runtime.resources.ManagedResource;",
            "public class Scorer {",
            "  final ManagedResource<String> model = ManagedResource.<String>builder(\"model\", v -> \"weights \" + v).initialVersion(\"v1\").build();",
            "  public Scorer(Store store) {}",
            "  @OnStartup void start() { Journal.CALLS.add(\"scorer\"); }",
            "}"),
        JavaFileObjects.forSourceLines("com.acme.Quiet",
            "package com.acme;",
            "import dev.ordo.*;",
            "@DependsOn(Store.class)",
            "public class Quiet {",
            "  @HealthCheck void fine() {}",
            "}"),
        JavaFileObjects.forSourceLines("com.acme.edge.Hidden",
            "package com.acme.edge;",
            "import dev.ordo.*;",
            "public class Hidden {",
            "  public Hidden(com.acme.Store store) {}",
            "  @OnStartup void begin() { com.acme.Journal.CALLS.add(\"hidden\"); }",
            "}"),
        JavaFileObjects.forSourceLines("com.acme.edge.Open",
            "package com.acme.edge;",
            "import dev.ordo.*;",
            "public class Open {",
            "  public Open(com.acme.Store store) {}",
            "  @OnStartup public void begin() { com.acme.Journal.CALLS.add(\"open\"); }",
            "  @OnShutdown public void end() { com.acme.Journal.CALLS.add(\"end\"); }",
            "}"),
        JavaFileObjects.forSourceLines("com.acme.Shop",
            "package com.acme;",
            "import dev.ordo.OrdoApplication;",
            "@OrdoApplication",
            "public interface Shop {",
            "  Cache<?> cache();",
            "}"));
  }

  @Test
  void hooksAreCalledThroughTheGeneratedDispatcher() throws Exception {
    Compilation compilation = compile();
    assertThat(compilation).succeeded();
    String source = compilation.generatedSourceFile("com.acme.OrdoShop").orElseThrow()
        .getCharContent(false).toString();
    assertTrue(source.contains("private static final class Hooks extends LifecycleController<Object>"), source);
    for (String inline : List.of("Pool", "Store", "Cache", "Quiet", "Open", "Scorer")) {
      assertFalse(source.contains(inline + "_Lifecycle.of("), inline + " goes through Hooks:\n" + source);
    }
    // The two pools, Store, Cache, Quiet, Open and Scorer.
    assertEquals(7, source.split("new Hooks\\(", -1).length - 1, source);
    assertTrue(source.contains("return List.of(((Scorer) component()).model);"), source);
    // Hidden's hook is package-private in another package: only its controller can call it.
    assertTrue(source.contains("Hidden_Lifecycle.of(hidden)"), source);

    ClassLoader loader = new GeneratedCodeTest.GeneratedClassLoader(compilation);
    Class<?> journal = loader.loadClass("com.acme.Journal");
    @SuppressWarnings("unchecked")
    List<String> calls = (List<String>) journal.getField("CALLS").get(null);
    Class<?> assembly = loader.loadClass("com.acme.OrdoShop");
    Object builder = assembly.getMethod("builder").invoke(null);
    Class<?> pool = loader.loadClass("com.acme.Pool");
    Method orders = builder.getClass().getMethod("orders", pool);
    Method users = builder.getClass().getMethod("users", pool);
    orders.setAccessible(true);
    users.setAccessible(true);
    orders.invoke(builder, pool.getConstructor(String.class).newInstance("jdbc:orders"));
    users.invoke(builder, pool.getConstructor(String.class).newInstance("jdbc:users"));
    Method build = builder.getClass().getMethod("build");
    build.setAccessible(true);
    Object shop = build.invoke(builder);
    Method ordoMethod = assembly.getMethod("ordo");
    Ordo ordo = (Ordo) ordoMethod.invoke(shop);

    ordo.start();
    assertEquals(ApplicationState.RUNNING, ordo.state());
    assertTrue(calls.contains("open jdbc:orders com.acme.Pool[orders]"), calls.toString());
    assertTrue(calls.contains("open jdbc:users com.acme.Pool[users]"), calls.toString());
    // Scorer's managed resource, given by Hooks.resources(), loaded with its start.
    Class<?> scorer = loader.loadClass("com.acme.Scorer");
    assertEquals(List.of("model"), ordo.resources().get("com.acme.Scorer").stream()
        .map(r -> r.name()).collect(Collectors.toList()));
    dev.ordo.runtime.resources.ManagedResource<?> model = ordo.resources().get("com.acme.Scorer").get(0);
    assertEquals(dev.ordo.runtime.resources.ResourceState.READY, model.state(), "loaded with Scorer's start");
    assertEquals(java.util.Optional.of(model.initialVersion()), model.currentVersion());
    assertEquals(dev.ordo.runtime.ComponentState.RUNNING, ordo.component(scorer).state());
    for (String call : List.of("migrate", "warm", "hidden", "open", "scorer")) {
      assertTrue(calls.contains(call), call + " in " + calls);
    }
    assertTrue(calls.indexOf("migrate") > calls.indexOf("open jdbc:users com.acme.Pool[users]"), calls.toString());

    Map<String, CheckResult> checks = new TreeMap<>();
    for (CheckResult r : ordo.health().refresh().checks()) {
      checks.put(r.component() + "/" + r.name(), r);
    }
    assertEquals(List.of("com.acme.Pool[orders]/alive", "com.acme.Pool[users]/alive", "com.acme.Quiet/fine",
        "com.acme.Store/disk", "com.acme.Store/ping", "com.acme.Store/rows"), List.copyOf(checks.keySet()));
    assertTrue(checks.get("com.acme.Pool[orders]/alive").isUp());
    assertTrue(checks.get("com.acme.Store/ping").isUp());
    assertTrue(checks.get("com.acme.Quiet/fine").isUp());
    assertFalse(checks.get("com.acme.Store/rows").isUp());
    assertEquals(0, checks.get("com.acme.Store/rows").last().details().get("rows"));
    assertFalse(checks.get("com.acme.Store/disk").isUp());
    assertEquals("disk full", checks.get("com.acme.Store/disk").error().getMessage());

    calls.clear();
    ordo.stop();
    assertEquals(ApplicationState.STOPPED, ordo.state());
    // Reverse order: Open (after Store) ends before Store flushes, the pools close last.
    assertEquals(List.of("end", "flush"), calls.stream().filter(c -> c.equals("end") || c.equals("flush"))
        .collect(Collectors.toList()));
    assertTrue(calls.indexOf("flush") < calls.indexOf("close jdbc:orders"), calls.toString());
    assertTrue(calls.indexOf("flush") < calls.indexOf("close jdbc:users"), calls.toString());
  }

  @Test
  void aLargeApplicationDispatchesPartByPart() throws Exception {
    List<JavaFileObject> sources = new java.util.ArrayList<>();
    int n = 450;
    for (int i = 0; i < n; i++) {
      String dependency = i == 0 ? "" : "C" + (i - 1) + " previous";
      sources.add(JavaFileObjects.forSourceLines("com.big.C" + i,
          "package com.big;",
          "import dev.ordo.*;",
          "public class C" + i + " {",
          "  public C" + i + "(" + dependency + ") {}",
          "  @OnStartup void start() { Started.COUNT.incrementAndGet(); }",
          "  @HealthCheck boolean up() { return true; }",
          "}"));
    }
    sources.add(JavaFileObjects.forSourceLines("com.big.Started",
        "package com.big;",
        "public final class Started {",
        "  public static final java.util.concurrent.atomic.AtomicInteger COUNT = new java.util.concurrent.atomic.AtomicInteger();",
        "  private Started() {}",
        "}"));
    sources.add(JavaFileObjects.forSourceLines("com.big.Big",
        "package com.big;",
        "@dev.ordo.OrdoApplication public interface Big {}"));
    Compilation compilation = Sources.compile(sources.toArray(new JavaFileObject[0]));
    assertThat(compilation).succeeded();
    String source = compilation.generatedSourceFile("com.big.OrdoBig").orElseThrow()
        .getCharContent(false).toString();
    assertTrue(source.contains("Calls the hooks of the components 400 to 449"), "one Hooks per part");
    assertFalse(source.contains("_Lifecycle.of("), "no controller class is used");

    ClassLoader loader = new GeneratedCodeTest.GeneratedClassLoader(compilation);
    Class<?> assembly = loader.loadClass("com.big.OrdoBig");
    Object builder = assembly.getMethod("builder").invoke(null);
    Ordo ordo = (Ordo) assembly.getMethod("ordo").invoke(builder.getClass().getMethod("build").invoke(builder));
    ordo.start();
    try {
      Object count = loader.loadClass("com.big.Started").getField("COUNT").get(null);
      assertEquals(n, ((java.util.concurrent.atomic.AtomicInteger) count).get());
      List<CheckResult> checks = ordo.health().refresh().checks();
      assertEquals(n, checks.size());
      assertTrue(checks.stream().allMatch(CheckResult::isUp));
    } finally {
      ordo.stop();
    }
  }
}
