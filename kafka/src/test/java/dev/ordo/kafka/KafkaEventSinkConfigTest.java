package dev.ordo.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.events.Event;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Settings: code over system property over environment over default; bad values fail naming key and value. */
class KafkaEventSinkConfigTest {
  private static KafkaEventSink.Builder with(Map<String, String> properties, Map<String, String> env) {
    Properties p = new Properties();
    p.putAll(properties);
    return KafkaEventSink.builder().configuration(p, env);
  }

  @Test
  void defaultsAreStructuredAcksAllAndIdempotence() {
    KafkaEventSink sink = with(Map.of("ordo.events.kafka.bootstrap-servers", "k1:9092,k2:9093"), Map.of()).build();
    assertEquals(KafkaEventSink.DEFAULT_TOPIC, sink.topic());
    assertEquals(KafkaEventSink.Mode.STRUCTURED, sink.mode());
    assertEquals("all", sink.producerConfig().get("acks"));
    assertEquals("true", sink.producerConfig().get("enable.idempotence"));
    assertEquals("k1:9092,k2:9093", sink.producerConfig().get("bootstrap.servers"));
    assertEquals("120000", sink.producerConfig().get("delivery.timeout.ms"));
    assertEquals("kafka:ordo-events", sink.name());
  }

  @Test
  void codeBeatsSystemPropertyBeatsEnvironment() {
    Map<String, String> env = Map.of("ORDO_EVENTS_KAFKA_BOOTSTRAP_SERVERS", "env:1", "ORDO_EVENTS_KAFKA_TOPIC", "env-topic",
        "ORDO_EVENTS_KAFKA_MODE", "BINARY", "ORDO_EVENTS_KAFKA_DELIVERY_TIMEOUT", "3m",
        "ORDO_EVENTS_KAFKA_CLIENT_ID", "env-client");
    KafkaEventSink fromEnv = with(Map.of(), env).build();
    assertEquals("env-topic", fromEnv.topic());
    assertEquals(KafkaEventSink.Mode.BINARY, fromEnv.mode());
    assertEquals("env:1", fromEnv.producerConfig().get("bootstrap.servers"));
    assertEquals("180000", fromEnv.producerConfig().get("delivery.timeout.ms"));
    assertEquals("env-client", fromEnv.producerConfig().get("client.id"));

    KafkaEventSink fromProperty = with(Map.of("ordo.events.kafka.topic", "prop-topic", "ordo.events.kafka.mode", "structured",
        "ordo.events.kafka.producer.compression.type", "zstd"), env).build();
    assertEquals("prop-topic", fromProperty.topic());
    assertEquals(KafkaEventSink.Mode.STRUCTURED, fromProperty.mode());
    assertEquals("zstd", fromProperty.producerConfig().get("compression.type"));

    KafkaEventSink fromCode = with(Map.of("ordo.events.kafka.topic", "prop-topic"), env)
        .topic("code-topic").mode(KafkaEventSink.Mode.STRUCTURED).bootstrapServers("code:2").build();
    assertEquals("code-topic", fromCode.topic());
    assertEquals("code:2", fromCode.producerConfig().get("bootstrap.servers"));
  }

  @Test
  void badValuesFailNamingTheKeyAndTheValue() {
    assertMessage(() -> with(Map.of(), Map.of()).build(), "ordo.events.kafka.bootstrap-servers",
        "ORDO_EVENTS_KAFKA_BOOTSTRAP_SERVERS");
    assertMessage(() -> with(Map.of("ordo.events.kafka.bootstrap-servers", "k1:9092,k2"), Map.of()).build(),
        "'k1:9092,k2'", "ordo.events.kafka.bootstrap-servers", "system property");
    assertMessage(() -> with(Map.of(), Map.of("ORDO_EVENTS_KAFKA_BOOTSTRAP_SERVERS", "k1:99999")).build(),
        "'k1:99999'", "environment variable ORDO_EVENTS_KAFKA_BOOTSTRAP_SERVERS");
    assertMessage(() -> with(Map.of("ordo.events.kafka.bootstrap-servers", "k:1", "ordo.events.kafka.mode", "json"),
        Map.of()).build(), "'json'", "ordo.events.kafka.mode", "structured or binary");
    assertMessage(() -> with(Map.of("ordo.events.kafka.bootstrap-servers", "k:1", "ordo.events.kafka.topic", "a topic"),
        Map.of()).build(), "'a topic'", "ordo.events.kafka.topic");
    assertMessage(() -> with(Map.of("ordo.events.kafka.bootstrap-servers", "k:1"),
        Map.of("ORDO_EVENTS_KAFKA_DELIVERY_TIMEOUT", "soon")).build(), "'soon'", "ordo.events.kafka.delivery-timeout");
    assertMessage(() -> with(Map.of("ordo.events.kafka.bootstrap-servers", "k:1",
        "ordo.events.kafka.producer.linger.ms", "later"), Map.of()).build(), "later", "linger.ms");
    assertMessage(() -> KafkaEventSink.builder().bootstrapServers("k:1").producerProperty("acks", "1").build(),
        "acks", "'1'");
    assertMessage(() -> KafkaEventSink.builder().bootstrapServers("k:1").deliveryTimeout(Duration.ofSeconds(1)).build(),
        "ordo.events.kafka.delivery-timeout", "PT1S");
    assertMessage(() -> KafkaEventSink.builder().bootstrapServers("k:1")
        .producerProperty("value.serializer", "x").build(), "value.serializer");
  }

