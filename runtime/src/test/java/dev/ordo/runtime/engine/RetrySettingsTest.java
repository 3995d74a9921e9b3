package dev.ordo.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.RetryPolicy;
import dev.ordo.runtime.internal.Settings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Where a component's retry policy comes from, and the jitter of its delays. */
class RetrySettingsTest {
  private static final RetryPolicy DECLARED = RetryPolicy.backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

  private static LifecycleController<Object> component(ComponentDescriptor.Builder descriptor) {
    return new LifecycleController<>(descriptor.build(), new Object()) {};
  }

  private static ComponentGraph graph() {
    return ComponentGraph.of(List.of(
        component(ComponentDescriptor.builder(Object.class).key("cache").retry(DECLARED)),
        component(ComponentDescriptor.builder(Object.class).key("feed")),
        component(ComponentDescriptor.builder(Object.class).key("com.acme.Pool[orders-db]")),
        component(ComponentDescriptor.builder(Object.class).key("store").critical())));
  }

  private static RetryPolicy[] resolve(Properties properties, Map<String, String> env, Map<String, RetryPolicy> byName) {
    return RetrySettings.resolve(graph(), byName, Map.of(), new Settings(properties, env));
  }

  @Test
  void theDeclarationIsTheDefault() {
    RetryPolicy[] p = resolve(new Properties(), Map.of(), Map.of());
    assertEquals(DECLARED, p[0]);
    assertNull(p[1]);
    assertNull(p[2]);
    assertNull(p[3]);
  }

  @Test
  void builderBeatsPropertyBeatsEnvironmentBeatsDeclaration() {
    Properties props = new Properties();
    Map<String, String> env = new HashMap<>();
    env.put("ORDO_RETRY_CACHE", "attempts=9");
    env.put("ORDO_RETRY_FEED", "on");
    env.put("ORDO_RETRY_COM_ACME_POOL_ORDERS_DB", "initial=5s, max=5s");
    RetryPolicy[] fromEnv = resolve(props, env, Map.of());
    assertEquals(DECLARED.attempts(9), fromEnv[0]);
    assertEquals(RetryPolicy.defaults(), fromEnv[1]);
    assertEquals(RetryPolicy.backoff(Duration.ofSeconds(5), Duration.ofSeconds(5)), fromEnv[2]);
    props.setProperty("ordo.retry.cache", "off");
    props.setProperty("ordo.retry.com.acme.Pool[orders-db]", "initial=2s");
    RetryPolicy[] fromProperty = resolve(props, env, Map.of());
    assertNull(fromProperty[0], "off turns the declared retry off");
    assertEquals(RetryPolicy.backoff(Duration.ofSeconds(2), Duration.ofMinutes(1)), fromProperty[2]);
    RetryPolicy code = RetryPolicy.backoff(Duration.ofSeconds(3), Duration.ofSeconds(3));
    assertEquals(code, resolve(props, env, Map.of("cache", code))[0]);
  }

  @Test
  void theEnvironmentVariableOfAComponentName() {
    assertEquals("ORDO_RETRY_COM_ACME_CONNECTIONPOOL_ORDERS_DB",
        RetrySettings.environmentVariable("com.acme.ConnectionPool[orders-db]"));
    assertEquals("ORDO_RETRY_COM_ACME_OUTER_INNER", RetrySettings.environmentVariable("com.acme.Outer.Inner"));
    assertEquals("ordo.retry.com.acme.Cache", RetrySettings.key("com.acme.Cache"));
  }

  @Test
  void aValueThatDoesNotParseFailsNamingKeySourceAndValue() {
    Properties props = new Properties();
    props.setProperty("ordo.retry.cache", "initial=soon");
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> resolve(props, Map.of(), Map.of()));
    assertEquals("Invalid value 'initial=soon' for ordo.retry.cache (system property ordo.retry.cache): expected "
        + RetryPolicy.SETTING_FORM, e.getMessage());
    ConfigurationException env = assertThrows(ConfigurationException.class,
        () -> resolve(new Properties(), Map.of("ORDO_RETRY_FEED", "initial=1m, max=1s"), Map.of()));
    assertTrue(env.getMessage().startsWith("Invalid value 'initial=1m, max=1s' for ordo.retry.feed"
        + " (environment variable ORDO_RETRY_FEED)"), env.getMessage());
  }

  @Test
  void aCriticalComponentCannotBeGivenARetry() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> resolve(new Properties(), Map.of("ORDO_RETRY_STORE", "on"), Map.of()));
    assertEquals("store is critical, and a critical component cannot retry its start (ordo.retry.store ="
        + " initial=1s, max=1m, attempts=0, environment variable ORDO_RETRY_STORE): when it fails, the startup"
        + " fails. Make it optional to let the application run degraded while it retries, or remove the retry.",
        e.getMessage());
    Properties off = new Properties();
    off.setProperty("ordo.retry.store", "off");
    assertNull(resolve(off, Map.of(), Map.of())[3], "off is allowed: it asks for nothing");
  }

  @Test
  void jitterVariesEachDelayByAFifthNeverPastMax() {
    RetryPolicy p = RetryPolicy.backoff(Duration.ofSeconds(10), Duration.ofSeconds(15));
    for (int i = 0; i < 1000; i++) {
      long first = Recovery.jittered(p, 1);
      assertTrue(first >= Duration.ofSeconds(8).toNanos() && first <= Duration.ofSeconds(12).toNanos(), "" + first);
      long capped = Recovery.jittered(p, 5);
      assertTrue(capped >= Duration.ofSeconds(12).toNanos() && capped <= Duration.ofSeconds(15).toNanos(), "" + capped);
    }
    assertEquals(Nanos.NO_LIMIT, Recovery.jittered(RetryPolicy.backoff(Duration.ofDays(200_000),
        Duration.ofDays(200_000)), 1), "a delay past the nanosecond range never comes");
  }
}
