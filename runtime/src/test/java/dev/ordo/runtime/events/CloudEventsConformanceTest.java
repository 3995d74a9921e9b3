package dev.ordo.runtime.events;

import static dev.ordo.runtime.events.Parts.part;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.LifecycleContext;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.RetryPolicy;
import dev.ordo.runtime.ShutdownReport;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every event the runtime writes is a CloudEvents 1.0 event as the reference SDK reads it, with
 * its required attributes, the {@code correlationid} extension and the data its catalog entry
 * declares; and the catalog lists every type actually emitted.
 */
class CloudEventsConformanceTest {
  private static final EventFormat FORMAT = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** RFC 3339 in UTC, as the runtime writes it. */
  private static final Pattern RFC_3339_UTC =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");

  @Test
  void everyEventOfARunParsesAsACloudEventWithItsDeclaredData(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("events").resolve("app.jsonl");
    InMemoryEventSink memory = new InMemoryEventSink();
    Ordo app = Ordo.builder()
        .controller(part("store", true, Parts.NOTHING, Parts.NOTHING))
        .controller(part("search", false, () -> {
          throw new IllegalStateException("index \"corrupt\"\n\tline 2");
        }, Parts.NOTHING))
        .controller(part("recommendations", "search"))
        .controller(part("api", "store"))
        .events(EventOptions.defaults().file(file).sink(memory).typePrefix("com.acme").source("/shop/web-1"))
        .build();
    app.start();
    Operation checkout = app.events().operation("com.acme.Checkout", "checkout");
    assertEquals(7, (int) checkout.call("req-1", () -> 7));
    assertThrows(IllegalArgumentException.class, () -> checkout.run("req-2", () -> {
      throw new IllegalArgumentException("out of stock: ünïcödé \u2028 \u0001");
    }));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("orderId", 42L);
    data.put("item", "espresso \"beans\"");
    assertTrue(app.events().publish("com.acme.Checkout", "order-placed", "req-1", data));
    ShutdownReport report = app.stop();
    assertEquals(0, report.exitCode());

    List<String> lines = Files.readAllLines(file, UTF_8);
    assertEquals(memory.size(), lines.size(), "the file and the in-memory sink got the same events");
    assertTrue(lines.size() >= 20, "got " + lines.size());
    Set<String> types = assertConform(lines, app.events().catalog(), "com.acme.", "/shop/web-1");
    for (String expected : List.of("com.acme.application.starting", "com.acme.application.started",
        "com.acme.application.draining", "com.acme.application.stopping", "com.acme.application.stopped",
        "com.acme.component.starting", "com.acme.component.started", "com.acme.component.failed",
        "com.acme.component.skipped", "com.acme.component.stopping", "com.acme.component.stopped",
        "com.acme.checkout.started", "com.acme.checkout.completed", "com.acme.checkout.failed",
        "com.acme.order-placed")) {
      assertTrue(types.contains(expected), expected + " was emitted; got " + types);
    }
  }

  @Test
  void theEventsOfAManagedResourceConformToo(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("resources.jsonl");
    dev.ordo.runtime.resources.ManagedResource<AutoCloseable> model = dev.ordo.runtime.resources.ManagedResource
        .<AutoCloseable>builder("scoring-model", version -> {
          if (version.equals("broken")) {
            throw new IllegalArgumentException("not a model: \"broken\"");
          }
          return () -> { };
        })
        .initialVersion("v1").keep(1).build();
    ComponentDescriptor d = ComponentDescriptor.builder(Parts.Part.class).key("scorer").onStartup("start", null)
        .resources("model").build();
    Ordo app = Ordo.builder()
        .controller(new LifecycleController<>(d, new Parts.Part("scorer")) {
          @Override
          public List<dev.ordo.runtime.resources.ManagedResource<?>> resources() {
            return List.of(model);
          }
        })
        .events(EventOptions.defaults().file(file).typePrefix("com.acme").source("/shop/web-1"))
        .build();
    app.start();
    model.swap("v2");
    assertThrows(dev.ordo.runtime.resources.SwapFailedException.class, () -> model.swap("broken"));
    app.stop();
    Set<String> types = assertConform(Files.readAllLines(file, UTF_8), app.events().catalog(), "com.acme.",
        "/shop/web-1");
    for (String expected : List.of("com.acme.resource.loaded", "com.acme.resource.swapped",
        "com.acme.resource.swap-failed", "com.acme.resource.unloaded")) {
      assertTrue(types.contains(expected), expected + " was emitted; got " + types);
    }
  }

