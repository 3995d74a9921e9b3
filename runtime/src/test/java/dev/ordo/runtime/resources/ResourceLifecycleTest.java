package dev.ordo.runtime.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.LifecycleContext;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.StartupFailedException;
import dev.ordo.runtime.events.Event;
import dev.ordo.runtime.events.EventOptions;
import dev.ordo.runtime.events.InMemoryEventSink;
import dev.ordo.runtime.health.HealthProbe;
import dev.ordo.runtime.health.HealthReport;
import dev.ordo.runtime.health.ResourceHealth;
import dev.ordo.runtime.metrics.OrdoMetrics;
import dev.ordo.runtime.resources.ManagedResourceTest.FakeLoader;
import dev.ordo.runtime.resources.ManagedResourceTest.FakeModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Managed resources of components: loaded at the start, in health, metrics and events, closed after the stop hook. */
class ResourceLifecycleTest {
  /** A component with one managed resource, whose hooks log what they see of it. */
  static final class Scorer {
    final ManagedResource<FakeModel> model;
    final List<String> log = new CopyOnWriteArrayList<>();

    Scorer(ManagedResource<FakeModel> model) {
      this.model = model;
    }
  }

  static LifecycleController<Scorer> controller(Scorer scorer, boolean critical) {
    ComponentDescriptor.Builder d = ComponentDescriptor.builder(Scorer.class)
        .onStartup("start", null).onShutdown("stop", null).resources("model");
    if (critical) {
      d.critical();
    }
    return new LifecycleController<>(d.build(), scorer) {
      @Override
      public CompletionStage<?> start(LifecycleContext context) {
        scorer.log.add("start hook: " + scorer.model.currentVersion().orElse("none"));
        return COMPLETED;
      }

      @Override
      public CompletionStage<?> stop(LifecycleContext context) {
        scorer.log.add("stop hook: " + scorer.model.state());
        return COMPLETED;
      }

      @Override
      public List<ManagedResource<?>> resources() {
        return List.of(scorer.model);
      }
    };
  }

  @Test
  void metricEventsCarryTheResourcesUsage() throws Exception {
    FakeLoader loader = new FakeLoader();
    Scorer scorer = new Scorer(ManagedResource.builder("scoring-model", loader).initialVersion("v1").build());
    InMemoryEventSink sink = new InMemoryEventSink();
    Ordo app = Ordo.builder().controller(controller(scorer, true))
        .events(EventOptions.defaults().sink(sink).metricsInterval(java.time.Duration.ofMillis(50))).build();
    app.start();
    try (Lease<FakeModel> lease = scorer.model.acquire()) {
      lease.get();
    }
    String type = "dev.ordo.metric.recorded";
    // A snapshot taken after the lease above was released counts its use.
    int before = sink.ofType(type).size();
    assertNotNull(sink.await(e -> sink.ofType(type).size() > before + 1, java.time.Duration.ofSeconds(30)));
    List<dev.ordo.runtime.events.Event> snapshots = sink.ofType(type);
    com.fasterxml.jackson.databind.JsonNode data = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(snapshots.get(snapshots.size() - 1).toJson()).get("data");
    com.fasterxml.jackson.databind.JsonNode r = data.get("resources").get(0);
    assertEquals(Scorer.class.getCanonicalName(), r.get("component").asText());
    assertEquals("scoring-model", r.get("resource").asText());
    assertEquals("READY", r.get("state").asText());
    assertEquals("v1", r.get("currentVersion").asText());
    assertEquals(0, r.get("leasesInUse").asLong());
    assertEquals(1, r.get("loads").asLong());
    assertEquals("v1", r.get("versions").get(0).get("version").asText());
    assertEquals(1, r.get("versions").get(0).get("uses").asLong());
    app.stop();
  }

