package dev.ordo.it.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.Health;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.RequestTracker;
import dev.ordo.runtime.ShutdownReport;
import dev.ordo.runtime.events.EventOptions;
import dev.ordo.runtime.events.InMemoryEventSink;
import dev.ordo.runtime.health.CheckResult;
import dev.ordo.runtime.health.HealthOptions;
import dev.ordo.runtime.health.HealthReport;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every duration setter and every duration key, given zero, negative, huge and malformed values:
 * a bad one fails {@code build()} with a {@code ConfigurationException} naming the key and the
 * value; a huge one means no limit and the application starts and stops.
 */
@Timeout(120)
class StressDurationsTest {
  private static final List<String> KEYS = List.of(
      "ordo.startup.timeout", "ordo.shutdown.timeout", "ordo.shutdown.delay", "ordo.shutdown.drain-timeout",
      "ordo.shutdown.component-timeout", "ordo.health.interval", "ordo.health.timeout",
      "ordo.events.metrics-interval", "ordo.kubernetes.grace-period");

  private final Script script = new Script();

  @AfterEach
  void clearProperties() {
    for (String key : KEYS) {
      System.clearProperty(key);
    }
  }

  /** Each builder setter that takes a duration, by the key it configures. */
  private static Map<String, BiFunction<Ordo.Builder, Duration, Ordo.Builder>> setters() {
    Map<String, BiFunction<Ordo.Builder, Duration, Ordo.Builder>> setters = new LinkedHashMap<>();
    setters.put("ordo.startup.timeout", Ordo.Builder::startupTimeout);
    setters.put("ordo.shutdown.timeout", Ordo.Builder::shutdownTimeout);
    setters.put("ordo.shutdown.delay", Ordo.Builder::shutdownDelay);
    setters.put("ordo.shutdown.drain-timeout", Ordo.Builder::drainTimeout);
    setters.put("ordo.shutdown.component-timeout", Ordo.Builder::componentShutdownTimeout);
    setters.put("ordo.health.interval", (b, d) -> b.health(HealthOptions.defaults().interval(d)));
    setters.put("ordo.health.timeout", (b, d) -> b.health(HealthOptions.defaults().timeout(d)));
    setters.put("ordo.events.metrics-interval",
        (b, d) -> b.events(EventOptions.defaults().sink(new InMemoryEventSink()).metricsInterval(d)));
    return setters;
  }

  private Ordo.Builder graph() {
    return Ordo.builder().components(new Base(script), new Checked(script), new Forever(script));
  }

  private static void assertNamesKeyAndValue(ConfigurationException e, String key) {
    assertTrue(e.getMessage().contains(key), () -> "names " + key + ": " + e.getMessage());
  }

  @Test
  void negativeDurationsFromTheBuilderFailTheBuildNamingTheKey() {
    for (var setter : setters().entrySet()) {
      ConfigurationException e = assertThrows(ConfigurationException.class,
          () -> setter.getValue().apply(graph(), Duration.ofMillis(-1)).build(), setter.getKey());
      assertNamesKeyAndValue(e, setter.getKey());
      assertTrue(e.getMessage().contains("-1ms") || e.getMessage().contains("PT-0.001S"), e::getMessage);
    }
  }

  @Test
  void zeroDurationsFromTheBuilderFailTheBuildUnlessTheyMeanNone() {
    for (var setter : setters().entrySet()) {
      if (setter.getKey().equals("ordo.shutdown.delay")) {
        Ordo app = setter.getValue().apply(graph(), Duration.ZERO).build(); // "0 (none)"
        app.start();
        assertTrue(app.stop().clean());
        continue;
      }
      if (setter.getKey().equals("ordo.shutdown.drain-timeout")) {
        Ordo app = setter.getValue().apply(graph(), Duration.ZERO).build(); // no wait for work in flight
        app.start();
        RequestTracker.Ticket held = app.requestTracker().enter();
        ShutdownReport report = app.stop();
        assertEquals(1, report.inFlightAtDrainEnd(), report::toString);
        assertEquals(ShutdownReport.EXIT_BUDGET_EXCEEDED, report.exitCode());
        held.close();
        continue;
      }
      ConfigurationException e = assertThrows(ConfigurationException.class,
          () -> setter.getValue().apply(graph(), Duration.ZERO).build(), setter.getKey());
      assertNamesKeyAndValue(e, setter.getKey());
    }
  }