  @Test
  void theEventsOfASelfHealingComponentConformToo(@TempDir Path dir) throws Exception {
    // A start that fails once and is retried a millisecond later (on the real clock): the failed
    // attempt, the retry's transitions and component.recovered, for it and for its dependent.
    Path file = dir.resolve("heal.jsonl");
    java.util.concurrent.atomic.AtomicInteger starts = new java.util.concurrent.atomic.AtomicInteger();
    ComponentDescriptor cache = ComponentDescriptor.builder(Parts.Part.class).key("cache")
        .onStartup("start", null)
        .retry(RetryPolicy.backoff(java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(1)))
        .build();
    Ordo app = Ordo.builder()
        .controller(new LifecycleController<>(cache, new Parts.Part("cache")) {
          @Override
          public CompletionStage<?> start(LifecycleContext context) {
            if (starts.incrementAndGet() == 1) {
              throw new IllegalStateException("connection refused");
            }
            return COMPLETED;
          }
        })
        .controller(part("index", "cache"))
        .events(EventOptions.defaults().file(file).typePrefix("com.acme").source("/shop/web-1"))
        .build();
    app.start();
    long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (app.components().stream().anyMatch(c -> c.state() != dev.ordo.runtime.ComponentState.RUNNING)) {
      assertTrue(System.nanoTime() - end < 0, "no recovery: " + app.components());
      Thread.sleep(5);
    }
    assertEquals(0, app.stop().exitCode());
    Set<String> types = assertConform(Files.readAllLines(file, UTF_8), app.events().catalog(), "com.acme.",
        "/shop/web-1");
    assertTrue(types.contains("com.acme.component.recovered"), "got " + types);
    List<String> recovered = Files.readAllLines(file, UTF_8).stream()
        .filter(l -> l.contains("\"type\":\"com.acme.component.recovered\"")).toList();
    assertEquals(2, recovered.size(), recovered.toString());
    JsonNode first = JSON.readTree(recovered.get(0)).get("data");
    assertEquals("cache", first.get("component").asText());
    assertEquals("retry", first.get("reason").asText());
    assertEquals(2, first.get("attempts").asInt());
    assertEquals("java.lang.IllegalStateException", first.get("errorType").asText());
    assertEquals("connection refused", first.get("errorMessage").asText());
    JsonNode second = JSON.readTree(recovered.get(1)).get("data");
    assertEquals("index", second.get("component").asText());
    assertEquals("dependency", second.get("reason").asText());
    assertEquals(1, second.get("attempts").asInt());
  }

  @Test
  void operationAndLifecycleDataCarryWhatHappened() throws Exception {
    InMemoryEventSink sink = new InMemoryEventSink();
    Ordo app = Ordo.builder()
        .controller(part("search", false, () -> {
          throw new IllegalStateException("no index");
        }, Parts.NOTHING))
        .controller(part("recommendations", "search"))
        .events(EventOptions.defaults().sink(sink))
        .build();
    app.start();
    Operation refund = app.events().operation("com.acme.Checkout", "refund");
    assertThrows(IllegalStateException.class, () -> refund.run("r-9", () -> {
      throw new IllegalStateException("declined");
    }));
    app.stop();
    Event failed = sink.ofType("dev.ordo.refund.failed").get(0);
    assertEquals("r-9", failed.correlationId());
    assertEquals("com.acme.Checkout", failed.subject());
    assertEquals("java.lang.IllegalStateException", failed.get("errorType"));
    assertEquals("declined", failed.get("errorMessage"));
    assertTrue(((Double) failed.get("durationMs")) >= 0);

    Event componentFailed = sink.ofType("dev.ordo.component.failed").get(0);
    assertEquals("search", componentFailed.subject());
    assertEquals("no index", componentFailed.get("errorMessage"));
    assertEquals(false, componentFailed.get("critical"));
    Event skipped = sink.ofType("dev.ordo.component.skipped").get(0);
    assertEquals("recommendations", skipped.get("component"));
    assertEquals("dev.ordo.runtime.DependencyNotRunningException", skipped.get("errorType"));
    Event stopped = sink.ofType("dev.ordo.application.stopped").get(0);
    assertEquals("MANUAL", stopped.get("reason"));
    assertEquals(app.events().runId(), stopped.correlationId(), "lifecycle events carry the run's id");
    assertEquals("dev.ordo.application.stopped", sink.events().get(sink.size() - 1).type(),
        "the application's stop is the last event");
  }