  @Test
  void anEagerResourceLoadsBeforeTheStartHookAndClosesAfterTheStopHook() throws Exception {
    FakeLoader loader = new FakeLoader();
    Scorer scorer = new Scorer(ManagedResource.builder("scoring-model", loader).initialVersion("v1").build());
    InMemoryEventSink sink = new InMemoryEventSink();
    Ordo app = Ordo.builder().controller(controller(scorer, true)).events(EventOptions.defaults().sink(sink)).build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new OrdoMetrics(app).bindTo(registry);
    app.start();
    assertEquals(List.of("start hook: v1"), scorer.log);
    assertEquals(List.of(scorer.model), app.resources().get(Scorer.class.getCanonicalName()));

    try (Lease<FakeModel> lease = scorer.model.acquire()) {
      HealthReport report = app.health().report();
      ResourceHealth health = report.resources().get(0);
      assertEquals("scoring-model", health.resource());
      assertEquals("v1", health.version());
      assertEquals(ResourceState.READY, health.state());
      assertEquals(1, health.leasesInUse());
      String json = report.json(HealthProbe.READY, false);
      assertTrue(json.contains("\"name\":\"" + Scorer.class.getCanonicalName() + ".resource.scoring-model\""), json);
      assertTrue(json.contains("\"version\":\"v1\""), json);
      assertEquals(1.0, registry.get("ordo.resource.leases").gauge().value());
    }
    scorer.model.swap("v2");
    assertThrows(SwapFailedException.class, () -> scorer.model.swap("bad"));
    ResourceHealth after = app.health().report().resources().get(0);
    assertEquals("v2", after.version());
    assertEquals(List.of("v2", "v1"), after.versions());
    assertTrue(after.lastSwapError().contains("cannot parse bad"), after.lastSwapError());
    assertTrue(app.health().report().json(HealthProbe.READY, false).contains("\"version\":\"v2\""));

    assertEquals(2.0, registry.get("ordo.resource.loads").functionCounter().count());
    assertEquals(1.0, registry.get("ordo.resource.swaps").functionCounter().count());
    assertEquals(1.0, registry.get("ordo.resource.failures").functionCounter().count());
    assertEquals(2, registry.get("ordo.resource.load").timer().count());
    assertEquals(1.0, registry.get("ordo.resource.uses").tag("version", "v1").functionCounter().count());

    app.stop();
    assertEquals(List.of("start hook: v1", "stop hook: READY"), scorer.log);
    assertEquals(ResourceState.CLOSED, scorer.model.state());
    assertTrue(loader.last("v1").closed());
    assertTrue(loader.last("v2").closed());
    for (String type : List.of("resource.loaded", "resource.swapped", "resource.swap-failed", "resource.unloaded")) {
      assertFalse(sink.ofType("dev.ordo." + type).isEmpty(), type + " in " + sink.events());
    }
    Event swapped = sink.ofType("dev.ordo.resource.swapped").get(0);
    assertEquals("v1", swapped.data().get("from"));
    assertEquals("v2", swapped.data().get("to"));
    assertEquals(Scorer.class.getCanonicalName(), swapped.subject());
    Event failed = sink.ofType("dev.ordo.resource.swap-failed").get(0);
    assertEquals("load-failed", failed.data().get("reason"));
    assertEquals("v2", failed.data().get("current"));
    assertNotNull(app.events().catalog().entry("dev.ordo.resource.unloaded").orElse(null));
  }

  @Test
  void aFailedEagerLoadFailsACriticalComponentsStart() {
    Scorer scorer = new Scorer(ManagedResource.builder("m", new FakeLoader()).initialVersion("bad-v1").build());
    Ordo app = Ordo.builder().controller(controller(scorer, true)).build();
    StartupFailedException e = assertThrows(StartupFailedException.class, app::start);
    assertTrue(e.getMessage().contains("cannot parse bad-v1"), e.getMessage());
    assertEquals(List.of(), scorer.log, "the start hook did not run");
  }

  @Test
  void aFailedEagerLoadOfAnOptionalComponentDegradesTheApplication() {
    Scorer scorer = new Scorer(ManagedResource.builder("m", new FakeLoader()).initialVersion("bad-v1").build());
    Ordo app = Ordo.builder().controller(controller(scorer, false)).build();
    app.start();
    try {
      assertTrue(app.isDegraded());
      assertEquals(ComponentState.FAILED, app.component(Scorer.class).state());
      assertTrue(app.component(Scorer.class).failure() instanceof SwapFailedException);
    } finally {
      app.stop();
    }
  }

