package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.ordo.processor.Sources.assertOnlyError;
import static dev.ordo.processor.Sources.compile;
import static dev.ordo.processor.Sources.component;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/**
 * {@code @OnStartup(retry = @Retry(...))} and {@code @HealthCheck(restart = true)}: each error on
 * its value, and the policy in the generated descriptor.
 */
class SelfHealingProcessorTest {
  @Test
  void theGeneratedDescriptorCarriesThePolicyAndTheRestartingCheck() throws Exception {
    Compilation compilation = compile(Sources.cache());
    assertThat(compilation).succeededWithoutWarnings();
    ComponentDescriptor d = descriptor(compilation, "com.acme.Cache_Lifecycle");
    assertEquals(RetryPolicy.backoff(Duration.ofMillis(500), Duration.ofMinutes(2)).attempts(20), d.retryPolicy());
    assertTrue(d.healthChecks().get(0).restart());
    assertFalse(d.healthChecks().get(1).restart());
  }

  @Test
  void retryWithItsDefaults() throws Exception {
    Compilation compilation = compile(component("Feed",
        "public class Feed {",
        "  @OnStartup(retry = @Retry) void connect() {}",
        "}"));
    assertThat(compilation).succeededWithoutWarnings();
    assertEquals(RetryPolicy.defaults(), descriptor(compilation, "com.acme.Feed_Lifecycle").retryPolicy());
    Compilation empty = compile(component("Feed",
        "public class Feed {",
        "  @OnStartup(retry = @Retry(initial = \"\", max = \" 2m \")) void connect() {}",
        "}"));
    assertThat(empty).succeededWithoutWarnings();
    assertEquals(RetryPolicy.backoff(Duration.ofSeconds(1), Duration.ofMinutes(2)),
        descriptor(empty, "com.acme.Feed_Lifecycle").retryPolicy());
  }

  @Test
  void withoutRetryTheDescriptorHasNoPolicy() throws Exception {
    Compilation compilation = compile(component("Feed",
        "public class Feed {",
        "  @OnStartup(retry = {}) void connect() {}",
        "}"));
    assertThat(compilation).succeededWithoutWarnings();
    assertNull(descriptor(compilation, "com.acme.Feed_Lifecycle").retryPolicy());
  }

  @Test
  void aRetryDurationThatDoesNotParseIsAnErrorOnItsValue() {
    JavaFileObject feed = component("Feed",
        "public class Feed {",
        "  @OnStartup(",
        "      retry = @Retry(",
        "          initial = \"1 s\"))",
        "  void connect() {}",
        "}");
    assertOnlyError(compile(feed),
        "[Ordo/InvalidDuration] @Retry(initial = \"1 s\") on com.acme.Feed.connect() is not a positive duration\n"
            + "  help: write a whole number above zero followed by ms, s, m or h, such as \"500ms\", \"10s\","
            + " \"2m\" or \"1h\"; leave it empty for the application's default\n"
            + "  docs: docs/errors.md#invalid-duration",
        feed, "initial = ");
  }

  @Test
  void maxShorterThanInitialIsAnError() {
    JavaFileObject feed = component("Feed",
        "public class Feed {",
        "  @OnStartup(retry = @Retry(initial = \"1m\",",
        "      max = \"10s\"))",
        "  void connect() {}",
        "}");
    assertOnlyError(compile(feed),
        "[Ordo/InvalidRetry] @Retry(max = \"10s\") on com.acme.Feed.connect() is shorter than its initial = \"1m\"\n"
            + "  help: make max at least as long as initial: the delay between attempts doubles from initial up to"
            + " max\n"
            + "  docs: docs/errors.md#invalid-retry",
        feed, "max = ");
  }

  @Test
  void negativeAttemptsAreAnError() {
    JavaFileObject feed = component("Feed",
        "public class Feed {",
        "  @OnStartup(retry = @Retry(",
        "      attempts = -1))",
        "  void connect() {}",
        "}");
    assertOnlyError(compile(feed),
        "[Ordo/InvalidRetry] @Retry(attempts = -1) on com.acme.Feed.connect() is negative\n"
            + "  help: write 0 to retry until the application stops, or the most attempts in a row before Ordo gives"
            + " up\n"
            + "  docs: docs/errors.md#invalid-retry",
        feed, "attempts = ");
  }

