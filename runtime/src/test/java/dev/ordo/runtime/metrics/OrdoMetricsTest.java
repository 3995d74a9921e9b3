package dev.ordo.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.LifecycleContext;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.RequestTracker;
import dev.ordo.runtime.events.EventOptions;
import dev.ordo.runtime.events.InMemoryEventSink;
import dev.ordo.runtime.events.Operation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The meters, read from a {@link SimpleMeterRegistry}. */
class OrdoMetricsTest {
  record Part(String name) {}

  private static LifecycleController<Part> part(String name, boolean failStart, String... dependsOn) {
    ComponentDescriptor.Builder b = ComponentDescriptor.builder(Part.class).key(name)
        .onStartup("start", null).onShutdown("stop", null);
    for (String d : dependsOn) {
      b.dependsOn(d);
    }
    return new LifecycleController<>(b.build(), new Part(name)) {
      @Override
      public CompletionStage<?> start(LifecycleContext context) throws Exception {
        Thread.sleep(5);
        if (failStart) {
          throw new IllegalStateException("cannot start " + name);
        }
        return COMPLETED;
      }
    };
  }

  @Test
  void lifecycleEventsRequestsAndOperationsAreMeasured() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Ordo app = Ordo.builder()
        .controller(part("store", false))
        .controller(part("search", true))
        .controller(part("api", false, "store"))
        .events(EventOptions.defaults().sink(new InMemoryEventSink()))
        .build();
    OrdoMetrics metrics = new OrdoMetrics(app);
    metrics.bindTo(registry);
    assertThrows(IllegalStateException.class, () -> metrics.bindTo(registry));
    assertEquals(1.0, registry.get("ordo.application.state").tag("state", "NEW").gauge().value());
    app.start();

    assertEquals(1.0, registry.get("ordo.application.state").tag("state", "RUNNING").gauge().value());
    assertEquals(0.0, registry.get("ordo.application.state").tag("state", "NEW").gauge().value());
    assertEquals(1, registry.get("ordo.component.startup").tags("component", "store", "outcome", "success").timer().count());
    assertTrue(registry.get("ordo.component.startup").tags("component", "store", "outcome", "success").timer()
        .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS) >= 4);
    assertEquals(1, registry.get("ordo.component.startup").tags("component", "search", "outcome", "failure").timer().count());
    assertEquals(1.0, registry.get("ordo.component.health").tag("component", "store").gauge().value());
    assertEquals(0.0, registry.get("ordo.component.health").tag("component", "search").gauge().value());

    RequestTracker.Ticket ticket = app.requestTracker().enter();
    assertEquals(1.0, registry.get("ordo.requests.inflight").gauge().value());
    ticket.close();
    assertEquals(0.0, registry.get("ordo.requests.inflight").gauge().value());

    Operation checkout = app.events().operation("com.acme.Checkout", "checkout");
    checkout.run("1", () -> {});
    checkout.run("2", () -> {});
    assertThrows(IllegalStateException.class, () -> checkout.run("3", () -> {
      throw new IllegalStateException("declined");
    }));
    assertEquals(2, registry.get("ordo.operation")
        .tags("component", "com.acme.Checkout", "operation", "checkout", "outcome", "success").timer().count());
    assertEquals(1, registry.get("ordo.operation")
        .tags("component", "com.acme.Checkout", "operation", "checkout", "outcome", "failure").timer().count());

    app.stop();
    assertEquals(1.0, registry.get("ordo.application.state").tag("state", "STOPPED").gauge().value());
    assertEquals(1, registry.get("ordo.component.shutdown").tags("component", "api", "outcome", "success").timer().count());
    double published = registry.get("ordo.events.published").functionCounter().count();
    assertEquals(app.events().stats().published(), (long) published);
    assertTrue(published > 10, "published " + published);
    assertEquals(0.0, registry.get("ordo.events.dropped").functionCounter().count());

    String summary = metrics.summary();
    assertTrue(summary.contains("ordo.component.startup{component=store,outcome=success} count=1"), summary);
    assertTrue(summary.contains("ordo.operation{component=com.acme.Checkout,operation=checkout,outcome=success} count=2"),
        summary);
    assertTrue(summary.contains("ordo.events.dropped 0"), summary);
    assertEquals(published, registry.get("ordo.events.delivered").tag("sink", "in-memory").functionCounter().count());
    assertEquals(0.0, registry.get("ordo.events.failed").tag("sink", "in-memory").functionCounter().count());
  }

  @Test
  void eventsThatCouldNotBeWrittenAreCountedAsFailedPerSink() {
    assumeTrue(Files.isWritable(Path.of("/dev/full")), "needs /dev/full");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Ordo app = Ordo.builder()
        .controller(part("store", false))
        .events(EventOptions.defaults().file(Path.of("/dev/full")).sink(new InMemoryEventSink())
            .sink(new InMemoryEventSink()))
        .build();
    new OrdoMetrics(app).bindTo(registry);
    app.start();
    app.stop();
    double published = registry.get("ordo.events.published").functionCounter().count();
    assertEquals(0.0, registry.get("ordo.events.delivered").tag("sink", "json-lines:/dev/full").functionCounter().count());
    assertEquals(published, registry.get("ordo.events.failed").tag("sink", "json-lines:/dev/full").functionCounter().count());
    assertEquals(0.0, registry.get("ordo.events.sink.dropped").tag("sink", "json-lines:/dev/full").functionCounter().count());
    assertEquals(published, registry.get("ordo.events.delivered").tag("sink", "in-memory").functionCounter().count());
    assertEquals(published, registry.get("ordo.events.delivered").tag("sink", "in-memory#2").functionCounter().count(),
        "two sinks of one name are told apart");
  }

  @Test
  void keyedInstancesOfOneClassHaveMetersOfTheirOwn() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Ordo app = Ordo.builder()
        .controller("orders-db", part("pool", false))
        .controller("users-db", part("pool", true))
        .build();
    new OrdoMetrics(app).bindTo(registry);
    app.start();
    try {
      assertEquals(1.0, registry.get("ordo.component.health").tag("component", "pool[orders-db]").gauge().value());
      assertEquals(0.0, registry.get("ordo.component.health").tag("component", "pool[users-db]").gauge().value());
      assertEquals(1, registry.get("ordo.component.startup")
          .tags("component", "pool[orders-db]", "outcome", "success").timer().count());
      assertEquals(1, registry.get("ordo.component.startup")
          .tags("component", "pool[users-db]", "outcome", "failure").timer().count());
    } finally {
      app.stop();
    }
  }
}
