package dev.ordo.runtime;

import dev.ordo.runtime.internal.Settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsTest {
  private static Settings settings(Map<String, String> props, Map<String, String> env) {
    Properties p = new Properties();
    p.putAll(props);
    return new Settings(p, env);
  }

  @Test
  void codeBeatsSystemPropertyBeatsEnvironmentBeatsDefault() {
    Duration dflt = Duration.ofSeconds(30);
    String key = "ordo.shutdown.timeout";
    Settings all = settings(Map.of(key, "20s"), Map.of("ORDO_SHUTDOWN_TIMEOUT", "10s"));
    assertEquals(Duration.ofSeconds(5), all.duration(key, Duration.ofSeconds(5), dflt));
    assertEquals(Duration.ofSeconds(20), all.duration(key, null, dflt));
    Settings envOnly = settings(Map.of(), Map.of("ORDO_SHUTDOWN_TIMEOUT", "2m"));
    assertEquals(Duration.ofMinutes(2), envOnly.duration(key, null, dflt));
    assertEquals(dflt, settings(Map.of(), Map.of()).duration(key, null, dflt));
  }

  @Test
  void environmentNamesFollowTheKey() {
    assertEquals("ORDO_SHUTDOWN_COMPONENT_TIMEOUT", Settings.environmentName("ordo.shutdown.component-timeout"));
  }

  @Test
  void badValuesFailNamingKeySourceValueAndForm() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> settings(Map.of("ordo.shutdown.timeout", "ten seconds"), Map.of())
            .duration("ordo.shutdown.timeout", null, Duration.ofSeconds(30)));
    assertEquals("Invalid value 'ten seconds' for ordo.shutdown.timeout (system property"
        + " ordo.shutdown.timeout): expected a positive duration such as 500ms, 10s, 2m or 1h", e.getMessage());
    ConfigurationException env = assertThrows(ConfigurationException.class,
        () -> settings(Map.of(), Map.of("ORDO_STARTUP_THREADS", "-4"))
            .positiveInt("ordo.startup.threads", null, 64));
    assertEquals("Invalid value '-4' for ordo.startup.threads (environment variable"
        + " ORDO_STARTUP_THREADS): expected a positive whole number", env.getMessage());
    assertThrows(ConfigurationException.class,
        () -> settings(Map.of("ordo.shutdown.on-signal", "yes"), Map.of())
            .bool("ordo.shutdown.on-signal", null, false));
    assertThrows(ConfigurationException.class,
        () -> settings(Map.of(), Map.of()).duration("ordo.shutdown.timeout", Duration.ZERO, Duration.ofSeconds(1)));
  }

  @Test
  void builderFailsFastOnABadSystemProperty() {
    String key = "ordo.startup.timeout";
    String before = System.getProperty(key);
    System.setProperty(key, "soon");
    try {
      ConfigurationException e = assertThrows(ConfigurationException.class, () -> Ordo.builder().build());
      assertEquals("Invalid value 'soon' for ordo.startup.timeout (system property ordo.startup.timeout):"
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