  @Test
  void twoRetriesAreAnError() {
    JavaFileObject feed = component("Feed",
        "public class Feed {",
        "  @OnStartup(retry = {@Retry, @Retry(initial = \"2s\")})",
        "  void connect() {}",
        "}");
    assertOnlyError(compile(feed),
        "[Ordo/InvalidRetry] @OnStartup on com.acme.Feed.connect() gives 2 @Retry annotations in retry = {...};"
            + " a start is retried one way\n"
            + "  help: keep one: retry = @Retry(...)\n"
            + "  docs: docs/errors.md#invalid-retry",
        feed, "retry = {");
  }

  @Test
  void aCriticalComponentCannotRetry() {
    JavaFileObject store = component("Store",
        "@Critical",
        "public class Store {",
        "  @OnStartup(timeout = \"10s\",",
        "      retry = @Retry)",
        "  void migrate() {}",
        "}");
    assertOnlyError(compile(store),
        "[Ordo/RetryOnCritical] com.acme.Store is @Critical, so its start cannot be retried: when a critical"
            + " component fails to start, the startup fails and everything that started is stopped again\n"
            + "  help: remove @Critical if the application can run degraded while com.acme.Store retries; or remove"
            + " retry = @Retry(...), and to wait for a dependency at startup, retry inside the @OnStartup method,"
            + " within its timeout\n"
            + "  docs: docs/errors.md#retry-on-critical",
        store, "retry = @Retry");
  }

  @Test
  void aCriticalComponentIsNotRestarted() {
    JavaFileObject store = component("Store",
        "@Critical",
        "public class Store {",
        "  @OnStartup void migrate() {}",
        "  @HealthCheck(",
        "      restart = true)",
        "  boolean ping() { return true; }",
        "}");
    assertOnlyError(compile(store),
        "[Ordo/RetryOnCritical] @HealthCheck(restart = true) on com.acme.Store.ping() would restart"
            + " com.acme.Store, which is @Critical: a critical component is not restarted while the application"
            + " runs\n"
            + "  help: remove restart = true: a DOWN check of a critical component takes readiness DOWN, and the"
            + " orchestrator decides what to do; or remove @Critical\n"
            + "  docs: docs/errors.md#retry-on-critical",
        store, "restart = true");
  }

  @Test
  void aRestartNeedsTheRetryItsBackoffComesFrom() {
    JavaFileObject cache = component("Cache",
        "public class Cache {",
        "  @OnStartup void connect() {}",
        "  @HealthCheck(restart = true) boolean ping() { return true; }",
        "}");
    assertOnlyError(compile(cache),
        "[Ordo/RestartWithoutRetry] @HealthCheck(restart = true) on com.acme.Cache.ping() restarts com.acme.Cache"
            + " with the backoff of its @OnStartup(retry = ...), which it does not declare\n"
            + "  help: add retry = @Retry(...) to the @OnStartup method of com.acme.Cache (declare one if it has"
            + " none: a restart stops the component, then starts it again)\n"
            + "  docs: docs/errors.md#restart-without-retry",
        cache, "restart = true");
    JavaFileObject noStart = component("Cache",
        "public class Cache {",
        "  @HealthCheck(restart = true) boolean ping() { return true; }",
        "}");
    assertThat(compile(noStart)).hadErrorContaining("[Ordo/RestartWithoutRetry]");
  }

  @Test
  void restartFalseNeedsNothing() {
    assertThat(compile(component("Cache",
        "public class Cache {",
        "  @HealthCheck(restart = false) boolean ping() { return true; }",
        "}"))).succeededWithoutWarnings();
  }

  private static ComponentDescriptor descriptor(Compilation compilation, String controller) throws Exception {
    ClassLoader loader = new ClassLoader(SelfHealingProcessorTest.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        JavaFileObject file = compilation
            .generatedFile(StandardLocation.CLASS_OUTPUT, name.replace('.', '/') + ".class")
            .orElseThrow(() -> new ClassNotFoundException(name));
        try (InputStream in = file.openInputStream()) {
          byte[] bytes = in.readAllBytes();
          return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
          throw new ClassNotFoundException(name, e);
        }
      }
    };
    return (ComponentDescriptor) loader.loadClass(controller).getField("DESCRIPTOR").get(null);
  }
}
