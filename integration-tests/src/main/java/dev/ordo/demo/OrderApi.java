package dev.ordo.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.ordo.Critical;
import dev.ordo.DependsOn;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.PublishesEvents;
import dev.ordo.runtime.RequestTracker;
import dev.ordo.runtime.http.HttpServerTracking;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The shop's HTTP API on the JDK's built-in server, on 32 handler threads. Every request is in
 * the application's {@link RequestTracker} from the moment the server accepts it
 * ({@link HttpServerTracking}), also while it waits for a busy handler thread: while the
 * application drains for shutdown, new requests get 503 with {@code Connection: close}, and every
 * request accepted before completes.
 *
 * <p>Each request is a declared operation: {@code place-order}, {@code list-orders} and
 * {@code search} publish {@code .started}, {@code .completed} and {@code .failed} CloudEvents,
 * correlated by the request's {@code X-Request-Id} header (or a new id); a placed order also
 * publishes {@link OrderPlaced}.
 *
 * <ul>
 *   <li>{@code GET /orders?delayMs=N}: the orders, answered after about N ms (to show draining)
 *   <li>{@code POST /orders?item=...&quantity=N}: places an order
 *   <li>{@code GET /search?q=...}: order ids whose item matches; 503 when the index is not running
 *   <li>{@code GET /inflight}: how many requests are in flight, those waiting for a handler
 *       thread included (this one excluded)
 *   <li>{@code POST /admin/maintenance?on=true|false}: breaks (or repairs) the store's health
 *       check at runtime; the store is critical, so readiness turns DOWN
 * </ul>
 */
@Critical
@DependsOn(PaymentGateway.class)                          // ordering only: take orders once payments work
@DependsOn(value = PriceCache.class, optional = true)
@PublishesEvents(operations = {"place-order", "list-orders", "search"}, payloads = OrderPlaced.class)
public final class OrderApi {
  private final OrderStore store;
  private final Optional<SearchIndex> index;
  private final RequestTracker tracker;
  private final OrderApi_Events events;
  private final int requestedPort;
  private HttpServer server;
  private ExecutorService handlers;

  /**
   * The store is a hard dependency (a plain parameter), the search index an optional one
   * ({@code Optional}: empty when it was left out); the tracker and the events are the
   * application's; the port is an external named {@code http-port}.
   */
  public OrderApi(OrderStore store, Optional<SearchIndex> index, RequestTracker tracker, OrderApi_Events events,
      @Named("http-port") int port) {
    this.store = store;
    this.index = index;
    this.tracker = tracker;
    this.events = events;
    this.requestedPort = port;
  }

  @OnStartup(timeout = "5s")
  void listen() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 128);
    handlers = Executors.newFixedThreadPool(32, r -> {
      Thread t = new Thread(r, "order-api");
      t.setDaemon(true);
      return t;
    });
    // Counted from acceptance, not from the moment a handler thread is free; the filter answers
    // the requests that arrive while draining.
    server.setExecutor(HttpServerTracking.executor(tracker, handlers));
    server.createContext("/", this::handle).getFilters().add(HttpServerTracking.filter(tracker));
    server.start();
  }

  @OnShutdown(timeout = "5s")
  void close() throws InterruptedException {
    // The drain has already waited for the requests in flight. A request that arrived after the
    // drain began is not in flight: the tracking filter answers it 503 on the server's dispatcher
    // thread, possibly right now, and stop(0) would close its connection between the headers and
    // the body. stop(1) closes the listening socket at once and waits for the exchanges still
    // being handled, at most about a second (HttpServer.stop's contract).
    server.stop(1);
    handlers.shutdown();
    handlers.awaitTermination(2, TimeUnit.SECONDS);
  }

  /**
   * Serves {@code path} (and the paths below it) with {@code handler} on the API's server, its
   * requests counted and drained like the API's own; for components that start after the API.
   */
  public void route(String path, HttpHandler handler) {
    server.createContext(path, handler).getFilters().add(HttpServerTracking.filter(tracker));
  }

  /** The port the API listens on (the chosen one when 0 was asked for). */
  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      route(exchange);
    } catch (Exception e) {
      respond(exchange, 500, "{\"error\":" + quote(e.toString()) + "}");
    }
  }

  private void route(HttpExchange exchange) throws Exception {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    String requestId = exchange.getRequestHeaders().getFirst("X-Request-Id");
    if (path.equals("/orders") && method.equals("GET")) {
      long delay = Long.parseLong(query.getOrDefault("delayMs", "0"));
      String body = events.listOrders(requestId, () -> {
        if (delay > 0) {
          Thread.sleep(delay);
        }
        return store.all().stream()
            .map(o -> "{\"id\":" + o.id() + ",\"item\":" + quote(o.item()) + ",\"quantity\":" + o.quantity() + "}")
            .collect(Collectors.joining(",", "[", "]"));
      });
      respond(exchange, 200, body);
    } else if (path.equals("/orders") && method.equals("POST")) {
      String item = query.getOrDefault("item", "espresso beans");
      int quantity = Integer.parseInt(query.getOrDefault("quantity", "1"));
      long id = events.placeOrder(requestId, () -> {
        long placed = store.place(item, quantity);
        events.publish(new OrderPlaced(placed, item, quantity));
        return placed;
      });
      if (searchRuns()) {
        index.get().add(id, item);
      }
      respond(exchange, 201, "{\"id\":" + id + "}");
    } else if (path.equals("/admin/maintenance") && method.equals("POST")) {
      boolean on = Boolean.parseBoolean(query.getOrDefault("on", "true"));
      store.maintenance(on);
      respond(exchange, 200, "{\"maintenance\":" + on + "}");
    } else if (path.equals("/inflight") && method.equals("GET")) {
      respond(exchange, 200, "{\"inFlight\":" + (tracker.inFlight() - 1) + "}");
    } else if (path.equals("/search") && method.equals("GET")) {
      if (!searchRuns()) {
        respond(exchange, 503, "{\"error\":\"search is unavailable (the index did not start)\"}");
        return;
      }
      List<Long> ids = events.search(requestId, () -> index.get().search(query.getOrDefault("q", "")));
      respond(exchange, 200, ids.toString().replace(" ", ""));
    } else {
      respond(exchange, 404, "{\"error\":\"not found\"}");
    }
  }

  private boolean searchRuns() {
    return index.isPresent() && index.get().running();
  }

  /** The decoded parameters of a raw query string; also the scoring model's handlers'. */
  static Map<String, String> query(String raw) {
    Map<String, String> params = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return params;
  }

  /** {@code s} as a JSON string; also the scoring model's handlers'. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /** Answers {@code status} with the JSON {@code body}; also the scoring model's handlers'. */
  static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
