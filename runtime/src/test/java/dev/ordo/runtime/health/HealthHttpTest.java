package dev.ordo.runtime.health;

import static dev.ordo.runtime.health.HealthMonitorTest.RARELY;
import static dev.ordo.runtime.health.HealthMonitorTest.awaitFirstResults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.Health;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.RequestTracker;
import dev.ordo.runtime.ShutdownReport;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real HTTP requests against a started application's probes. */
@Timeout(60)
class HealthHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Schema schema;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void loadSchema() throws IOException {
    try (InputStream in = HealthHttpTest.class.getResourceAsStream("/microprofile-health.schema.json")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(text, InputFormat.JSON);
    }
  }

  /** The body, after checking it against the MicroProfile Health schema. */
  static JsonNode valid(String body) throws IOException {
    List<Error> errors = schema.validate(body, InputFormat.JSON);
    assertEquals(List.of(), errors, body);
    return JSON.readTree(body);
  }

  private HttpResponse<String> send(Ordo app, String method, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.healthPort().getAsInt() + path))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(10))
        .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(Ordo app, String path) throws Exception {
    return send(app, "GET", path);
  }

  static JsonNode check(JsonNode body, String name) {
    for (JsonNode c : body.get("checks")) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no check " + name + " in " + body);
  }

  private static Ordo.Builder withProbes() {
    return Ordo.builder().health(HealthOptions.defaults().port(0).interval(RARELY));
  }

  @Test
  void probesAnswerWithStatusCodesAndMicroProfileBodies() throws Exception {
    CheckedComponent store = CheckedComponent.component("store").critical()
        .check("ping", c -> Health.up().withDetail("connections", 4).withDetail("url", "jdbc:h2:mem:\"x\"\n"))
        .build();
    try (Ordo app = withProbes().controller(store).build()) {
      app.start();
      assertTrue(app.healthPort().getAsInt() > 0);
      awaitFirstResults(app);
      for (String path : List.of("/health", "/health/live", "/health/ready", "/health/started")) {
        HttpResponse<String> r = get(app, path);
        assertEquals(200, r.statusCode(), path + " " + r.body());
        assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
        JsonNode body = valid(r.body());
        assertEquals("UP", body.get("status").asText());
        JsonNode ordo = check(body, "ordo");
        assertEquals("RUNNING", ordo.get("data").get("state").asText());
      }
      JsonNode ready = valid(get(app, "/health/ready").body());
      JsonNode ping = check(ready, "store.ping");
      assertEquals("UP", ping.get("status").asText());
      assertEquals(4, ping.get("data").get("connections").asInt());
      assertEquals("jdbc:h2:mem:\"x\"\n", ping.get("data").get("url").asText(), "escaped and read back");
      assertEquals(0, check(ready, "ordo").get("data").get("inFlight").asInt());
      assertEquals("UP", check(ready, "ordo").get("data").get("health").asText());
      JsonNode live = valid(get(app, "/health/live").body());
      assertEquals(1, live.get("checks").size(), "liveness does not depend on checks");
    }
  }

  @Test
  void headHasTheStatusAndNoBody() throws Exception {
    try (Ordo app = withProbes().controller(CheckedComponent.component("a").build()).build()) {
      app.start();
      HttpResponse<String> head = send(app, "HEAD", "/health/ready");
      assertEquals(200, head.statusCode());
      assertEquals("", head.body());
      int length = get(app, "/health/ready").body().getBytes(StandardCharsets.UTF_8).length;
      assertEquals(String.valueOf(length), head.headers().firstValue("Content-Length").orElseThrow());
    }
  }

  @Test
  void otherMethodsAre405AndOtherPaths404() throws Exception {
    try (Ordo app = withProbes().controller(CheckedComponent.component("a").build()).build()) {
      app.start();
      for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
        HttpResponse<String> r = send(app, method, "/health");
        assertEquals(405, r.statusCode(), method);
        assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElseThrow(), method);
      }
      for (String path : List.of("/", "/healthz", "/health/", "/health/live/x", "/metrics")) {
        assertEquals(404, get(app, path).statusCode(), path);
      }
      assertEquals(200, get(app, "/health/live?verbose=true").statusCode(), "a query does not change the path");
    }
  }

  @Test
  void aCriticalCheckDownMakesReadinessAndHealth503ButNotLiveness() throws Exception {
    AtomicBoolean healthy = new AtomicBoolean(false);
    CheckedComponent store = CheckedComponent.component("store").critical()
        .check("ping", c -> healthy.get() ? Health.up() : Health.down("connection refused")).build();
    try (Ordo app = Ordo.builder().controller(store)
        .health(HealthOptions.defaults().port(0).interval(RARELY).successThreshold(1)).build()) {
      app.start();
      awaitFirstResults(app);
      HttpResponse<String> ready = get(app, "/health/ready");
      assertEquals(503, ready.statusCode());
      JsonNode body = valid(ready.body());
      assertEquals("DOWN", body.get("status").asText());
      JsonNode ping = check(body, "store.ping");
      assertEquals("DOWN", ping.get("status").asText());
      assertEquals("connection refused", ping.get("data").get("reason").asText());
      assertEquals("store.ping", check(body, "ordo").get("data").get("down").asText());
      assertEquals(503, get(app, "/health").statusCode());
      assertEquals(200, get(app, "/health/live").statusCode());
      assertEquals(200, get(app, "/health/started").statusCode());
      healthy.set(true);
      app.health().refresh();
      assertEquals(200, get(app, "/health/ready").statusCode());
    }
  }

  @Test
  void degradedIsReadyAndReported() throws Exception {
    CheckedComponent store = CheckedComponent.component("store").critical().check("ping", c -> Health.up()).build();
    CheckedComponent search = CheckedComponent.component("search")
        .check("ping", c -> Health.down("index closed")).build();
    CheckedComponent mailer = CheckedComponent.component("mailer").onStart(() -> {
      throw new IllegalStateException("smtp password=hunter2 rejected");
    }).build();
    try (Ordo app = withProbes().controller(store).controller(search).controller(mailer).build()) {
      app.start();
      awaitFirstResults(app);
      HttpResponse<String> ready = get(app, "/health/ready");
      assertEquals(200, ready.statusCode(), ready.body());
      JsonNode body = valid(ready.body());
      assertEquals("UP", body.get("status").asText());
      JsonNode ordo = check(body, "ordo").get("data");
      assertEquals("DEGRADED", ordo.get("health").asText());
      assertEquals("mailer FAILED, search.ping", ordo.get("degraded").asText());
      JsonNode ping = check(body, "search.ping");
      assertEquals("UP", ping.get("status").asText(), "an optional check does not take readiness down");
      assertEquals("DOWN", ping.get("data").get("result").asText());
      assertTrue(ping.get("data").get("degraded").asBoolean());
      JsonNode failed = check(body, "mailer");
      assertEquals("FAILED", failed.get("data").get("state").asText());
      assertFalse(ready.body().contains("hunter2"), "no exception text without ordo.health.details");
      assertEquals(200, get(app, "/health").statusCode());
    }
  }

  @Test
  void detailsShowWhatComponentsThrew() throws Exception {
    CheckedComponent mailer = CheckedComponent.component("mailer").onStart(() -> {
      throw new IllegalStateException("smtp \"down\"");
    }).build();
    try (Ordo app = Ordo.builder().controller(mailer).health(HealthOptions.defaults().port(0).details(true)).build()) {
      app.start();
      JsonNode body = valid(get(app, "/health").body());
      assertEquals("java.lang.IllegalStateException: smtp \"down\"",
          check(body, "mailer").get("data").get("error").asText());
    }
  }

  @Test
  void startupProbeIsDownWhileStartingAndLivenessUp() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch starting = new CountDownLatch(1);
    CheckedComponent slow = CheckedComponent.component("slow").onStart(() -> {
      starting.countDown();
      release.await();
    }).build();
    Ordo app = withProbes().controller(slow).build();
    CompletableFuture<Void> started = CompletableFuture.runAsync(app::start);
    try {
      assertTrue(starting.await(20, TimeUnit.SECONDS));
      HttpResponse<String> r = get(app, "/health/started");
      assertEquals(503, r.statusCode());
      assertEquals("STARTING", check(valid(r.body()), "ordo").get("data").get("state").asText());
      assertEquals(503, get(app, "/health/ready").statusCode());
      assertEquals(200, get(app, "/health/live").statusCode());
      release.countDown();
      started.get(20, TimeUnit.SECONDS);
      assertEquals(200, get(app, "/health/started").statusCode());
    } finally {
      release.countDown();
      app.stop();
    }
  }

  @Test
  void drainingIsNotReadyButLiveAndProbesAnswerUntilTheEnd() throws Exception {
    CountDownLatch stopping = new CountDownLatch(1);
    CountDownLatch finishStop = new CountDownLatch(1);
    CheckedComponent store = CheckedComponent.component("store").critical().check("ping", c -> Health.up()).build();
    // A stop hook that holds the application in STOPPING until the test lets it go.
    dev.ordo.runtime.LifecycleController<Object> holder = new dev.ordo.runtime.LifecycleController<>(
        dev.ordo.runtime.ComponentDescriptor.builder(Object.class).key("holder").onShutdown("hold", null).build(),
        new Object()) {
      @Override
      public java.util.concurrent.CompletionStage<?> stop(dev.ordo.runtime.LifecycleContext context)
          throws InterruptedException {
        stopping.countDown();
        finishStop.await(20, TimeUnit.SECONDS);
        return COMPLETED;
      }
    };
    Ordo app = withProbes().controller(store).controller(holder).build();
    app.start();
    awaitFirstResults(app);
    int port = app.healthPort().getAsInt();
    RequestTracker.Ticket ticket = app.requestTracker().enter();
    CompletableFuture<ShutdownReport> stop = CompletableFuture.supplyAsync(app::stop);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (app.state() != ApplicationState.DRAINING && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(ApplicationState.DRAINING, app.state());
      HttpResponse<String> ready = get(app, "/health/ready");
      assertEquals(503, ready.statusCode());
      JsonNode ordo = check(valid(ready.body()), "ordo");
      assertEquals("DOWN", ordo.get("status").asText());
      assertEquals("DRAINING", ordo.get("data").get("state").asText());
      assertEquals(1, ordo.get("data").get("inFlight").asInt());
      assertEquals(200, get(app, "/health/live").statusCode());
      assertEquals(200, get(app, "/health/started").statusCode());
      assertEquals(503, get(app, "/health").statusCode());

      ticket.close();
      assertTrue(stopping.await(20, TimeUnit.SECONDS));
      HttpResponse<String> late = get(app, "/health/ready");
      assertEquals(503, late.statusCode());
      assertEquals("STOPPING", check(valid(late.body()), "ordo").get("data").get("state").asText());
      assertEquals(200, get(app, "/health/live").statusCode());
    } finally {
      ticket.close();
      finishStop.countDown();
    }
    stop.get(30, TimeUnit.SECONDS);
    assertTrue(app.healthPort().isEmpty());
    HttpRequest after = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live"))
        .timeout(Duration.ofSeconds(5)).build();
    assertThrows(ConnectException.class, () -> client.send(after, HttpResponse.BodyHandlers.ofString()),
        "the probes close at the very end of the shutdown");
  }

  @Test
  void aProbeAnswersAtOnceWhileACheckHangs() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    CheckedComponent stuck = CheckedComponent.component("stuck").check("ping", Duration.ofMillis(100), null, c -> {
      never.await();
      return Health.up();
    }).build();
    try (Ordo app = withProbes().controller(stuck).build()) {
      app.start();
      long t0 = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        assertEquals(200, get(app, "/health/live").statusCode());
      }
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10));
      awaitFirstResults(app);
      JsonNode ping = check(valid(get(app, "/health/ready").body()), "stuck.ping");
      assertEquals("timed out after 100ms", ping.get("data").get("reason").asText());
    } finally {
      never.countDown();
    }
  }

  @Test
  void aPortInUseFailsStartNamingKeyAndPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Ordo app = Ordo.builder().controller(CheckedComponent.component("a").build())
          .health(HealthOptions.defaults().port(port)).build();
      ConfigurationException e = assertThrows(ConfigurationException.class, app::start);
      assertTrue(e.getMessage().contains("ordo.health.port"), e.getMessage());
      assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
      assertEquals(ApplicationState.NEW, app.state());
      app.stop();
    }
  }

  @Test
  void portFromSystemProperty() throws Exception {
    String before = System.getProperty("ordo.health.port");
    System.setProperty("ordo.health.port", "0");
    try (Ordo app = Ordo.builder().controller(CheckedComponent.component("a").build()).build()) {
      app.start();
      assertEquals(200, get(app, "/health/live").statusCode());
    } finally {
      if (before == null) {
        System.clearProperty("ordo.health.port");
      } else {
        System.setProperty("ordo.health.port", before);
      }
    }
  }

  @Test
  void noPortNoServer() {
    try (Ordo app = Ordo.builder().controller(CheckedComponent.component("a").build()).build()) {
      app.start();
      assertTrue(app.healthPort().isEmpty());
    }
  }
}