  @Test
  void binaryRecordsCarryTheDataAloneAndStructuredOnesTheWholeEvent() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("note", "a \",\"data\": inside");
    data.put("n", 3);
    Event event = new Event("id-1", "/src,\"data\":", "dev.ordo.x", Instant.parse("2026-11-30T10:15:30.123Z"), null,
        "c-1", data);
    KafkaEventSink binary = KafkaEventSink.builder().bootstrapServers("k:1").mode(KafkaEventSink.Mode.BINARY).build();
    ProducerRecord<String, byte[]> b = binary.record(event);
    assertEquals("{\"note\":\"a \\\",\\\"data\\\": inside\",\"n\":3}", new String(b.value(), StandardCharsets.UTF_8));
    assertEquals("2026-11-30T10:15:30.123Z", new String(b.headers().lastHeader("ce_time").value(), StandardCharsets.UTF_8));
    assertEquals(null, b.headers().lastHeader("ce_subject"));
    assertEquals(null, b.key());
    KafkaEventSink structured = KafkaEventSink.builder().bootstrapServers("k:1").build();
    ProducerRecord<String, byte[]> s = structured.record(event);
    assertEquals(event.toJson(), new String(s.value(), StandardCharsets.UTF_8));
    assertEquals(KafkaEventSink.STRUCTURED_CONTENT_TYPE,
        new String(s.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8));
  }

  private static void assertMessage(org.junit.jupiter.api.function.Executable build, String... parts) {
    ConfigurationException e = assertThrows(ConfigurationException.class, build);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
    }
  }

  @Test
  void aRecordKafkaRefusesForGoodCountsAsFailedNeverDelivered() throws Exception {
    org.apache.kafka.clients.producer.MockProducer<String, byte[]> producer = new org.apache.kafka.clients.producer.MockProducer<>(
        true, null, new org.apache.kafka.common.serialization.StringSerializer(),
        new org.apache.kafka.common.serialization.ByteArraySerializer());
    producer.sendException = new org.apache.kafka.common.errors.RecordTooLargeException("too large");
    KafkaEventSink sink = KafkaEventSink.builder().bootstrapServers("k:1").producerFactory(config -> producer).build();
    dev.ordo.runtime.Ordo app = dev.ordo.runtime.Ordo.builder()
        .events(dev.ordo.runtime.events.EventOptions.defaults().sink(sink)).build();
    app.start();
    assertTrue(app.events().flush(Duration.ofMinutes(1)));
    dev.ordo.runtime.events.EventStats.SinkStats refused = app.events().stats().sinks().get(0);
    assertEquals(0, refused.delivered(), refused.toString());
    assertTrue(refused.failed() > 0, refused.toString());

    producer.sendException = null; // Kafka takes records again: the next ones are delivered
    app.events().publish("c", "tick", null, Map.of("n", 1));
    app.stop();
    dev.ordo.runtime.events.EventStats.SinkStats after = app.events().stats().sinks().get(0);
    assertEquals(producer.history().size(), after.delivered(), after.toString());
    assertTrue(after.delivered() > 0);
    assertEquals(app.events().stats().published(), after.delivered() + after.failed(), after.toString());
  }
}
