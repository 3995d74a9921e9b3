package dev.ordo.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.events.EventOptions;
import dev.ordo.runtime.events.EventStats;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The sink's promises under hostile settings and brokers that cannot be reached, without a broker. */
class KafkaEventSinkAdversarialTest {
  private static KafkaEventSink.Builder with(Map<String, String> properties) {
    Properties p = new Properties();
    p.putAll(properties);
    return KafkaEventSink.builder().configuration(p, Map.of());
  }

  @Test
  void aBrokerWhoseNameDoesNotResolveLetsTheApplicationRunAndNothingIsReportedDelivered() throws Exception {
    KafkaEventSink kafka = KafkaEventSink.builder().bootstrapServers("no-such-broker.invalid:9092").topic("unresolved").build();
    Ordo app = Ordo.builder()
        .events(EventOptions.defaults().sink(kafka))
        .shutdownTimeout(Duration.ofSeconds(2))
        .build();
    app.start();
    assertEquals(ApplicationState.RUNNING, app.state());
    for (int i = 0; i < 10; i++) {
      app.events().publish("c", "tick", null, Map.of("n", i));
    }
    app.stop();
    EventStats stats = app.events().stats();
    EventStats.SinkStats sink = KafkaEventSinkBrokerTest.sinkStats(stats, kafka.name());
    assertEquals(0, sink.delivered(), sink.toString());
    assertEquals(0, sink.pending(), sink.toString());
    assertEquals(stats.published(), sink.dropped() + sink.failed(), "every event counted as not delivered: " + stats);
    assertEquals(ApplicationState.STOPPED, app.state());
  }

  @Test
  void everyBadValueFailsTheBuildNamingTheKeyAndTheValue() {
    String servers = "ordo.events.kafka.bootstrap-servers";
    Map<String, String[]> bad = new java.util.LinkedHashMap<>();
    bad.put(servers, new String[] {"", " ", "localhost", "localhost:0", "localhost:65536", "localhost:abc", ":9092",
        "a:1,,b:2", "a b:1", "::1:9092"});
    bad.put("ordo.events.kafka.topic", new String[] {"", "..", "a/b", "x".repeat(250), "t\u00e9"});
    bad.put("ordo.events.kafka.mode", new String[] {"", "avro", "struct"});
    bad.put("ordo.events.kafka.delivery-timeout", new String[] {"", "0s", "-1s", "10s", "2 m", "PT2M", "3000000h",
        "99999999999999999999999999999h", "2147484s"});
    bad.put("ordo.events.kafka.client-id", new String[] {"", " "});
    bad.put("ordo.events.kafka.producer.linger.ms", new String[] {"soon", "-1"});
    bad.put("ordo.events.kafka.producer.compression.type", new String[] {"brotli"});
    bad.put("ordo.events.kafka.producer.acks", new String[] {"2"});
    for (Map.Entry<String, String[]> e : bad.entrySet()) {
      for (String value : e.getValue()) {
        Map<String, String> p = new java.util.HashMap<>();
        p.put(servers, "localhost:9092");
        p.put(e.getKey(), value);
        ConfigurationException x = assertThrows(ConfigurationException.class, () -> with(p).build(),
            e.getKey() + "=" + value);
        assertTrue(x.getMessage().contains(e.getKey()) && x.getMessage().contains("'" + value + "'"),
            e.getKey() + "=" + value + ": " + x.getMessage());
      }
    }
  }
  @Test
  void aProducerThatCannotBeCreatedFailsItsEventsOnceAndKeepsNoneOfThem() throws Exception {
    org.apache.kafka.clients.producer.MockProducer<String, byte[]> producer = new org.apache.kafka.clients.producer.MockProducer<>(
        true, null, new org.apache.kafka.common.serialization.StringSerializer(),
        new org.apache.kafka.common.serialization.ByteArraySerializer());
    java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
    KafkaEventSink sink = KafkaEventSink.builder().bootstrapServers("k:1").producerFactory(config -> {
      if (attempts.incrementAndGet() == 1) {
        throw new org.apache.kafka.common.KafkaException("Failed to construct kafka producer");
      }
      return producer;
    }).build();
    Ordo app = Ordo.builder().events(EventOptions.defaults().sink(sink)).build();
    app.start();
    assertTrue(app.events().flush(Duration.ofMinutes(1)));
    // The first flush (however many events the runtime had handed over by then) failed.
    EventStats.SinkStats first = app.events().stats().sinks().get(0);
    assertTrue(first.failed() > 0, first.toString());
    app.events().publish("c", "tick", null, Map.of("n", 1));
    app.stop();
    EventStats.SinkStats after = app.events().stats().sinks().get(0);
    assertEquals(producer.history().size(), after.delivered(),
        "the failed events are not sent later behind the runtime's back: " + after);
    assertEquals(app.events().stats().published(), after.delivered() + after.failed(), after.toString());
  }
}
