package dev.ordo.it.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.ShutdownReport;
import dev.ordo.runtime.events.EventOptions;
import dev.ordo.runtime.events.InMemoryEventSink;
import dev.ordo.runtime.health.HealthOptions;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Out-of-range values given in code to {@code HealthOptions} and {@code EventOptions}: each fails
 * {@code build()} with a {@code ConfigurationException} naming the key and the value; extreme
 * values that are in range work.
 */
@Timeout(120)
class StressOptionsTest {
  private final Script script = new Script();

  private Ordo.Builder graph() {
    return Ordo.builder().components(new Base(script), new Checked(script));
  }

  @Test
  void outOfRangeHealthAndEventValuesFailTheBuildNamingKeyAndValue() {
    Map<String, List<Object[]>> bad = Map.of(
        "ordo.health.port", List.of(new Object[] {-1}, new Object[] {65536}, new Object[] {Integer.MIN_VALUE}),
        "ordo.health.failure-threshold", List.of(new Object[] {0}, new Object[] {-1}),
        "ordo.health.success-threshold", List.of(new Object[] {0}, new Object[] {Integer.MIN_VALUE}),
        "ordo.events.queue-size", List.of(new Object[] {0}, new Object[] {-1}),
        "ordo.events.type-prefix", List.of(new Object[] {""}, new Object[] {"Com.Acme!"}, new Object[] {" "}),
        "ordo.events.source", List.of(new Object[] {""}, new Object[] {"not a uri reference%"}));
    for (var entry : bad.entrySet()) {
      for (Object[] value : entry.getValue()) {
        String key = entry.getKey();
        Supplier<Ordo.Builder> builder = () -> {
          Object v = value[0];
          return switch (key) {
            case "ordo.health.port" -> graph().health(HealthOptions.defaults().port((Integer) v));
            case "ordo.health.failure-threshold" -> graph().health(HealthOptions.defaults().failureThreshold((Integer) v));
            case "ordo.health.success-threshold" -> graph().health(HealthOptions.defaults().successThreshold((Integer) v));
            case "ordo.events.queue-size" ->
                graph().events(EventOptions.defaults().sink(new InMemoryEventSink()).queueSize((Integer) v));
            case "ordo.events.type-prefix" ->
                graph().events(EventOptions.defaults().sink(new InMemoryEventSink()).typePrefix((String) v));
            default -> graph().events(EventOptions.defaults().sink(new InMemoryEventSink()).source((String) v));
          };
        };
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> builder.get().build(),
            key + "=" + value[0]);
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains("'" + value[0] + "'"),
            () -> key + "=" + value[0] + ": " + e.getMessage());
      }
    }
  }

  @Test
  void extremeValuesInRangeWork() throws Exception {
    Ordo app = graph()
        .health(HealthOptions.defaults().failureThreshold(Integer.MAX_VALUE).successThreshold(Integer.MAX_VALUE))
        .events(EventOptions.defaults().sink(new InMemoryEventSink()).queueSize(Integer.MAX_VALUE))
        .build();
    app.start();
    app.health().refresh();
    ShutdownReport report = app.stop();
    assertTrue(report.clean(), report::toString);
    assertEquals(0, app.events().stats().sinks().get(0).pending());
  }
}
