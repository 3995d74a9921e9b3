package dev.ordo.runtime.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.ConfigurationException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Code beats system property beats environment beats default; bad values name key, value and form. */
class EventOptionsTest {
  private static Properties props(String... keyValues) {
    Properties p = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      p.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return p;
  }

  @Test
  void defaults() {
    EventOptions.Config c = EventOptions.defaults().resolve(new Properties(), Map.of());
    assertEquals("dev.ordo", c.typePrefix());
    assertEquals(8192, c.queueSize());
    assertTrue(c.source().matches("/ordo/[A-Za-z0-9._~%-]+/\\d+"), c.source());
    assertTrue(c.sinks().isEmpty());
  }

  @Test
  void codeBeatsPropertyBeatsEnvironment() {
    Map<String, String> env = Map.of("ORDO_EVENTS_TYPE_PREFIX", "org.env", "ORDO_EVENTS_SOURCE", "/env",
        "ORDO_EVENTS_QUEUE_SIZE", "10");
    assertEquals("org.env", EventOptions.defaults().resolve(new Properties(), env).typePrefix());
    assertEquals(10, EventOptions.defaults().resolve(new Properties(), env).queueSize());
    Properties p = props("ordo.events.type-prefix", "org.prop", "ordo.events.source", "urn:shop:web-1");
    assertEquals("org.prop", EventOptions.defaults().resolve(p, env).typePrefix());
    assertEquals("urn:shop:web-1", EventOptions.defaults().resolve(p, env).source());
    assertEquals("com.code", EventOptions.defaults().typePrefix("com.code").resolve(p, env).typePrefix());
  }

  @Test
  void theEventsFileAddsAJsonLinesSink(@TempDir Path dir) {
    Path file = dir.resolve("e.jsonl");
    EventOptions.Config c = EventOptions.defaults().sink(new InMemoryEventSink())
        .resolve(new Properties(), Map.of("ORDO_EVENTS_FILE", file.toString()));
    assertEquals(2, c.sinks().size());
    assertEquals("json-lines:" + file, c.sinks().get(0).name());
    assertEquals("json-lines:stdout",
        EventOptions.defaults().resolve(props("ordo.events.file", "-"), Map.of()).sinks().get(0).name());
  }

  @Test
  void invalidValuesNameTheKeyTheValueWhereItCameFromAndTheForm() {
    ConfigurationException prefix = assertThrows(ConfigurationException.class,
        () -> EventOptions.defaults().resolve(new Properties(), Map.of("ORDO_EVENTS_TYPE_PREFIX", "Com.Acme!")));
    assertEquals("Invalid value 'Com.Acme!' for ordo.events.type-prefix (environment variable"
        + " ORDO_EVENTS_TYPE_PREFIX): expected a reverse-DNS name of lower-case letters, digits, dashes and"
        + " dots, such as com.acme or dev.ordo", prefix.getMessage());
    ConfigurationException queue = assertThrows(ConfigurationException.class,
        () -> EventOptions.defaults().resolve(props("ordo.events.queue-size", "lots"), Map.of()));
    assertEquals("Invalid value 'lots' for ordo.events.queue-size (system property ordo.events.queue-size):"
        + " expected a positive whole number", queue.getMessage());
    ConfigurationException source = assertThrows(ConfigurationException.class,
        () -> EventOptions.defaults().source("a b").resolve(new Properties(), Map.of()));
    assertEquals("Invalid value 'a b' for ordo.events.source (builder): expected a non-empty URI reference, such"
        + " as /shop/web-1 or urn:acme:shop", source.getMessage());
    assertThrows(ConfigurationException.class,
        () -> EventOptions.defaults().queueSize(0).resolve(new Properties(), Map.of()));
  }

  @Test
  void theDefaultSourceIsAUriReference() {
    assertEquals("web%201%2Fa", EventOptions.pathSegment("web 1/a"));
    java.net.URI.create(EventOptions.defaultSource());
  }
}