  @Test
  void aStartHookThatFailsClosesTheResourcesItsStartLoaded() {
    FakeLoader loader = new FakeLoader();
    Scorer scorer = new Scorer(ManagedResource.builder("m", loader).initialVersion("v1").build());
    LifecycleController<Scorer> failing = new LifecycleController<>(ComponentDescriptor.builder(Scorer.class)
        .onStartup("start", null).resources("model").build(), scorer) {
      @Override
      public CompletionStage<?> start(LifecycleContext context) {
        throw new IllegalStateException("no GPU");
      }

      @Override
      public List<ManagedResource<?>> resources() {
        return List.of(scorer.model);
      }
    };
    Ordo app = Ordo.builder().controller(failing).build();
    app.start();
    try {
      assertEquals(ComponentState.FAILED, app.component(Scorer.class).state());
      assertEquals(ResourceState.CLOSED, scorer.model.state());
      assertEquals(1, loader.loads.get());
    } finally {
      app.stop();
    }
    while (!loader.last("v1").closed()) {
      Thread.onSpinWait();
    }
  }

  @Test
  void aLazyResourceWaitsForItsFirstAcquire() {
    FakeLoader loader = new FakeLoader();
    Scorer scorer = new Scorer(ManagedResource.builder("m", loader).initialVersion("v1").lazy().build());
    Ordo app = Ordo.builder().controller(controller(scorer, true)).build();
    app.start();
    try {
      assertEquals(List.of("start hook: none"), scorer.log);
      assertEquals(0, loader.loads.get());
      assertEquals(ResourceState.UNLOADED, app.health().report().resources().get(0).state());
      try (Lease<FakeModel> lease = scorer.model.acquire()) {
        assertEquals("v1", lease.version());
      }
    } finally {
      app.stop();
    }
  }

  @Test
  void theStopWaitsForLeasesWithinItsBudgetThenForceClosesAndReports() throws Exception {
    FakeLoader loader = new FakeLoader();
    Scorer scorer = new Scorer(ManagedResource.builder("m", loader).initialVersion("v1").build());
    InMemoryEventSink sink = new InMemoryEventSink();
    Ordo app = Ordo.builder().controller(controller(scorer, true))
        .componentShutdownTimeout(Duration.ofMillis(200))
        .events(EventOptions.defaults().sink(sink))
        .build();
    app.start();
    Lease<FakeModel> held = scorer.model.acquire();
    app.stop();
    // The forced close is reported at once; its unloader runs on a thread of its own.
    Event unloaded = sink.await(e -> e.type().equals("dev.ordo.resource.unloaded"), Duration.ofSeconds(30));
    assertNotNull(unloaded);
    while (!loader.last("v1").closed()) {
      Thread.sleep(1);
    }
    assertEquals(Boolean.TRUE, unloaded.data().get("forced"));
    assertEquals(1, scorer.model.forcedUnloads());
    held.close();
  }

  @Test
  void aLeaseReleasedDuringTheStopLetsTheVersionCloseWithoutForce() throws Exception {
    FakeLoader loader = new FakeLoader();
    Scorer scorer = new Scorer(ManagedResource.builder("m", loader).initialVersion("v1").build());
    Ordo app = Ordo.builder().controller(controller(scorer, true))
        .componentShutdownTimeout(Duration.ofMinutes(5))
        .build();
    app.start();
    Lease<FakeModel> held = scorer.model.acquire();
    Thread releaser = new Thread(() -> {
      while (scorer.model.state() != ResourceState.CLOSED) {
        Thread.onSpinWait();
      }
      assertFalse(loader.last("v1").closed(), "closed while leased");
      held.close();
    });
    releaser.start();
    app.stop();
    releaser.join();
    assertTrue(loader.last("v1").closed());
    assertEquals(0, scorer.model.forcedUnloads());
  }

  @Test
  void aControllerWhoseResourcesDoNotMatchItsDescriptorIsRefused() {
    Scorer scorer = new Scorer(ManagedResource.builder("m", new FakeLoader()).initialVersion("v1").build());
    LifecycleController<Scorer> wrong = new LifecycleController<>(
        ComponentDescriptor.builder(Scorer.class).onStartup("start", null).build(), scorer) {
      @Override
      public List<ManagedResource<?>> resources() {
        return List.of(scorer.model);
      }
    };
    assertThrows(IllegalArgumentException.class, () -> Ordo.builder().controller(wrong).build());
  }
}
