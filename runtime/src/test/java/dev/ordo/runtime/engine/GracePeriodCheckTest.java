package dev.ordo.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.internal.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assertions;

/**
 * The runtime's grace-period check: with {@code ordo.kubernetes.grace-period} set, the worst-case
 * shutdown of the actual graph under the settings actually resolved must fit with a margin.
 */
class GracePeriodCheckTest {
  static final class Pool {}

  static final class Store {}

  static final class Cache {}

  private static LifecycleController<Object> controller(ComponentDescriptor descriptor) {
    return new LifecycleController<>(descriptor, new Object()) {};
  }

  /** Store stops in 15s then Pool in default 10s; Cache (independent) in 5s overlaps them. */
  private static ComponentGraph graph() {
    return ComponentGraph.of(List.of(
        controller(ComponentDescriptor.builder(Pool.class).onShutdown("close", null).build()),
        controller(ComponentDescriptor.builder(Store.class).dependsOn(Pool.class.getName())
            .onShutdown("flush", Duration.ofSeconds(15)).build()),
        controller(ComponentDescriptor.builder(Cache.class).onShutdown("clear", Duration.ofSeconds(5)).build())));
  }

  private static RuntimeSettings settings(Map<String, String> environment) {
    return RuntimeSettings.resolve(new RuntimeSettings.FromCode(null, null, null, null, null, null, null),
        new Settings(new Properties(), environment));
  }

  @Test
  void aGracePeriodThatCoversTheWorstCasePlusTheMarginIsQuiet() {
    // drain 10s (the default) + Store 15s -> Pool 10s = 35s, capped by the 30s budget: 30s + 2s.
    assertNull(GracePeriodCheck.warning(graph(), settings(Map.of("ORDO_KUBERNETES_GRACE_PERIOD", "32s"))));
    assertNull(GracePeriodCheck.warning(graph(), settings(Map.of())), "no grace period, no check");
  }

  @Test
  void aShortGracePeriodIsAWarningNamingEveryValue() {
    String warning = GracePeriodCheck.warning(graph(), settings(Map.of(
        "ORDO_KUBERNETES_GRACE_PERIOD", "20s", "ORDO_SHUTDOWN_DELAY", "3s", "ORDO_SHUTDOWN_TIMEOUT", "60s")));
    assertEquals("ordo.kubernetes.grace-period is 20s (environment variable ORDO_KUBERNETES_GRACE_PERIOD),"
        + " but a shutdown may take 38s: ordo.shutdown.delay 3s + ordo.shutdown.drain-timeout 10s + the stop"
        + " phase 25s (the longest chain of stop timeouts: " + Store.class.getCanonicalName() + " 15s -> "
        + Pool.class.getCanonicalName() + " 10s), plus a margin of 2s; Kubernetes kills the pod before the"
        + " shutdown ends. Raise terminationGracePeriodSeconds (and ordo.kubernetes.grace-period with it), or"
        + " shorten the delay, the drain or a stop timeout on that chain.", warning);
  }

  @Test
  void theBudgetCapsTheDrainAndTheStopPhase() {
    String warning = GracePeriodCheck.warning(graph(), settings(Map.of("ORDO_KUBERNETES_GRACE_PERIOD", "31s")));
    Assertions.assertTrue(warning.contains("a shutdown may take 30s") && warning.contains(
        "the drain and the stop phase capped by ordo.shutdown.timeout at 30s"), warning);
  }

  @Test
  void startLogsTheWarningWithTheGracePeriodGivenInCode() {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger("dev.ordo.runtime.Ordo");
    java.util.List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler handler = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
          warnings.add(record.getMessage());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    java.util.logging.Level levelBefore = logger.getLevel();
    logger.setLevel(java.util.logging.Level.ALL); // the tests' logging.properties silences dev.ordo
    logger.addHandler(handler);
    try {
      dev.ordo.runtime.Ordo app = dev.ordo.runtime.Ordo.builder()
          .controller(controller(ComponentDescriptor.builder(Store.class)
              .onShutdown("flush", Duration.ofSeconds(15)).build()))
          .kubernetesGracePeriod(Duration.ofSeconds(5))
          .build();
      app.start();
      app.stop();
    } finally {
      logger.removeHandler(handler);
      logger.setLevel(levelBefore);
    }
    Assertions.assertTrue(warnings.stream().anyMatch(w -> w.startsWith(
        "ordo.kubernetes.grace-period is 5s (builder), but a shutdown may take 25s")), warnings.toString());
  }

  @Test
  void aMalformedGracePeriodFailsFastNamingKeyAndValue() {
    ConfigurationException e = Assertions.assertThrows(ConfigurationException.class,
        () -> settings(Map.of("ORDO_KUBERNETES_GRACE_PERIOD", "half a minute")));
    Assertions.assertTrue(e.getMessage().contains("ordo.kubernetes.grace-period")
        && e.getMessage().contains("half a minute"), e.getMessage());
  }
}
