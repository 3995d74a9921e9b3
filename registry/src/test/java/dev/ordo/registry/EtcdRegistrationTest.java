package dev.ordo.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.RequestTracker;
import dev.ordo.runtime.RetryPolicy;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.LeaseOption;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** ServiceRegistration against a real etcd server (a child process; see {@link EtcdServer}). */
class EtcdRegistrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static KeyValue get(Client client, String key) throws Exception {
    List<KeyValue> kvs = client.getKVClient().get(ByteSequence.from(key, StandardCharsets.UTF_8))
        .get(10, TimeUnit.SECONDS).getKvs();
    return kvs.isEmpty() ? null : kvs.get(0);
  }

  private static JsonNode value(KeyValue kv) throws Exception {
    return JSON.readTree(kv.getValue().toString(StandardCharsets.UTF_8));
  }

  /** Polls until {@code condition} holds for the key's value (null: absent); at most two minutes. */
  private static KeyValue await(Client client, String key, Predicate<KeyValue> condition) throws Exception {
    for (int i = 0; i < 1200; i++) {
      KeyValue kv = get(client, key);
      if (condition.test(kv)) {
        return kv;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the key " + key + " never reached the expected state; last: " + get(client, key));
  }

  private static Predicate<KeyValue> status(String status) {
    return kv -> {
      try {
        return kv != null && value(kv).get("status").asText().equals(status);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
  }

  @Test
  void registersWhenRunningWithALeaseIsOutOfServiceWhileDrainingAndIsGoneAfterShutdown() throws Exception {
    try (EtcdServer etcd = EtcdServer.start();
        Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
      ServiceRegistration registration = ServiceRegistration.builder()
          .registry(etcd.registryUrl())
          .serviceName("orders")
          .instanceId("orders-1")
          .address("10.0.0.5")
          .port(8080)
          .healthPort(8081)
          .metadata("version", "1.4.2")
          .ttl(Duration.ofSeconds(5))
          .build();
      RequestTracker tracker = new RequestTracker();
      Ordo app = registration.addTo(Ordo.builder().requestTracker(tracker))
          .drainTimeout(Duration.ofMinutes(2))
          .shutdownTimeout(Duration.ofMinutes(3))
          .build();
      app.start();
      assertEquals(ComponentState.RUNNING, app.component(ServiceRegistration.class).state());

      String key = "/services/orders/orders-1";
      KeyValue kv = await(client, key, status("UP"));
      JsonNode v = value(kv);
      assertEquals("orders", v.get("name").asText());
      assertEquals("orders-1", v.get("id").asText());
      assertEquals("10.0.0.5", v.get("address").asText());
      assertEquals(8080, v.get("port").asInt());
      assertEquals("http://10.0.0.5:8081/health/ready", v.get("healthCheckUrl").asText());
      assertEquals("1.4.2", v.get("metadata").get("version").asText());
      long lease = kv.getLease();
      assertNotEquals(0, lease, "the key is attached to a lease");
      long granted = client.getLeaseClient().timeToLive(lease, LeaseOption.DEFAULT).get(10, TimeUnit.SECONDS).getGrantedTTL();
      assertEquals(5, granted);

      // Work in flight holds the application in DRAINING: the instance is out of service meanwhile.
      RequestTracker.Ticket ticket = tracker.enter();
      Thread stopper = new Thread(app::stop, "stopper");
      stopper.start();
      KeyValue draining = await(client, key, status("OUT_OF_SERVICE"));
      assertEquals(ApplicationState.DRAINING, app.state(), "marked out of service before the drain ended");
      assertEquals(lease, draining.getLease(), "still alive on its lease while draining");
      ticket.close();
      stopper.join();
      assertEquals(ApplicationState.STOPPED, app.state());

      assertNull(get(client, key), "deregistered at shutdown");
      long ttl = client.getLeaseClient().timeToLive(lease, LeaseOption.DEFAULT).get(10, TimeUnit.SECONDS).getTTL();
      assertEquals(-1, ttl, "the lease was revoked");
      assertEquals(false, registration.isRegistered());
    }
  }

  @Test
  void etcdDownAtStartupLeavesTheApplicationDegradedAndTheRetryRegistersOnceItIsUp() throws Exception {
    try (EtcdServer etcd = EtcdServer.create()) {
      ServiceRegistration registration = ServiceRegistration.builder()
          .registry(etcd.registryUrl())
          .serviceName("orders")
          .instanceId("orders-2")
          .port(8080)
          .requestTimeout(Duration.ofSeconds(1))
          .build();
      Ordo app = registration.addTo(Ordo.builder())
          .retry(ServiceRegistration.class, RetryPolicy.backoff(Duration.ofMillis(200), Duration.ofSeconds(1)))
          .build();
      app.start();
      assertEquals(ApplicationState.RUNNING, app.state(), "the application runs without its registry");
      assertNotEquals(ComponentState.RUNNING, app.component(ServiceRegistration.class).state());
      assertTrue(app.component(ServiceRegistration.class).degraded() || app.component(ServiceRegistration.class).failure() != null);

      etcd.startProcess();
      try (Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
        await(client, "/services/orders/orders-2", status("UP"));
        // The key is written inside the retried start hook, just before it returns: the component
        // is RUNNING once the hook has returned, a moment later.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (app.component(ServiceRegistration.class).state() != ComponentState.RUNNING && System.nanoTime() < until) {
          Thread.sleep(10);
        }
        assertEquals(ComponentState.RUNNING, app.component(ServiceRegistration.class).state());
        app.stop();
        assertNull(get(client, "/services/orders/orders-2"));
      }
    }
  }

  @Test
  void theKeyVanishesOnItsOwnWhenTheProcessIsKilled() throws Exception {
    try (EtcdServer etcd = EtcdServer.start();
        Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
          RegisteringMain.class.getName(), etcd.registryUrl(), "killed-1")
          .redirectErrorStream(true)
          .start();
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("STARTED")) {
          // the child's log
        }
        assertEquals("STARTED RUNNING", line);
        String key = "/services/killed/killed-1";
        KeyValue kv = await(client, key, status("UP"));
        long lease = kv.getLease();
        assertNotEquals(0, lease);

        child.destroyForcibly(); // SIGKILL: no shutdown hook, no deregistration
        child.waitFor();
        assertEquals(137, child.exitValue(), "killed by SIGKILL");

        await(client, key, v -> v == null); // the lease expires without its keep-alives
        long ttl = client.getLeaseClient().timeToLive(lease, LeaseOption.DEFAULT).get(10, TimeUnit.SECONDS).getTTL();
        assertEquals(-1, ttl, "the lease expired");
      } finally {
        child.destroyForcibly();
      }
    }
  }
}
