package dev.ordo.runtime.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.Ordo;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class HealthOptionsTest {
  private static HealthConfig resolve(HealthOptions options, Map<String, String> props, Map<String, String> env) {
    Properties p = new Properties();
    p.putAll(props);
    return options.resolve(p, env);
  }

  private static String failure(HealthOptions options, Map<String, String> props, Map<String, String> env) {
    return assertThrows(ConfigurationException.class, () -> resolve(options, props, env)).getMessage();
  }

  @Test
  void defaults() {
    HealthConfig c = resolve(HealthOptions.defaults(), Map.of(), Map.of());
    assertNull(c.port(), "no probes unless asked");
    assertEquals("127.0.0.1", c.host());
    assertEquals(false, c.details());
    assertEquals(Duration.ofSeconds(10), c.interval());
    assertEquals(Duration.ofSeconds(1), c.timeout());
    assertEquals(3, c.failureThreshold());
    assertEquals(2, c.successThreshold());
  }

  @Test
  void codeBeatsSystemPropertyBeatsEnvironment() {
    Map<String, String> env = Map.of("ORDO_HEALTH_PORT", "9000", "ORDO_HEALTH_INTERVAL", "5s",
        "ORDO_HEALTH_FAILURE_THRESHOLD", "4", "ORDO_HEALTH_HOST", "0.0.0.0", "ORDO_HEALTH_DETAILS", "true");
    HealthConfig fromEnv = resolve(HealthOptions.defaults(), Map.of(), env);
    assertEquals(9000, fromEnv.port());
    assertEquals(Duration.ofSeconds(5), fromEnv.interval());
    assertEquals(4, fromEnv.failureThreshold());
    assertEquals("0.0.0.0", fromEnv.host());
    assertEquals(true, fromEnv.details());
    assertEquals("environment variable ORDO_HEALTH_PORT", fromEnv.portSource());
    HealthConfig fromProps = resolve(HealthOptions.defaults(),
        Map.of("ordo.health.port", "9001", "ordo.health.timeout", "250ms"), env);
    assertEquals(9001, fromProps.port());
    assertEquals(Duration.ofMillis(250), fromProps.timeout());
    HealthConfig fromCode = resolve(HealthOptions.defaults().port(0).successThreshold(5),
        Map.of("ordo.health.port", "9001"), env);
    assertEquals(0, fromCode.port());
    assertEquals(5, fromCode.successThreshold());
    assertEquals("builder", fromCode.portSource());
  }

  @Test
  void badValuesNameKeySourceValueAndForm() {
    assertEquals("Invalid value 'eighty' for ordo.health.port (system property ordo.health.port): expected"
            + " a port number from 0 to 65535 (0: any free port)",
        failure(HealthOptions.defaults(), Map.of("ordo.health.port", "eighty"), Map.of()));
    assertEquals("Invalid value '70000' for ordo.health.port (environment variable ORDO_HEALTH_PORT): expected"
            + " a port number from 0 to 65535 (0: any free port)",
        failure(HealthOptions.defaults(), Map.of(), Map.of("ORDO_HEALTH_PORT", "70000")));
    assertEquals("Invalid value 'soon' for ordo.health.timeout (environment variable ORDO_HEALTH_TIMEOUT):"
            + " expected a positive duration such as 500ms, 10s, 2m or 1h",
        failure(HealthOptions.defaults(), Map.of(), Map.of("ORDO_HEALTH_TIMEOUT", "soon")));
    assertEquals("Invalid value '0' for ordo.health.success-threshold (system property"
            + " ordo.health.success-threshold): expected a positive whole number",
        failure(HealthOptions.defaults(), Map.of("ordo.health.success-threshold", "0"), Map.of()));
    assertEquals("Invalid value 'yes' for ordo.health.details (system property ordo.health.details):"
            + " expected true or false",
        failure(HealthOptions.defaults(), Map.of("ordo.health.details", "yes"), Map.of()));
    assertEquals("Invalid value '-1' for ordo.health.port (builder): expected a port number from 0 to 65535"
            + " (0: any free port)", failure(HealthOptions.defaults().port(-1), Map.of(), Map.of()));
    assertEquals("Invalid value 'PT0S' for ordo.health.interval (builder): expected a positive duration such as"
            + " 500ms, 10s, 2m or 1h", failure(HealthOptions.defaults().interval(Duration.ZERO), Map.of(), Map.of()));
    assertEquals("Invalid value '' for ordo.health.host (environment variable ORDO_HEALTH_HOST): expected a host"
            + " name or address", failure(HealthOptions.defaults(), Map.of(), Map.of("ORDO_HEALTH_HOST", " ")
                .entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> ""))));
  }

  @Test
  void buildFailsOnABadSystemProperty() {
    String key = "ordo.health.interval";
    String before = System.getProperty(key);
    System.setProperty(key, "often");
    try {
      ConfigurationException e = assertThrows(ConfigurationException.class, () -> Ordo.builder().build());
      assertEquals("Invalid value 'often' for ordo.health.interval (system property ordo.health.interval):"
          + " expected a positive duration such as 500ms, 10s, 2m or 1h", e.getMessage());
    } finally {
      if (before == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, before);
      }
    }
  }
}
