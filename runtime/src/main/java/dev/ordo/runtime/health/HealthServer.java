package dev.ordo.runtime.health;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ordo.runtime.ConfigurationException;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP probes, on the JDK's built-in server: {@code GET} or {@code HEAD} of {@code /health},
 * {@code /health/live}, {@code /health/ready} and {@code /health/started}; 200 when UP, 503 when
 * DOWN; other methods 405, other paths 404. Each request reads the monitor's cached results, so
 * it never waits for a check. Requests are served by a few daemon threads, so that one slow client
 * does not hold up the others.
 */
final class HealthServer {
  private static final System.Logger LOG = System.getLogger(HealthServer.class.getName());
  static final int THREADS = 8;

  static {
    // The JDK server writes a response's headers and body separately; with Nagle's algorithm and
    // the client's delayed ACK, every keep-alive request then waits ~40ms. Unless the application
    // chose otherwise, send at once. (Read once, when the JDK server is first used in the JVM.)
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final HealthMonitor monitor;
  private final boolean details;

  private HealthServer(HttpServer server, ThreadPoolExecutor executor, HealthMonitor monitor, boolean details) {
    this.server = server;
    this.executor = executor;
    this.monitor = monitor;
    this.details = details;
  }

  static HealthServer start(HealthMonitor monitor, HealthConfig config, java.util.concurrent.ThreadFactory threads) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 128);
    } catch (IOException | RuntimeException e) {
      throw new ConfigurationException("Cannot serve the health probes on " + config.host() + ":" + config.port()
          + " (" + HealthOptions.PORT + " from " + config.portSource() + ", " + HealthOptions.HOST + " "
          + config.host() + "): " + e.getMessage() + "; choose another port, or 0 for any free port");
    }
    ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), threads);
    executor.allowCoreThreadTimeOut(true);
    HealthServer probes = new HealthServer(server, executor, monitor, config.details());
    server.createContext("/", probes::handle);
    server.setExecutor(executor);
    server.start();
    return probes;
  }

  int port() {
    return server.getAddress().getPort();
  }

  String authority() {
    String host = server.getAddress().getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  void awaitTermination(long nanos) throws InterruptedException {
    executor.awaitTermination(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String method = exchange.getRequestMethod();
      HealthProbe probe = HealthProbe.forPath(exchange.getRequestURI().getPath());
      Headers headers = exchange.getResponseHeaders();
      if (probe == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      boolean head = method.equals("HEAD");
      if (!head && !method.equals("GET")) {
        headers.set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      HealthReport report = monitor.report();
      byte[] body = report.json(probe, details).getBytes(StandardCharsets.UTF_8);
      int code = report.isUp(probe) ? 200 : 503;
      headers.set("Content-Type", "application/json; charset=utf-8");
      headers.set("Cache-Control", "no-store");
      if (head) {
        // The JDK server sends no length for HEAD; announce the length GET would send.
        headers.set("Content-Length", Integer.toString(body.length));
        exchange.sendResponseHeaders(code, -1);
      } else {
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (RuntimeException e) {
      // Never let an exception's text out; the log has it.
      LOG.log(Level.ERROR, "Health probe " + exchange.getRequestURI() + " failed", e);
      exchange.sendResponseHeaders(500, -1);
    } finally {
      exchange.close();
    }
  }
}