  @Test
  void hugeDurationsFromTheBuilderMeanNoLimit() {
    List<Duration> huge = List.of(Duration.ofDays(200_000), ChronoUnit.FOREVER.getDuration(),
        Duration.ofSeconds(Long.MAX_VALUE, 999_999_999));
    for (var setter : setters().entrySet()) {
      String key = setter.getKey();
      if (key.equals("ordo.shutdown.delay") || key.equals("ordo.shutdown.drain-timeout")) {
        continue; // as long as the budget or longer: refused, below
      }
      for (Duration d : huge) {
        Ordo.Builder b = setter.getValue().apply(graph(), d);
        if (key.equals("ordo.health.interval") || key.equals("ordo.events.metrics-interval")) {
          b.shutdownTimeout(Duration.ofSeconds(30));
        }
        Ordo app = b.build();
        app.start();
        assertEquals(ApplicationState.RUNNING, app.state(), key + "=" + d);
        HealthReport health = app.health().refresh();
        assertEquals(3, health.checks().size(), health::toString);
        for (CheckResult check : health.checks()) {
          assertEquals(Health.Status.UP, check.status(), () -> key + "=" + d + ": " + check);
        }
        ShutdownReport report = app.stop();
        assertTrue(report.clean(), () -> key + "=" + d + ": " + report);
        assertEquals(ApplicationState.STOPPED, app.state());
      }
    }
  }

  @Test
  void aHugeDelayOrDrainIsRefusedAgainstTheBudgetNamingTheKeys() {
    for (String key : List.of("ordo.shutdown.delay", "ordo.shutdown.drain-timeout")) {
      ConfigurationException e = assertThrows(ConfigurationException.class,
          () -> setters().get(key).apply(graph(), ChronoUnit.FOREVER.getDuration()).build(), key);
      assertTrue(e.getMessage().contains(key) && e.getMessage().contains("ordo.shutdown.timeout"), e::getMessage);
    }
    // both "no limit": a budget without limit leaves the stop phase no limit either
    Ordo app = graph().shutdownTimeout(ChronoUnit.FOREVER.getDuration())
        .drainTimeout(Duration.ofDays(200_000))
        .shutdownDelay(Duration.ofMillis(1))
        .build();
    app.start();
    assertTrue(app.stop().clean());
  }

  @Test
  void malformedSystemPropertiesFailTheBuildNamingKeyAndValue() {
    List<String> bad = List.of("0s", "-1s", "+1s", "1.5s", "10S", "10 s", "PT10S", "1h30m", "", "  ",
        "ms", "9".repeat(40), "１０s");
    for (String key : KEYS) {
      for (String value : bad) {
        if ((key.equals("ordo.shutdown.delay") || key.equals("ordo.shutdown.drain-timeout")) && value.equals("0s")) {
          continue; // none, and no wait for work in flight
        }
        System.setProperty(key, value);
        try {
          ConfigurationException e = assertThrows(ConfigurationException.class, () -> graph().build(),
              key + "='" + value + "'");
          assertNamesKeyAndValue(e, key);
          assertTrue(e.getMessage().contains("'" + value + "'"), e::getMessage);
        } finally {
          System.clearProperty(key);
        }
      }
    }
  }

  @Test
  void hugeAndPaddedSystemPropertiesWork() {
    for (String key : KEYS) {
      if (key.equals("ordo.shutdown.delay") || key.equals("ordo.shutdown.drain-timeout")
          || key.equals("ordo.kubernetes.grace-period")) {
        continue;
      }
      for (String value : List.of("3000000h", " 30s\n", "\t10s ", "9".repeat(30) + "h", "00000000000000000000000010s")) {
        if (key.equals("ordo.events.metrics-interval") && value.endsWith("1ms")) {
        }
        System.setProperty(key, value);
        try {
          Ordo.Builder b = graph();
          if (key.equals("ordo.events.metrics-interval")) {
            b.events(EventOptions.defaults().sink(new InMemoryEventSink()));
          }
          Ordo app = b.build();
          app.start();
          ShutdownReport report = app.stop();
          assertTrue(report.clean() || key.equals("ordo.shutdown.timeout") || key.equals("ordo.shutdown.component-timeout"),
              () -> key + "='" + value + "': " + report);
          assertEquals(ApplicationState.STOPPED, app.state());
        } finally {
          System.clearProperty(key);
        }
      }
    }
  }
}
