package dev.ordo.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.ConfigurationException;
import java.net.URI;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Settings: code over system property over environment over default; bad values fail naming key and value. */
class ServiceRegistrationConfigTest {
  private static ServiceRegistration.Builder with(Map<String, String> properties, Map<String, String> env) {
    Properties p = new Properties();
    p.putAll(properties);
    return ServiceRegistration.builder().configuration(p, env);
  }

  @Test
  void everythingFromTheEnvironment() {
    ServiceRegistration r = with(Map.of(), Map.of(
        "ORDO_REGISTRY_URL", "consul://10.1.1.1:8500",
        "ORDO_REGISTRY_SERVICE_NAME", "orders",
        "ORDO_REGISTRY_PORT", "8080",
        "ORDO_REGISTRY_ADDRESS", "10.0.0.5",
        "ORDO_REGISTRY_INSTANCE_ID", "orders-a",
        "ORDO_REGISTRY_METADATA", "version=1.2, zone=eu-1",
        "ORDO_HEALTH_PORT", "8081")).build();
    ServiceInstance i = r.instance();
    assertEquals("orders", i.name());
    assertEquals("orders-a", i.id());
    assertEquals("10.0.0.5", i.address());
    assertEquals(8080, i.port());
    assertEquals(URI.create("http://10.0.0.5:8081/health/ready"), i.healthUrl());
    assertEquals(Map.of("version", "1.2", "zone", "eu-1"), i.metadata());
    assertEquals("Consul agent at http://10.1.1.1:8500", r.registry());
  }

  @Test
  void defaultsAndPrecedence() {
    ServiceRegistration r = with(Map.of("ordo.registry.url", "etcd://127.0.0.1:2379", "ordo.registry.service-name", "prop",
        "ordo.registry.port", "9000"), Map.of("ORDO_REGISTRY_SERVICE_NAME", "env", "ORDO_REGISTRY_PORT", "1"))
        .port(9100).build();
    assertEquals("prop", r.instance().name());
    assertEquals(9100, r.instance().port());
    assertTrue(r.instance().id().startsWith("prop-") && r.instance().id().endsWith("-" + ProcessHandle.current().pid()));
    assertNull(r.instance().healthUrl(), "no probes configured: no health URL");
    assertEquals("etcd at http://127.0.0.1:2379", r.registry());
  }

  @Test
  void badValuesFailNamingTheKeyAndTheValue() {
    Map<String, String> ok = Map.of("ordo.registry.url", "etcd://h:2379", "ordo.registry.service-name", "s",
        "ordo.registry.port", "80");
    assertMessage(() -> with(Map.of(), Map.of()).build(), "ordo.registry.url", "ORDO_REGISTRY_URL");
    assertMessage(() -> with(Map.of("ordo.registry.url", "zookeeper://h:1"), Map.of()).build(),
        "'zookeeper://h:1'", "ordo.registry.url", "etcd://host:port or consul://host:port");
    assertMessage(() -> with(Map.of("ordo.registry.url", "etcd://h"), Map.of()).build(), "'etcd://h'");
    assertMessage(() -> with(Map.of("ordo.registry.url", "etcd://h:1"), Map.of()).build(), "ordo.registry.service-name");
    assertMessage(() -> with(Map.of("ordo.registry.url", "etcd://h:1", "ordo.registry.service-name", "s"), Map.of())
        .build(), "ordo.registry.port");
    assertMessage(() -> with(Map.of("ordo.registry.url", "etcd://h:1", "ordo.registry.service-name", "s"),
        Map.of("ORDO_REGISTRY_PORT", "http")).build(), "'http'", "ordo.registry.port",
        "environment variable ORDO_REGISTRY_PORT");
    assertMessage(() -> with(ok, Map.of("ORDO_REGISTRY_TTL", "10")).build(), "'10'", "ordo.registry.ttl");
    assertMessage(() -> with(ok, Map.of("ORDO_REGISTRY_TTL", "1s")).build(), "'1s'", "ordo.registry.ttl", "at least 2s");
    assertMessage(() -> with(ok, Map.of("ORDO_REGISTRY_METADATA", "version")).build(), "'version'",
        "ordo.registry.metadata");
    assertMessage(() -> with(ok, Map.of("ORDO_REGISTRY_HEALTH_URL", "ready")).build(), "'ready'",
        "ordo.registry.health-url");
    assertMessage(() -> with(ok, Map.of("ORDO_REGISTRY_ETCD_PREFIX", "services/")).build(), "'services/'",
        "ordo.registry.etcd.prefix");
    assertMessage(() -> with(Map.of("ordo.registry.url", "consul://h:8500", "ordo.registry.service-name", "s",
        "ordo.registry.port", "80", "ordo.registry.consul.deregister-critical-after", "30s"), Map.of()).build(),
        "'30s'", "ordo.registry.consul.deregister-critical-after", "at least 1m");
    assertMessage(() -> with(ok, Map.of()).serviceName("my service").build(), "'my service'", "ordo.registry.service-name");
    assertMessage(() -> with(ok, Map.of()).port(70000).build(), "'70000'", "ordo.registry.port");
  }

  @Test
  void consulDurationsAndPathsAreWhatTheAgentReads() {
    assertEquals("10s", ConsulBackend.seconds(java.time.Duration.ofSeconds(10)));
    assertEquals("1m", ConsulBackend.seconds(java.time.Duration.ofSeconds(60)));
    assertEquals("2s", ConsulBackend.seconds(java.time.Duration.ofMillis(1500)));
    assertEquals("service:a%20b%2Fc:ttl", ConsulBackend.path("service:a b/c:ttl"));
  }

  private static void assertMessage(org.junit.jupiter.api.function.Executable build, String... parts) {
    ConfigurationException e = assertThrows(ConfigurationException.class, build);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
    }
  }
}
