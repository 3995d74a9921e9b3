package dev.ordo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.events.EventCatalog;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as a separate JVM: real signals, real HTTP on loopback, real exit codes. Time is only
 * ever bounded from above, with generous margins.
 */
@Timeout(180)
class DemoProcessIT {
  private static final int SLOW_REQUESTS = 12;
  private static final int LATE_REQUESTS = 20;
  /** The demo's OrderApi serves on this many handler threads. */
  private static final int HANDLER_THREADS = 32;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void exitAfterStartShowsThePlanAndOrderAndExitsZero() throws Exception {
    try (DemoProcess demo = DemoProcess.start(List.of(), "--port", "0", "--exit-after-start")) {
      assertEquals(0, demo.awaitExit(120), demo.output());
      String out = demo.output();
      assertTrue(out.contains("Startup plan: 8 components"), out);
      assertTrue(demo.lineOf("ConnectionPool   RUNNING") < demo.lineOf("OrderStore       STARTING"), out);
      assertTrue(demo.lineOf("OrderStore       RUNNING") < demo.lineOf("OrderApi         STARTING"), out);
      assertTrue(demo.lineOf("OrderApi         STOPPED") < demo.lineOf("OrderStore       STOPPED"), out);
      assertTrue(demo.lineOf("OrderStore       STOPPED") < demo.lineOf("ConnectionPool   STOPPED"), out);
      assertTrue(out.contains("Application RUNNING"), out);
    }
  }

  @Test
  void failOptionalDegradesAndSkipsButRuns() throws Exception {
    try (DemoProcess demo = DemoProcess.start(List.of(), "--port", "0", "--exit-after-start", "--fail-optional")) {
      assertEquals(0, demo.awaitExit(120), demo.output());
      String out = demo.output();
      assertTrue(out.contains("SearchIndex      FAILED"), out);
      assertTrue(out.contains("Recommendations  SKIPPED"), out);
      assertTrue(out.contains("Application RUNNING") && out.contains("DEGRADED"), out);
    }
  }

  @Test
  void failCriticalRollsBackAndExitsNonZero() throws Exception {
    try (DemoProcess demo = DemoProcess.start(List.of(), "--port", "0", "--fail-critical")) {
      assertEquals(1, demo.awaitExit(120), demo.output());
      String out = demo.output();
      assertTrue(out.contains("Startup FAILED"), out);
      assertTrue(out.contains("dev.ordo.demo.PaymentGateway: java.lang.IllegalStateException: payment provider"
          + " refused the credentials (--fail-critical)"), out);
      assertTrue(demo.lineOf("OrderStore       STOPPED") < demo.lineOf("ConnectionPool   STOPPED"), out);
      assertTrue(out.contains("application STOPPING -> FAILED"), out);
    }
  }

  @Test
  void sigtermDrainsInFlightRequestsRefusesNewOnesAndExitsZero() throws Exception {
    try (DemoProcess demo = DemoProcess.start(List.of("-Dordo.shutdown.drain-timeout=20s"), "--port", "0")) {
      int port = demo.port();
      demo.awaitLine("Press Ctrl-C", 60);
      URI base = URI.create("http://127.0.0.1:" + port);

      List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
      for (int i = 0; i < SLOW_REQUESTS; i++) {
        slow.add(http.sendAsync(get(base.resolve("/orders?delayMs=6000")), HttpResponse.BodyHandlers.ofString()));
      }
      awaitInFlight(base, SLOW_REQUESTS);

      long signalled = System.nanoTime();
      demo.sigterm();
      demo.awaitLine("draining: new requests get 503", 30);

      int refused = 0;
      int notConnected = 0;
      for (int i = 0; i < LATE_REQUESTS; i++) {
        try {
          HttpResponse<String> r = http.send(get(base.resolve("/orders")), HttpResponse.BodyHandlers.ofString());
          assertEquals(503, r.statusCode(), "a request arriving while draining is refused: " + r.body());
          assertEquals("close", r.headers().firstValue("Connection").orElse(""));
          refused++;
        } catch (ConnectException closedAlready) {
          // The server stopped listening: that is a refusal before acceptance, not a reset.
          notConnected++;
        }
      }
      for (CompletableFuture<HttpResponse<String>> f : slow) {
        HttpResponse<String> r = join(f);
        assertEquals(200, r.statusCode(), "every accepted request completes: " + r.body());
        assertTrue(r.body().startsWith("[{\"id\":1"), r.body());
      }
      int exit = demo.awaitExit(60);
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
      String out = demo.output();
      assertEquals(0, exit, out);
      assertEquals(LATE_REQUESTS, refused + notConnected);
      assertTrue(refused > 0, "the server answered 503 while draining:\n" + out);
      assertTrue(tookMs < 30_000 + 5_000, "exited before the 30 s budget (took " + tookMs + " ms)");
      assertTrue(out.contains("SIGTERM") || out.contains("application RUNNING -> DRAINING"), out);
      assertTrue(demo.lineOf("draining: new requests get 503; waiting for " + SLOW_REQUESTS + " in flight") >= 0, out);
      assertTrue(demo.lineOf("application DRAINING -> STOPPING") > demo.lineOf("drained in"), out);
      assertTrue(demo.lineOf("OrderApi         STOPPED") < demo.lineOf("OrderStore       STOPPED"), out);
      assertTrue(demo.lineOf("OrderStore       STOPPED") < demo.lineOf("ConnectionPool   STOPPED"), out);
      assertTrue(out.contains("Shutdown (SIGNAL)"), out);
      assertTrue(out.contains("exit status 0"), out);
    }
  }

