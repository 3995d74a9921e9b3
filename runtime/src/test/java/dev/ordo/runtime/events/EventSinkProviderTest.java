package dev.ordo.runtime.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.ConfigurationException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Sinks that modules add from their own settings: asked only when such a setting is there, after
 * the sinks given in code, told which sinks are given, and failing the build on a bad value.
 */
class EventSinkProviderTest {
  /** Registered in this module's test resources (META-INF/services). */
  public static final class TestSinkProvider implements EventSinkProvider {
    static volatile int asked;

    @Override
    public Optional<EventSink> sink(Properties systemProperties, Map<String, String> environment, List<EventSink> given) {
      asked++;
      String enabled = systemProperties.getProperty("ordo.events.test.enabled", environment.get("ORDO_EVENTS_TEST_ENABLED"));
      if (enabled == null || given.stream().anyMatch(s -> s.name().equals("test-provided"))) {
        return Optional.empty();
      }
      if (!enabled.equals("true")) {
        throw new ConfigurationException("Invalid value '" + enabled + "' for ordo.events.test.enabled");
      }
      return Optional.of(new EventSink() {
        @Override
        public void deliver(Event event) {}

        @Override
        public String name() {
          return "test-provided";
        }
      });
    }
  }

  private static Properties props(String... keyValues) {
    Properties p = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      p.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return p;
  }

  @Test
  void aProviderAddsItsSinkWhenItsSettingsAskForIt() {
    EventOptions.Config fromProperty = EventOptions.defaults().resolve(props("ordo.events.test.enabled", "true"), Map.of());
    assertEquals(List.of("test-provided"), fromProperty.sinks().stream().map(EventSink::name).toList());
    EventOptions.Config fromEnvironment = EventOptions.defaults().sink(new InMemoryEventSink())
        .resolve(new Properties(), Map.of("ORDO_EVENTS_TEST_ENABLED", "true"));
    assertEquals(List.of("in-memory", "test-provided"), fromEnvironment.sinks().stream().map(EventSink::name).toList());
  }

  @Test
  void withoutSuchASettingTheProvidersAreNotEvenAsked() {
    int before = TestSinkProvider.asked;
    EventOptions.Config config = EventOptions.defaults().resolve(
        props("ordo.events.queue-size", "10", "ordo.events.type-prefix", "com.acme"),
        Map.of("ORDO_EVENTS_SOURCE", "/x", "ORDO_EVENTS_FILE", ""));
    assertEquals(List.of(), config.sinks());
    assertEquals(before, TestSinkProvider.asked);
    assertFalse(EventOptions.hasSinkSettings(props("ordo.events.file", "-"), Map.of("ORDO_EVENTS_QUEUE_SIZE", "1")));
    assertTrue(EventOptions.hasSinkSettings(new Properties(), Map.of("ORDO_EVENTS_KAFKA_TOPIC", "t")));
    assertTrue(EventOptions.hasSinkSettings(props("ordo.events.kafka.topic", "t"), Map.of()));
    // The metrics interval is the runtime's own setting too, not a sink's.
    assertFalse(EventOptions.hasSinkSettings(props("ordo.events.metrics-interval", "30s"),
        Map.of("ORDO_EVENTS_METRICS_INTERVAL", "30s")));
  }

  @Test
  void aProvidersBadValueFailsTheBuild() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> EventOptions.defaults().resolve(props("ordo.events.test.enabled", "maybe"), Map.of()));
    assertTrue(e.getMessage().contains("'maybe'"), e.getMessage());
  }
}
