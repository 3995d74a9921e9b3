package dev.ordo.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.RetryPolicy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A registry that stops answering (its requests hang): the shutdown budget holds however long
 * {@code ordo.registry.request-timeout} is, and racing stop() calls all return. The 60 s bounds are
 * liveness bounds (a hang would be ten minutes), not measures of speed.
 */
class SlowRegistryTest {
  /** Answers 200 like a Consul agent until {@link #hang}, then holds every request until closed. */
  static final class HangingAgent implements AutoCloseable {
    final HttpServer server;
    final CountDownLatch release = new CountDownLatch(1);
    final List<String> paths = new CopyOnWriteArrayList<>();
    volatile boolean hang;

    HangingAgent() throws Exception {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hanging-agent");
        t.setDaemon(true);
        return t;
      }));
      server.createContext("/", exchange -> {
        paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
        exchange.getRequestBody().readAllBytes();
        if (hang) {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    @Override
    public void close() {
      release.countDown();
      server.stop(0);
    }
  }

  @Test
  void aRegistryThatHangsAtShutdownDoesNotHoldTheShutdownPastItsBudget() throws Exception {
    try (HangingAgent agent = new HangingAgent()) {
      ServiceRegistration registration = ServiceRegistration.builder()
          .registry("consul://127.0.0.1:" + agent.port())
          .serviceName("orders")
          .instanceId("orders-slow")
          .port(8080)
          .requestTimeout(Duration.ofMinutes(10))
          .build();
      Ordo app = registration.addTo(Ordo.builder()).shutdownTimeout(Duration.ofSeconds(2)).build();
      app.start();
      for (int i = 0; i < 3000 && !registration.isRegistered(); i++) {
        TimeUnit.MILLISECONDS.sleep(10); // it registers on its listener thread, once RUNNING is heard
      }
      assertTrue(registration.isRegistered());
      agent.hang = true;
      List<Thread> stoppers = new CopyOnWriteArrayList<>();
      assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
        for (int i = 0; i < 3; i++) {
          Thread t = new Thread(app::stop);
          t.start();
          stoppers.add(t);
        }
        app.stop();
        for (Thread t : stoppers) {
          t.join();
        }
      });
      assertFalse(app.state() == ApplicationState.RUNNING || app.state() == ApplicationState.DRAINING, app.state().toString());
    }
  }

  @Test
  void aRegistryThatHangsAtStartupLeavesTheApplicationRunningAndTheStopInTime() throws Exception {
    try (HangingAgent agent = new HangingAgent()) {
      agent.hang = true;
      ServiceRegistration registration = ServiceRegistration.builder()
          .registry("consul://127.0.0.1:" + agent.port())
          .serviceName("orders")
          .instanceId("orders-hung")
          .port(8080)
          .requestTimeout(Duration.ofMillis(300))
          .build();
      Ordo app = registration.addTo(Ordo.builder())
          .retry(ServiceRegistration.class, RetryPolicy.backoff(Duration.ofMillis(50), Duration.ofMillis(100)))
          .shutdownTimeout(Duration.ofSeconds(2))
          .build();
      assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
        app.start();
        assertEquals(ApplicationState.RUNNING, app.state());
        assertFalse(registration.isRegistered());
        // Let the background retry be in the middle of an attempt, or about to be.
        for (int i = 0; i < 200 && agent.paths.size() < 3; i++) {
          TimeUnit.MILLISECONDS.sleep(20);
        }
        app.stop();
      });
      assertEquals(ApplicationState.STOPPED, app.state());
      assertFalse(registration.isRegistered());
    }
  }
  @Test
  void aRequestTimeoutPastEveryRangeMeansNoLimitAndRegisters() throws Exception {
    try (HangingAgent agent = new HangingAgent()) {
      java.util.Properties p = new java.util.Properties();
      p.setProperty("ordo.registry.request-timeout", "99999999999999999999999999999h");
      ServiceRegistration registration = ServiceRegistration.builder().configuration(p, java.util.Map.of())
          .registry("consul://127.0.0.1:" + agent.port())
          .serviceName("orders")
          .instanceId("orders-long")
          .port(8080)
          .build();
      Ordo app = registration.addTo(Ordo.builder()).build();
      app.start();
      for (int i = 0; i < 3000 && !registration.isRegistered(); i++) {
        TimeUnit.MILLISECONDS.sleep(10);
      }
      assertTrue(registration.isRegistered(), agent.paths.toString());
      app.stop();
      assertTrue(agent.paths.contains("PUT /v1/agent/service/deregister/orders-long"), agent.paths.toString());
    }
  }
}