  @Test
  void sigtermAnswersEveryAcceptedRequestAlsoThoseQueuedBehindBusyHandlerThreads() throws Exception {
    // Twice as many slow requests as handler threads: half of them wait in the executor's queue
    // when the signal comes. Accepted before it, all of them must be answered.
    int concurrent = 2 * HANDLER_THREADS;
    HttpClient oneConnectionEach = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)   // a connection per request in flight, no h2c upgrade
        .connectTimeout(Duration.ofSeconds(5))
        .build();
    try (DemoProcess demo = DemoProcess.start(List.of("-Dordo.shutdown.drain-timeout=20s"), "--port", "0")) {
      URI base = URI.create("http://127.0.0.1:" + demo.port());
      URI ready = URI.create("http://127.0.0.1:" + demo.healthPort() + "/health/ready");
      demo.awaitLine("Press Ctrl-C", 60);
      // Warm up both ends (connections, JIT), so that the burst below arrives at once.
      List<CompletableFuture<HttpResponse<String>>> warmUp = new ArrayList<>();
      for (int i = 0; i < concurrent; i++) {
        warmUp.add(oneConnectionEach.sendAsync(get(base.resolve("/orders")), HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> f : warmUp) {
        assertEquals(200, join(f).statusCode());
      }

      List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
      for (int i = 0; i < concurrent; i++) {
        slow.add(oneConnectionEach.sendAsync(get(base.resolve("/orders?delayMs=800")), HttpResponse.BodyHandlers.ofString()));
      }
      // The probes have threads of their own: they answer while every handler thread is busy.
      awaitBody(ready, "\"inFlight\":" + concurrent);
      demo.sigterm();
      String drainLine = demo.awaitLine("draining: new requests get 503", 30);

      int refused = 0;
      int notConnected = 0;
      for (int i = 0; i < 10; i++) {
        try {
          HttpResponse<String> r = http.send(get(base.resolve("/orders")), HttpResponse.BodyHandlers.ofString());
          assertEquals(503, r.statusCode(), "a request arriving while draining is refused: " + r.body());
          assertEquals("close", r.headers().firstValue("Connection").orElse(""));
          refused++;
        } catch (ConnectException closedAlready) {
          notConnected++;
        }
      }
      int answered = 0;
      for (CompletableFuture<HttpResponse<String>> f : slow) {
        HttpResponse<String> r = join(f);
        assertEquals(200, r.statusCode(), "accepted before the signal, so answered: " + r.body() + "\n" + drainLine);
        assertTrue(r.body().startsWith("[{\"id\":1"), r.body());
        answered++;
      }
      int exit = demo.awaitExit(60);
      String out = demo.output();
      assertEquals(concurrent, answered);
      assertEquals(10, refused + notConnected);
      assertEquals(0, exit, out);
      assertTrue(out.contains("0 at drain end"), out);
      assertTrue(out.contains("exit status 0"), out);
    }
  }

  @Test
  void duringThePreStopDelayNewRequestsAreServedWhileReadinessAnswers503() throws Exception {
    try (DemoProcess demo = DemoProcess.start(List.of("-Dordo.shutdown.delay=5s"), "--port", "0")) {
      URI base = URI.create("http://127.0.0.1:" + demo.port());
      URI ready = URI.create("http://127.0.0.1:" + demo.healthPort() + "/health/ready");
      demo.awaitLine("Press Ctrl-C", 60);
      awaitStatus(ready, 200);

      demo.sigterm();
      demo.awaitLine("application RUNNING -> DRAINING", 30);
      // The delay (5 s) is far longer than these few requests take.
      HttpResponse<String> readiness = http.send(get(ready), HttpResponse.BodyHandlers.ofString());
      assertEquals(503, readiness.statusCode(), readiness.body());
      assertTrue(readiness.body().contains("\"state\":\"DRAINING\""), readiness.body());
      HttpResponse<String> served = http.send(get(base.resolve("/orders")), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, served.statusCode(), "served normally during the pre-stop delay: " + served.body());
      assertEquals("", served.headers().firstValue("Connection").orElse(""), "and the connection kept");

      demo.awaitLine("draining: new requests get 503", 30);
      // A new connection, as a new client's would be: the kept-alive one of the request above may
      // be closed by the server at any moment now, which a reuse would see as a reset.
      try {
        HttpResponse<String> r = HttpClient.newHttpClient()
            .send(get(base.resolve("/orders")), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, r.statusCode(), "after the delay, new requests are refused: " + r.body());
      } catch (ConnectException closedAlready) {
        // Stopped listening already: refused before acceptance.
      }
      assertEquals(0, demo.awaitExit(60), demo.output());
      String out = demo.output();
      assertTrue(demo.lineOf("application RUNNING -> DRAINING") < demo.lineOf("draining: new requests get 503"), out);
    }
  }

  @Test
  void hangingStopStillExitsWithinTheBudgetAndIsNamed() throws Exception {
    try (DemoProcess demo = DemoProcess.start(List.of("-Dordo.shutdown.timeout=3s"), "--port", "0", "--hang-on-stop")) {
      demo.awaitLine("Press Ctrl-C", 60);
      long signalled = System.nanoTime();
      demo.sigterm();
      int exit = demo.awaitExit(60);
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
      String out = demo.output();
      assertEquals(2, exit, out);
      assertTrue(tookMs < 3_000 + 7_000, "budget 3 s, took " + tookMs + " ms");
      assertTrue(out.contains("abandoned: dev.ordo.demo.PriceCache"), out);
      assertTrue(out.contains("ConnectionPool   STOPPED"), "the others still stopped:\n" + out);
    }
  }

  @Test
  void secondSignalDoesNotStartASecondShutdown() throws Exception {
    try (DemoProcess demo = DemoProcess.start(List.of("-Dordo.shutdown.drain-timeout=20s"), "--port", "0")) {
      int port = demo.port();
      demo.awaitLine("Press Ctrl-C", 60);
      URI base = URI.create("http://127.0.0.1:" + port);
      CompletableFuture<HttpResponse<String>> slow =
          http.sendAsync(get(base.resolve("/orders?delayMs=6000")), HttpResponse.BodyHandlers.ofString());
      awaitInFlight(base, 1);
      demo.sigterm();
      demo.awaitLine("draining", 30);
      new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).start().waitFor();
      assertEquals(200, join(slow).statusCode());
      assertEquals(0, demo.awaitExit(60), demo.output());
      String out = demo.output();
      assertEquals(1, out.split("application RUNNING -> DRAINING", -1).length - 1, out);
    }
  }

