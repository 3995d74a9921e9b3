package dev.ordo.kafka;

import dev.ordo.runtime.events.EventSink;
import dev.ordo.runtime.events.EventSinkProvider;
import dev.ordo.runtime.internal.Settings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Adds a {@link KafkaEventSink} to every application built while {@code ordo.events.kafka.bootstrap-servers}
 * (or {@code ORDO_EVENTS_KAFKA_BOOTSTRAP_SERVERS}) is set, configured by the {@code ordo.events.kafka.*}
 * settings, unless the application was given a {@link KafkaEventSink} in code. Found by the runtime
 * through {@link java.util.ServiceLoader}; not called by applications.
 *
 * @since 0.1
 */
public final class KafkaEventSinkProvider implements EventSinkProvider {
  /** For {@link java.util.ServiceLoader}. */
  public KafkaEventSinkProvider() {}

  @Override
  public Optional<EventSink> sink(Properties systemProperties, Map<String, String> environment, List<EventSink> given) {
    if (new Settings(systemProperties, environment).text(KafkaEventSink.BOOTSTRAP_SERVERS) == null
        || given.stream().anyMatch(s -> s instanceof KafkaEventSink)) {
      return Optional.empty();
    }
    return Optional.of(KafkaEventSink.builder().configuration(systemProperties, environment).build());
  }
}
