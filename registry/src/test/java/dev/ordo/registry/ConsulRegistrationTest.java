package dev.ordo.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.RequestTracker;
import dev.ordo.runtime.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * ServiceRegistration with Consul, against {@link ConsulAgentStub}, a local HTTP server that checks
 * the requests against Consul's documented agent API. Not a real Consul agent.
 */
class ConsulRegistrationTest {
  private static int indexOf(List<ConsulAgentStub.Request> requests, Predicate<ConsulAgentStub.Request> p) {
    for (int i = 0; i < requests.size(); i++) {
      if (p.test(requests.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private static void await(ConsulAgentStub agent, Predicate<List<ConsulAgentStub.Request>> condition) throws Exception {
    for (int i = 0; i < 300; i++) { // 30 seconds: the agent is local
      if (condition.test(agent.requests())) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the agent never got the expected requests: " + agent.requests() + " " + agent.violations());
  }

  @Test
  void registersWithTtlAndReadinessChecksRenewsGoesIntoMaintenanceWhenDrainingAndDeregisters() throws Exception {
    try (ConsulAgentStub agent = new ConsulAgentStub()) {
      ServiceRegistration registration = ServiceRegistration.builder()
          .registry("consul://127.0.0.1:" + agent.port())
          .serviceName("orders")
          .instanceId("orders-1")
          .address("10.0.0.5")
          .port(8080)
          .healthPort(8081)
          .metadata("version", "1.4.2")
          .ttl(Duration.ofSeconds(3))
          .consulToken("s3cr3t")
          .build();
      RequestTracker tracker = new RequestTracker();
      Ordo app = registration.addTo(Ordo.builder().requestTracker(tracker))
          .drainTimeout(Duration.ofMinutes(2))
          .shutdownTimeout(Duration.ofMinutes(3))
          .build();
      app.start();
      assertEquals(ComponentState.RUNNING, app.component(ServiceRegistration.class).state());

      String pass = "/v1/agent/check/pass/service:orders-1:ttl";
      // Registered, then the TTL check passed, and passed again by the renewals (every TTL / 3).
      await(agent, rs -> rs.stream().filter(r -> r.path().equals(pass)).count() >= 3);
      List<ConsulAgentStub.Request> requests = agent.requests();
      assertEquals("/v1/agent/self", requests.get(0).path());
      int register = indexOf(requests, r -> r.path().equals("/v1/agent/service/register"));
      assertTrue(register > 0 && register < indexOf(requests, r -> r.path().equals(pass)), requests.toString());
      JsonNode body = requests.get(register).body();
      assertEquals("PUT", requests.get(register).method());
      assertEquals("orders-1", body.get("ID").asText());
      assertEquals("orders", body.get("Name").asText());
      assertEquals("10.0.0.5", body.get("Address").asText());
      assertEquals(8080, body.get("Port").asInt());
      assertEquals("1.4.2", body.get("Meta").get("version").asText());
      JsonNode ttlCheck = body.get("Checks").get(0);
      assertEquals("service:orders-1:ttl", ttlCheck.get("CheckID").asText());
      assertEquals("3s", ttlCheck.get("TTL").asText());
      assertEquals("1m", ttlCheck.get("DeregisterCriticalServiceAfter").asText());
      JsonNode ready = body.get("Checks").get(1);
      assertEquals("http://10.0.0.5:8081/health/ready", ready.get("HTTP").asText());
      assertTrue(ready.has("Interval"));
      assertTrue(requests.stream().allMatch(r -> "s3cr3t".equals(r.token())), "the ACL token on every request");

      RequestTracker.Ticket ticket = tracker.enter();
      Thread stopper = new Thread(app::stop, "stopper");
      stopper.start();
      String maintenance = "/v1/agent/service/maintenance/orders-1";
      await(agent, rs -> rs.stream().anyMatch(r -> r.path().equals(maintenance)));
      assertEquals(ApplicationState.DRAINING, app.state(), "in maintenance before the drain ended");
      ConsulAgentStub.Request m = agent.requests().stream().filter(r -> r.path().equals(maintenance)).findFirst().get();
      assertEquals("PUT", m.method());
      assertEquals("true", m.query().get("enable"));
      assertTrue(m.query().containsKey("reason"));
      ticket.close();
      stopper.join();

      requests = agent.requests();
      int deregister = indexOf(requests, r -> r.path().equals("/v1/agent/service/deregister/orders-1"));
      assertTrue(deregister > indexOf(requests, r -> r.path().equals(maintenance)), requests.toString());
      assertEquals("PUT", requests.get(deregister).method());
      assertEquals(List.of(), agent.violations());
    }
  }

  @Test
  void anAgentDownAtStartupLeavesTheApplicationDegradedAndTheRetryRegisters() throws Exception {
    try (ConsulAgentStub agent = new ConsulAgentStub()) {
      agent.up(false);
      ServiceRegistration registration = ServiceRegistration.builder()
          .registry("consul://127.0.0.1:" + agent.port())
          .serviceName("orders")
          .instanceId("orders-2")
          .port(8080)
          .build();
      Ordo app = registration.addTo(Ordo.builder())
          .retry(ServiceRegistration.class, RetryPolicy.backoff(Duration.ofMillis(100), Duration.ofMillis(500)))
          .build();
      app.start();
      assertEquals(ApplicationState.RUNNING, app.state());
      assertNotEquals(ComponentState.RUNNING, app.component(ServiceRegistration.class).state());
      assertEquals(-1, indexOf(agent.requests(), r -> r.path().equals("/v1/agent/service/register")));

      agent.up(true);
      await(agent, rs -> rs.stream().anyMatch(r -> r.path().equals("/v1/agent/service/register")));
      assertTrue(registration.isRegistered());
      app.stop();
      await(agent, rs -> rs.stream().anyMatch(r -> r.path().equals("/v1/agent/service/deregister/orders-2")));
      assertEquals(List.of(), agent.violations());
    }
  }

  @Test
  void addedOnlyAsAComponentItRegistersAtStartupAndGoesOutOfServiceBeforeDeregistering() throws Exception {
    try (ConsulAgentStub agent = new ConsulAgentStub()) {
      ServiceRegistration registration = ServiceRegistration.builder()
          .registry("consul://127.0.0.1:" + agent.port())
          .serviceName("orders")
          .instanceId("orders-3")
          .port(8080)
          .build();
      Ordo app = Ordo.builder().component(registration).build();
      app.start();
      assertTrue(registration.isRegistered());
      app.stop();
      List<ConsulAgentStub.Request> requests = agent.requests();
      int maintenance = indexOf(requests, r -> r.path().equals("/v1/agent/service/maintenance/orders-3"));
      int deregister = indexOf(requests, r -> r.path().equals("/v1/agent/service/deregister/orders-3"));
      assertTrue(maintenance > 0 && deregister > maintenance, requests.toString());
      assertEquals(List.of(), agent.violations());
    }
  }

  @Test
  void aPortKnownOnlyLaterIsReadWhenTheInstanceRegistersRetriedUntilItIsKnown() throws Exception {
    try (ConsulAgentStub agent = new ConsulAgentStub()) {
      java.util.concurrent.atomic.AtomicInteger port = new java.util.concurrent.atomic.AtomicInteger(0);
      ServiceRegistration registration = ServiceRegistration.builder()
          .registry("consul://127.0.0.1:" + agent.port())
          .serviceName("orders")
          .instanceId("orders-4")
          .address("127.0.0.1")
          .port(port::get)
          .healthPort(() -> 8181)
          .build();
      Ordo app = registration.addTo(Ordo.builder())
          .health(dev.ordo.runtime.health.HealthOptions.defaults().interval(Duration.ofMillis(100)).failureThreshold(1))
          .retry(ServiceRegistration.class, RetryPolicy.backoff(Duration.ofMillis(100), Duration.ofMillis(200)))
          .build();
      app.start();
      assertEquals(0, registration.instance().port(), "not registered yet: the port is not known");
      port.set(8180); // the server picked its port
      await(agent, rs -> rs.stream().anyMatch(r -> r.path().equals("/v1/agent/service/register")));
      JsonNode body = agent.requests().stream().filter(r -> r.path().equals("/v1/agent/service/register"))
          .findFirst().get().body();
      assertEquals(8180, body.get("Port").asInt());
      assertEquals("http://127.0.0.1:8181/health/ready", body.get("Checks").get(1).get("HTTP").asText());
      assertEquals(8180, registration.instance().port());
      app.stop();
      assertEquals(List.of(), agent.violations());
    }
  }
}
