package dev.ordo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo jar, started with {@code -Dordo.events.kafka.bootstrap-servers} only (no code: ordo-kafka's
 * sink is added by its keys), against a real KRaft broker in this JVM: every event it writes to its
 * events file is in the topic, in order, and parses with the CloudEvents SDK's Kafka protocol binding.
 */
class DemoKafkaIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theDemosEventsAreInTheTopicAsCloudEvents(@TempDir Path dir) throws Exception {
    try (KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .build()) {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      try (Admin admin = cluster.admin()) {
        admin.createTopics(List.of(new NewTopic("demo-events", 1, (short) 1))).all().get();
      }
      Path events = dir.resolve("events.jsonl");
      try (DemoProcess demo = DemoProcess.start(List.of(
          "-Dordo.events.kafka.bootstrap-servers=" + cluster.bootstrapServers(),
          "-Dordo.events.kafka.topic=demo-events"),
          "--port", "0", "--fail-optional", "--events-file", events.toString(), "--exit-after-start")) {
        assertEquals(0, demo.awaitExit(120), demo.output());
        assertTrue(demo.output().contains("kafka:demo-events: "), demo.output());
      }
      List<String> lines = Files.readAllLines(events, StandardCharsets.UTF_8);
      assertTrue(lines.size() > 20, "the demo's run has many events: " + lines.size());

      List<ConsumerRecord<String, byte[]>> records = consume(cluster.bootstrapServers(), "demo-events", lines.size());
      assertEquals(lines.size(), records.size(), "every event of the file is in the topic, once");
      for (int i = 0; i < lines.size(); i++) {
        JsonNode expected = JSON.readTree(lines.get(i));
        ConsumerRecord<String, byte[]> record = records.get(i);
        MessageReader reader = KafkaMessageFactory.createReader(record);
        assertEquals(Encoding.STRUCTURED, reader.getEncoding());
        CloudEvent ce = reader.toEvent();
        assertEquals(expected.get("id").asText(), ce.getId(), "in order");
        assertEquals(expected.get("type").asText(), ce.getType());
        assertEquals(expected.get("source").asText(), ce.getSource().toString());
        assertEquals(expected.get("data"), JSON.readTree(ce.getData().toBytes()));
        String subject = expected.has("subject") ? expected.get("subject").asText() : null;
        assertEquals(subject, ce.getSubject());
        assertEquals(subject, record.key(), "keyed by the component");
      }
      List<String> types = new ArrayList<>();
      lines.forEach(l -> types.add(l.replaceAll(".*\"type\":\"([^\"]+)\".*", "$1")));
      assertTrue(types.contains("dev.ordo.component.failed"), "the failing search index: " + types);
      assertEquals("dev.ordo.application.stopped", types.get(types.size() - 1));
    }
  }

  private static List<ConsumerRecord<String, byte[]>> consume(String servers, String topic, int expected) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
        ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      int empty = 0;
      while (empty < (records.size() >= expected ? 1 : 30)) {
        int before = records.size();
        consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
        empty = records.size() == before ? empty + 1 : 0;
      }
    }
    return records;
  }
}
