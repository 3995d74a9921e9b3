package dev.ordo.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordo.runtime.events.Event;
import dev.ordo.runtime.events.EventCatalog;
import dev.ordo.runtime.events.EventOptions;
import dev.ordo.runtime.events.InMemoryEventSink;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code <prefix>.metric.recorded} ({@code ordo.events.metrics-interval}): snapshots of the
 * application's own figures while it runs, a last one after its components stopped, none before
 * RUNNING or after the shutdown, off by default, listed in the catalog.
 */
class MetricEventsTest {
  private final ScriptedController.Script script = new ScriptedController.Script();

  private Ordo app(EventOptions events) {
    return Ordo.builder()
        .controller(script.component("db").critical().onStart(c -> {
          Thread.sleep(20);
          return null;
        }).build())
        .controller(script.component("api").dependsOn("db").build())
        .events(events)
        .build();
  }

  @Test
  void snapshotsArePublishedEveryIntervalWhileRunningAndOnceMoreAtTheEnd() throws Exception {
    InMemoryEventSink sink = new InMemoryEventSink();
    Ordo app = app(EventOptions.defaults().typePrefix("com.acme").sink(sink).metricsInterval(Duration.ofMillis(50)));
    app.start();
    for (int n = 1; n <= 3; n++) {
      int count = n;
      assertNotNull(sink.await(e -> sink.ofType("com.acme.metric.recorded").size() >= count, Duration.ofSeconds(30)),
          "metric event " + n);
    }
    Event running = sink.ofType("com.acme.metric.recorded").get(0);
    JsonNode data = new ObjectMapper().readTree(running.toJson()).get("data");
    assertEquals("RUNNING", data.get("state").asText());
    assertEquals("UP", data.get("health").asText());
    assertEquals(0, data.get("inFlight").asLong());
    assertTrue(data.get("eventsPublished").asLong() > 0, data.toString());
    assertEquals(0, data.get("eventsDropped").asLong());
    assertTrue(data.get("uptimeMs").asDouble() > 0);
    JsonNode db = data.get("components").get(0);
    assertEquals("db", db.get("component").asText());
    assertTrue(db.get("critical").asBoolean());
    assertEquals("RUNNING", db.get("state").asText());
    assertTrue(db.get("startupMs").asDouble() >= 20, db.toString());
    assertTrue(db.get("shutdownMs").isNull());

    app.stop();
    List<Event> all = sink.events();
    int last = -1;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).type().equals("com.acme.metric.recorded")) {
        last = i;
      }
    }
    JsonNode end = new ObjectMapper().readTree(all.get(last).toJson()).get("data");
    assertEquals("STOPPING", end.get("state").asText(), "the last snapshot, after the components stopped");
    assertFalse(end.get("components").get(0).get("shutdownMs").isNull(), end.toString());
    assertEquals("com.acme.application.stopped", all.get(all.size() - 1).type(), "the application's end comes last");
    int after = sink.ofType("com.acme.metric.recorded").size();
    Thread.sleep(200);
    assertEquals(after, sink.ofType("com.acme.metric.recorded").size(), "no snapshot after the shutdown");
    assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().endsWith("-metrics") && t.isAlive()),
        () -> "the metrics thread is gone: " + Thread.getAllStackTraces().entrySet().stream()
            .filter(e -> e.getKey().getName().endsWith("-metrics"))
            .map(e -> e.getKey().getName() + " " + e.getKey().getState() + " " + java.util.Arrays.toString(e.getValue()))
            .collect(java.util.stream.Collectors.toList()));
  }

  @Test
  void offByDefault() throws Exception {
    InMemoryEventSink sink = new InMemoryEventSink();
    Ordo app = app(EventOptions.defaults().sink(sink));
    app.start();
    Thread.sleep(100);
    app.stop();
    assertTrue(sink.ofType("dev.ordo.metric.recorded").isEmpty());
    assertTrue(sink.ofType("dev.ordo.component.started").size() == 2);
  }

  @Test
  void anInvalidIntervalFailsAtBuildNamingTheKeyAndTheValue() {
    System.setProperty("ordo.events.metrics-interval", "often");
    try {
      ConfigurationException e = assertThrows(ConfigurationException.class,
          () -> app(EventOptions.defaults().sink(new InMemoryEventSink())));
      assertTrue(e.getMessage().contains("ordo.events.metrics-interval") && e.getMessage().contains("'often'"),
          e.getMessage());
    } finally {
      System.clearProperty("ordo.events.metrics-interval");
    }
    ConfigurationException zero = assertThrows(ConfigurationException.class,
        () -> app(EventOptions.defaults().sink(new InMemoryEventSink()).metricsInterval(Duration.ZERO)));
    assertTrue(zero.getMessage().contains("ordo.events.metrics-interval"), zero.getMessage());
  }

  @Test
  void anIntervalLongerThanTheNanosecondRangeGivesTheFirstSnapshotAndTheLast() throws Exception {
    // 3000000h (342 years) parses; past a long of nanoseconds it means "never again", not a failure.
    for (EventOptions options : List.of(
        EventOptions.defaults().metricsInterval(Duration.ofHours(3_000_000)),
        EventOptions.defaults().metricsInterval(dev.ordo.runtime.Durations.LONGEST))) {
      InMemoryEventSink sink = new InMemoryEventSink();
      Ordo app = app(options.sink(sink));
      app.start();
      assertNotNull(sink.await(e -> sink.ofType("dev.ordo.metric.recorded").size() >= 1, Duration.ofSeconds(30)),
          "the snapshot taken as it becomes RUNNING");
      app.stop();
      List<Event> metrics = sink.ofType("dev.ordo.metric.recorded");
      assertEquals(2, metrics.size(), "one at RUNNING, one at the end: " + metrics);
    }
    System.setProperty("ordo.events.metrics-interval", "3000000h");
    try {
      InMemoryEventSink sink = new InMemoryEventSink();
      Ordo app = app(EventOptions.defaults().sink(sink));
      app.start();
      app.stop();
      assertEquals(2, sink.ofType("dev.ordo.metric.recorded").size());
    } finally {
      System.clearProperty("ordo.events.metrics-interval");
    }
  }

  @Test
  void aTinyIntervalNeitherHoldsUpTheShutdownNorOutlivesIt() throws Exception {
    InMemoryEventSink sink = new InMemoryEventSink();
    Ordo app = app(EventOptions.defaults().sink(sink).queueSize(64).metricsInterval(Duration.ofNanos(1)));
    app.start();
    assertNotNull(sink.await(e -> sink.ofType("dev.ordo.metric.recorded").size() >= 10, Duration.ofSeconds(30)));
    app.stop();
    assertEquals(ApplicationState.STOPPED, app.state());
    List<Event> all = sink.events();
    assertEquals("dev.ordo.application.stopped", all.get(all.size() - 1).type(), "the application's end comes last");
    assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().endsWith("-metrics") && t.isAlive()),
        () -> "the metrics thread is gone: " + Thread.getAllStackTraces().entrySet().stream()
            .filter(e -> e.getKey().getName().endsWith("-metrics"))
            .map(e -> e.getKey().getName() + " " + e.getKey().getState() + " " + java.util.Arrays.toString(e.getValue()))
            .collect(java.util.stream.Collectors.toList()));
  }

  @Test
  void theCatalogListsIt() {
    EventCatalog.Entry entry = EventCatalog.load(getClass().getClassLoader(), "dev.ordo")
        .entry("dev.ordo.metric.recorded").orElseThrow();
    assertEquals("metric", entry.kind());
    assertEquals(List.of("application", "state", "uptimeMs", "health", "inFlight", "eventsPublished", "eventsDropped",
        "components", "resources"), entry.fieldNames());
  }
}