  @Test
  void catalogMergesTheBuiltInEventsWithEveryModulesDeclarations() {
    EventCatalog catalog = EventCatalog.load(getClass().getClassLoader(), "dev.ordo");
    assertTrue(catalog.types().contains("dev.ordo.component.started"));
    EventCatalog.Entry placed = catalog.entry("dev.ordo.order-placed").orElseThrow();
    assertEquals("payload", placed.kind());
    assertEquals(List.of("com.acme.Checkout"), placed.components());
    assertEquals(List.of("orderId", "item"), placed.fieldNames());
    assertEquals(EventCatalog.operationFailedFields(), catalog.entry("dev.ordo.checkout.failed").orElseThrow().data());
    assertTrue(catalog.conflicts().isEmpty(), catalog.conflicts().toString());
    // The catalog's own JSON is JSON.
    assertTrue(catalog.toJson().startsWith("{\"events\":["));
  }

  @Test
  void catalogReportsConflictingDeclarationsAcrossModules() {
    String a = "{\"events\":[{\"type\":\"x\",\"kind\":\"payload\",\"components\":[\"A\"],"
        + "\"data\":[{\"name\":\"id\",\"type\":\"integer\",\"nullable\":false}]}]}";
    List<EventCatalog.Entry> first = EventCatalog.parse(a, "p");
    assertEquals("p.x", first.get(0).type());
    assertEquals(List.of(new EventCatalog.Field("id", "integer", false)), first.get(0).data());
  }

  @Test
  void jsonEscapingRoundTripsThroughJackson() throws Exception {
    String nasty = "q\"b\\s/\b\f\n\r\t\u0000\u001f\u007f\u2028\u2029 é 😀";
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("text", nasty);
    data.put("nan", Double.NaN);
    data.put("nothing", null);
    data.put("flag", true);
    Event e = new Event("1", "/s", "t", java.time.Instant.parse("2026-01-02T03:04:05.123456789Z"), nasty, nasty,
        data);
    JsonNode node = JSON.readTree(e.toJson());
    assertEquals(nasty, node.get("data").get("text").asText());
    assertEquals(nasty, node.get("subject").asText());
    assertEquals(nasty, node.get("correlationid").asText());
    assertEquals("NaN", node.get("data").get("nan").asText());
    assertTrue(node.get("data").get("nothing").isNull());
    assertEquals("2026-01-02T03:04:05.123456789Z", node.get("time").asText());
    CloudEvent parsed = FORMAT.deserialize(e.toJson().getBytes(UTF_8));
    assertEquals(nasty, parsed.getSubject());
  }

  /**
   * Parses every line with the CloudEvents SDK and checks its attributes and its data against the
   * catalog; returns the types seen.
   */
  private static Set<String> assertConform(List<String> lines, EventCatalog catalog, String prefix, String source)
      throws Exception {
    Set<String> ids = new HashSet<>();
    Set<String> types = new HashSet<>();
    for (String line : lines) {
      CloudEvent event = FORMAT.deserialize(line.getBytes(UTF_8));
      assertEquals(SpecVersion.V1, event.getSpecVersion());
      assertFalse(event.getId().isEmpty());
      assertTrue(ids.add(event.getId()), "ids are unique: " + event.getId());
      assertEquals(source, event.getSource().toString());
      assertTrue(event.getType().startsWith(prefix), event.getType());
      assertNotNull(event.getTime());
      assertEquals(ZoneOffset.UTC, event.getTime().getOffset());
      assertTrue(RFC_3339_UTC.matcher(JSON.readTree(line).get("time").asText()).matches(), line);
      assertEquals("application/json", event.getDataContentType());
      assertNotNull(event.getExtension("correlationid"), "correlationid on " + line);
      for (String name : event.getExtensionNames()) {
        assertTrue(name.matches("[a-z0-9]{1,20}"), "attribute name " + name);
      }
      types.add(event.getType());
      EventCatalog.Entry entry = catalog.entry(event.getType())
          .orElseThrow(() -> new AssertionError("not in the catalog: " + event.getType()));
      JsonNode payload = JSON.readTree(event.getData().toBytes());
      for (EventCatalog.Field field : entry.data()) {
        JsonNode value = payload.get(field.name());
        assertNotNull(value, field.name() + " in " + line);
        if (value.isNull()) {
          assertTrue(field.nullable(), field.name() + " is null in " + line);
        } else {
          switch (field.type()) {
            case "string":
              assertTrue(value.isTextual(), field.name() + " in " + line);
              break;
            case "number":
              assertTrue(value.isNumber(), field.name() + " in " + line);
              break;
            case "integer":
              assertTrue(value.isIntegralNumber(), field.name() + " in " + line);
              break;
            default:
              assertTrue(value.isBoolean(), field.name() + " in " + line);
          }
        }
      }
      assertEquals(entry.data().size(), payload.size(), "no undeclared data in " + line);
    }
    return types;
  }
}
