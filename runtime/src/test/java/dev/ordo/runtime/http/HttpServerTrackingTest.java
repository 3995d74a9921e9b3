package dev.ordo.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.RequestTracker;
import dev.ordo.runtime.ShutdownReport;
import dev.ordo.runtime.health.HealthOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real HTTP on loopback against the JDK's server, tracked from acceptance. */
@Timeout(60)
class HttpServerTrackingTest {
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger handled = new AtomicInteger();
  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private HttpServer server;

  @AfterEach
  void cleanUp() throws Exception {
    release.countDown();
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  /** A component with nothing to do: the application only needs to exist, drain and stop. */
  private static final class Nothing extends LifecycleController<Object> {
    Nothing() {
      super(ComponentDescriptor.builder(Object.class).key("api").build(), new Object());
    }
  }

  private Ordo app(RequestTracker tracker, Ordo.Builder builder) {
    Ordo app = builder.controller(new Nothing()).requestTracker(tracker).build();
    cleanup.add(app::stop);
    app.start();
    return app;
  }

  private ExecutorService handlers(int threads) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    cleanup.add(pool::shutdownNow);
    return pool;
  }

  /**
   * Serves {@code GET /slow} (answered once the test releases it), {@code GET /fast}, and
   * {@code GET /throw} (the handler throws) through {@code executor}, with the tracking filter.
   */
  private URI serve(RequestTracker tracker, Executor executor) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    server.setExecutor(executor);
    server.createContext("/", this::handle).getFilters().add(HttpServerTracking.filter(tracker));
    server.start();
    cleanup.add(() -> server.stop(0));
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    handled.incrementAndGet();
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/throw")) {
      throw new IllegalStateException("the handler failed");
    }
    if (path.equals("/slow")) {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private HttpResponse<String> send(URI uri, String method) throws Exception {
    return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  private CompletableFuture<HttpResponse<String>> sendAsync(URI uri) {
    return client.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never: " + what);
      }
      Thread.sleep(1);
    }
  }

  private static void assertRefused(HttpResponse<String> r) {
    assertEquals(503, r.statusCode(), r.body());
    assertEquals("close", r.headers().firstValue("Connection").orElse(""));
  }

  @Test
  void exchangesQueuedBehindBusyHandlersAreInFlightAndAnsweredWhileNewOnesGet503() throws Exception {
    RequestTracker tracker = new RequestTracker();
    Ordo app = app(tracker, Ordo.builder().drainTimeout(Duration.ofSeconds(20)));
    URI base = serve(tracker, HttpServerTracking.executor(tracker, handlers(2)));

    List<CompletableFuture<HttpResponse<String>>> accepted = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      accepted.add(sendAsync(base.resolve("/slow")));
    }
    // 2 handlers busy, 4 exchanges in the executor's queue: all 6 in flight.
    await(() -> tracker.inFlight() == 6, "6 in flight; now " + tracker.inFlight());
    await(() -> handled.get() == 2, "both handler threads busy");

    CompletableFuture<ShutdownReport> stopping = app.stopAsync();
    await(tracker::isDraining, "draining");
    HttpResponse<String> late = send(base.resolve("/fast"), "GET");
    assertRefused(late);
    assertEquals("The application is shutting down and accepts no new work\n", late.body());
    assertEquals("text/plain; charset=utf-8", late.headers().firstValue("Content-Type").orElse(""));
    assertFalse(stopping.isDone(), "the drain waits for the queued exchanges");
    assertEquals(2, handled.get(), "a refused exchange never reaches the handler, nor waits for a handler thread");

    release.countDown();
    int toldToClose = 0;
    for (CompletableFuture<HttpResponse<String>> f : accepted) {
      HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
      assertEquals(200, r.statusCode(), "accepted before the drain: answered");
      assertEquals("ok", r.body());
      if (r.headers().firstValue("Connection").orElse("").equals("close")) {
        toldToClose++;
      }
    }
    assertTrue(toldToClose >= 4, "the 4 handled after the drain began are told to close; " + toldToClose);
    ShutdownReport report = stopping.get(30, TimeUnit.SECONDS);
    assertEquals(6, report.inFlightAtDrainStart(), report.toString());
    assertEquals(0, report.inFlightAtDrainEnd(), report.toString());
    assertEquals(ShutdownReport.EXIT_OK, report.exitCode(), report.toString());
    assertEquals(0, tracker.inFlight());
  }

  @Test
  void afterTheDrainBeganEveryNewExchangeIsAnswered503AndItsConnectionClosed() throws Exception {
    RequestTracker tracker = new RequestTracker();
    Ordo app = app(tracker, Ordo.builder());
    URI base = serve(tracker, HttpServerTracking.executor(tracker, handlers(2)));
    assertEquals(200, send(base.resolve("/fast"), "GET").statusCode());
    app.stop();

    assertRefused(send(base.resolve("/fast"), "GET"));
    HttpResponse<String> head = send(base.resolve("/fast"), "HEAD");
    assertRefused(head);
    assertEquals("", head.body());
    HttpResponse<String> post = client.send(HttpRequest.newBuilder(base.resolve("/orders")).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString("item=beans")).build(), HttpResponse.BodyHandlers.ofString());
    assertRefused(post);
    assertEquals(1, handled.get(), "no refused exchange reached the handler");
    assertEquals(0, tracker.inFlight());

    // On the wire: the answer, then the server closes the connection.
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write("GET /fast HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      byte[] buffer = new byte[1024];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        response.write(buffer, 0, n);
      }
      String text = response.toString(StandardCharsets.US_ASCII);
      assertTrue(text.startsWith("HTTP/1.1 503 "), text);
      assertTrue(text.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), text);
    }
  }

  @Test
  void anExchangeTheHandlersRefuseOrWhoseHandlerThrowsLeaves() throws Exception {
    RequestTracker tracker = new RequestTracker();
    app(tracker, Ordo.builder());
    ExecutorService pool = handlers(2);
    URI base = serve(tracker, HttpServerTracking.executor(tracker, pool));

    assertThrows(IOException.class, () -> send(base.resolve("/throw"), "GET"),
        "the server closes the connection of an exchange whose handler threw");
    await(() -> tracker.inFlight() == 0, "the exchange whose handler threw left; " + tracker.inFlight());

    pool.shutdown();
    assertThrows(IOException.class, () -> send(base.resolve("/fast"), "GET"),
        "the server closes the connection of an exchange its executor refuses");
    assertEquals(0, tracker.inFlight(), "and the exchange is not left counted");
  }

  @Test
  void theFilterAloneCountsEachExchangeWhileItsHandlerRuns() throws Exception {
    RequestTracker tracker = new RequestTracker();
    Ordo app = app(tracker, Ordo.builder());
    URI base = serve(tracker, handlers(2));

    CompletableFuture<HttpResponse<String>> slow = sendAsync(base.resolve("/slow"));
    await(() -> tracker.inFlight() == 1, "counted while handled");
    CompletableFuture<ShutdownReport> stopping = app.stopAsync();
    await(tracker::isDraining, "draining");
    assertRefused(send(base.resolve("/fast"), "GET"));
    release.countDown();
    assertEquals(200, slow.get(30, TimeUnit.SECONDS).statusCode());
    assertEquals(1, stopping.get(30, TimeUnit.SECONDS).inFlightAtDrainStart());
  }

  @Test
  void duringThePreStopDelayNewExchangesAreServedWhileReadinessAnswers503() throws Exception {
    RequestTracker tracker = new RequestTracker();
    Ordo app = app(tracker, Ordo.builder()
        .health(HealthOptions.defaults().port(0))
        // Long enough for the requests below on any machine; they take milliseconds.
        .shutdownDelay(Duration.ofSeconds(3)));
    URI ready = URI.create("http://127.0.0.1:" + app.healthPort().getAsInt() + "/health/ready");
    URI base = serve(tracker, HttpServerTracking.executor(tracker, handlers(2)));
    assertEquals(200, send(ready, "GET").statusCode());

    CompletableFuture<ShutdownReport> stopping = app.stopAsync();
    await(() -> app.state() == dev.ordo.runtime.ApplicationState.DRAINING, "DRAINING");
    HttpResponse<String> readiness = send(ready, "GET");
    assertEquals(503, readiness.statusCode(), readiness.body());
    HttpResponse<String> served = send(base.resolve("/fast"), "GET");
    assertEquals(200, served.statusCode(), "served normally during the delay");
    assertEquals("", served.headers().firstValue("Connection").orElse(""), "and the connection kept");
    assertFalse(tracker.isDraining(), "the checks above ran within the delay");

    await(tracker::isDraining, "draining after the delay");
    assertRefused(send(base.resolve("/fast"), "GET"));
    assertEquals(ShutdownReport.EXIT_OK, stopping.get(30, TimeUnit.SECONDS).exitCode());
  }
}