  @Test
  void healthProbesShowDegradationARuntimeFailureAndDraining() throws Exception {
    try (DemoProcess demo = DemoProcess.start(List.of("-Dordo.shutdown.drain-timeout=20s"),
        "--port", "0", "--fail-optional")) {
      int port = demo.port();
      URI health = URI.create("http://127.0.0.1:" + demo.healthPort());
      URI api = URI.create("http://127.0.0.1:" + port);
      demo.awaitLine("Press Ctrl-C", 60);

      HttpResponse<String> ready = awaitStatus(health.resolve("/health/ready"), 200);
      assertTrue(ready.body().contains("\"health\":\"DEGRADED\""), ready.body());
      assertTrue(ready.body().contains("dev.ordo.demo.SearchIndex FAILED"), ready.body());

      // Break a critical check at runtime: readiness turns DOWN, liveness stays UP.
      http.send(HttpRequest.newBuilder(api.resolve("/admin/maintenance?on=true"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> down = awaitStatus(health.resolve("/health/ready"), 503);
      assertTrue(down.body().contains("the orders table is in maintenance"), down.body());
      assertEquals(200, http.send(get(health.resolve("/health/live")), HttpResponse.BodyHandlers.ofString()).statusCode());
      demo.awaitLine("health DEGRADED -> DOWN", 30);
      http.send(HttpRequest.newBuilder(api.resolve("/admin/maintenance?on=false"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      awaitStatus(health.resolve("/health/ready"), 200);

      // While draining (a slow request holds the drain open), readiness is DOWN and liveness UP.
      CompletableFuture<HttpResponse<String>> slow =
          http.sendAsync(get(api.resolve("/orders?delayMs=2000")), HttpResponse.BodyHandlers.ofString());
      awaitInFlight(api, 1);
      demo.sigterm();
      demo.awaitLine("draining", 30);
      HttpResponse<String> draining = http.send(get(health.resolve("/health/ready")), HttpResponse.BodyHandlers.ofString());
      assertEquals(503, draining.statusCode(), draining.body());
      assertTrue(draining.body().contains("\"state\":\"DRAINING\""), draining.body());
      assertEquals(200, http.send(get(health.resolve("/health/live")), HttpResponse.BodyHandlers.ofString()).statusCode());
      assertEquals(200, join(slow).statusCode());
      assertEquals(0, demo.awaitExit(60), demo.output());
    }
  }

  @Test
  void everyEventTheDemoWritesIsACloudEventOfTheCatalog(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("events.jsonl");
    try (DemoProcess demo = DemoProcess.start(List.of(), "--port", "0", "--events-file", file.toString())) {
      URI api = URI.create("http://127.0.0.1:" + demo.port());
      demo.awaitLine("Press Ctrl-C", 60);
      HttpResponse<String> placed = http.send(HttpRequest.newBuilder(api.resolve("/orders?item=grinder&quantity=1"))
          .header("X-Request-Id", "req-42").POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(201, placed.statusCode(), placed.body());
      assertEquals(200, http.send(get(api.resolve("/search?q=grind")), HttpResponse.BodyHandlers.ofString()).statusCode());
      assertEquals(200, http.send(get(api.resolve("/orders")), HttpResponse.BodyHandlers.ofString()).statusCode());
      demo.sigterm();
      assertEquals(0, demo.awaitExit(60), demo.output());
      assertTrue(demo.output().contains("ordo.events.dropped 0"), demo.output());
    }

    EventFormat format = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
    EventCatalog catalog = EventCatalog.load(getClass().getClassLoader(), "dev.ordo");
    List<String> lines = Files.readAllLines(file);
    Set<String> types = new LinkedHashSet<>();
    Set<String> ids = new HashSet<>();
    for (String line : lines) {
      CloudEvent event = format.deserialize(line.getBytes(StandardCharsets.UTF_8));
      assertEquals(SpecVersion.V1, event.getSpecVersion());
      assertTrue(ids.add(event.getId()), "ids are unique per source: " + event.getId());
      assertTrue(event.getSource().toString().startsWith("/ordo/"), event.getSource().toString());
      assertEquals("application/json", event.getDataContentType());
      assertTrue(event.getTime() != null, line);
      assertTrue(event.getExtensionNames().contains("correlationid") || event.getType().startsWith("dev.ordo.application")
          || event.getType().startsWith("dev.ordo.component") || event.getType().startsWith("dev.ordo.health"), line);
      assertTrue(catalog.entry(event.getType()).isPresent(), "in the catalog: " + event.getType());
      types.add(event.getType());
    }
    assertTrue(types.containsAll(List.of(
        "dev.ordo.application.starting", "dev.ordo.component.started", "dev.ordo.application.stopped",
        "dev.ordo.place-order.started", "dev.ordo.place-order.completed", "dev.ordo.order-placed",
        "dev.ordo.search.completed", "dev.ordo.list-orders.completed")), types.toString());
    assertTrue(lines.get(lines.size() - 1).contains("\"type\":\"dev.ordo.application.stopped\""),
        "the last event delivered is the application's stop");
    long correlated = lines.stream().filter(l -> l.contains("\"correlationid\":\"req-42\"")).count();
    assertEquals(3, correlated, "place-order started + completed and order-placed carry the request id");
  }

  private HttpResponse<String> awaitStatus(URI uri, int status) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      last = http.send(get(uri), HttpResponse.BodyHandlers.ofString());
      if (last.statusCode() == status) {
        return last;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("never saw " + status + " from " + uri + "; last: "
        + (last == null ? "none" : last.statusCode() + " " + last.body()));
  }

  private void awaitBody(URI uri, String part) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String last = "";
    while (System.nanoTime() < deadline) {
      last = http.send(get(uri), HttpResponse.BodyHandlers.ofString()).body();
      if (last.contains(part)) {
        return;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("never saw " + part + " from " + uri + "; last: " + last);
  }

  private static HttpRequest get(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build();
  }

  private void awaitInFlight(URI base, int expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String last = "";
    while (System.nanoTime() < deadline) {
      last = http.send(get(base.resolve("/inflight")), HttpResponse.BodyHandlers.ofString()).body();
      if (last.equals("{\"inFlight\":" + expected + "}")) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("never saw " + expected + " requests in flight; last: " + last);
  }

  private static HttpResponse<String> join(CompletableFuture<HttpResponse<String>> f) throws Exception {
    try {
      return f.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException) {
        throw new AssertionError("an accepted request was cut off: " + e.getCause(), e.getCause());
      }
      throw e;
    }
  }
}
