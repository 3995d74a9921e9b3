package dev.ordo.runtime;

import dev.ordo.runtime.engine.RuntimeSettings;
import dev.ordo.runtime.internal.Settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  private static RuntimeSettings onSignal(Boolean code, Map<String, String> props, Map<String, String> env) {
    return RuntimeSettings.resolve(new RuntimeSettings.FromCode(null, null, null, null, null, null, code),
        settings(props, env));
  }

  @Test
  void runHandlesSignalsUnlessOnSignalWasSetToFalseSomewhere() {
    // Not set anywhere: start() leaves signals alone, run() handles them.
    RuntimeSettings unset = onSignal(null, Map.of(), Map.of());
    assertFalse(unset.shutdownOnSignal());
    assertTrue(unset.shutdownOnSignalUnlessRefused());
    // Set to false in code, a system property or the environment: neither handles them.
    for (RuntimeSettings refused : new RuntimeSettings[] {
        onSignal(false, Map.of("ordo.shutdown.on-signal", "true"), Map.of()),
        onSignal(null, Map.of("ordo.shutdown.on-signal", "false"), Map.of("ORDO_SHUTDOWN_ON_SIGNAL", "true")),
        onSignal(null, Map.of(), Map.of("ORDO_SHUTDOWN_ON_SIGNAL", " FALSE "))}) {
      assertFalse(refused.shutdownOnSignal());
      assertFalse(refused.shutdownOnSignalUnlessRefused());
    }
    // Set to true: both do.
    RuntimeSettings on = onSignal(null, Map.of(), Map.of("ORDO_SHUTDOWN_ON_SIGNAL", "true"));
    assertTrue(on.shutdownOnSignal());
    assertTrue(on.shutdownOnSignalUnlessRefused());
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
