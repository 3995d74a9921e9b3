package dev.ordo.runtime.events;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Adds a sink that its own settings ask for, without code: a module such as {@code ordo-kafka}
 * provides one, found with {@link java.util.ServiceLoader} (through
 * {@code META-INF/services/dev.ordo.runtime.events.EventSinkProvider}, or a {@code provides} line
 * on the module path), and it adds its sink when its key is set ({@code ordo.events.kafka.bootstrap-servers}).
 * The providers are asked when the application is built, after the sinks given in code and
 * {@code ordo.events.file}, and only when a system property {@code ordo.events.<sink>.*} or an
 * environment variable {@code ORDO_EVENTS_<SINK>_*} is set that is not one of the runtime's own
 * event settings (so a provider's keys must have that form); a provider's
 * {@link dev.ordo.runtime.ConfigurationException} fails the build, like any bad setting.
 *
 * @since 0.1
 */
public interface EventSinkProvider {
  /**
   * The sink the settings ask for, or empty when they ask for none.
   *
   * @param systemProperties the process's system properties (or a test's)
   * @param environment the process's environment (or a test's)
   * @param given the sinks already configured (in code and by {@code ordo.events.file}): a provider
   *     adds nothing when one of its own sinks is among them
   */
  Optional<EventSink> sink(Properties systemProperties, Map<String, String> environment, List<EventSink> given);
}
