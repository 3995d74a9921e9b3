package dev.ordo.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker in KRaft mode in the test JVM (one combined controller and broker, from
 * Kafka's own test kit), which a test may stop and start again on the same port.
 */
final class KafkaBroker implements AutoCloseable {
  private final KafkaClusterTestKit cluster;

  private KafkaBroker(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  static KafkaBroker start() throws Exception {
    KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
        .setCombined(true)
        .setNumBrokerNodes(1)
        .setNumControllerNodes(1)
        .build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    return new KafkaBroker(cluster);
  }

  String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  void createTopic(String topic) throws Exception {
    try (Admin admin = cluster.admin()) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
  }

  private BrokerServer broker() {
    return cluster.brokers().values().iterator().next();
  }

  /** Stops the broker (the controller keeps running). */
  void stopBroker() {
    BrokerServer b = broker();
    b.shutdown();
    b.awaitShutdown();
  }

  /** Starts the stopped broker again, on the same port. */
  void startBroker() throws Exception {
    broker().startup();
    cluster.waitForReadyBrokers();
  }

  /** Every record of {@code topic} from the beginning, reading until {@code expected} arrived or nothing more comes. */
  List<ConsumerRecord<String, byte[]>> consume(String topic, int expected) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      int emptyPolls = 0;
      // Past the expected count, one more empty poll shows that nothing else (a duplicate) is there.
      while (emptyPolls < (records.size() >= expected ? 1 : 30)) {
        int before = records.size();
        consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
        emptyPolls = records.size() == before ? emptyPolls + 1 : 0;
      }
    }
    return records;
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
