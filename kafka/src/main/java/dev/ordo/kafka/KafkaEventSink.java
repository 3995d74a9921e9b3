package dev.ordo.kafka;

import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.events.Event;
import dev.ordo.runtime.events.EventSink;
import dev.ordo.runtime.internal.Settings;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes every event to a Kafka topic, following the
 * <a href="https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/kafka-protocol-binding.md">CloudEvents
 * Kafka protocol binding</a>: in structured mode (the default) the record's value is the event in
 * the CloudEvents JSON format and its {@code content-type} header is
 * {@value #STRUCTURED_CONTENT_TYPE}; in binary mode the value is the event's data (JSON), the
 * {@code content-type} header is {@code application/json}, and every other attribute is a
 * {@code ce_} header ({@code ce_specversion}, {@code ce_id}, {@code ce_source}, {@code ce_type},
 * {@code ce_time}, {@code ce_subject}, {@code ce_correlationid}). The record's key is the event's
 * subject (the component's name; none for application events), or what {@link Builder#key} computes.
 *
 * <pre>{@code
 * Ordo app = Ordo.builder()
 *     .components(pool, store, checkout)
 *     .events(EventOptions.defaults().sink(KafkaEventSink.builder()
 *         .bootstrapServers("kafka-1:9092,kafka-2:9092")
 *         .topic("shop-events")
 *         .build()))
 *     .build();
 * }</pre>
 *
 * <p>Every setting not given to the {@link Builder} comes from the system property, then the
 * environment variable, then the default:
 *
 * <table>
 *   <caption>Kafka sink settings</caption>
 *   <tr><th>method</th><th>property / variable</th><th>default</th></tr>
 *   <tr><td>{@link Builder#bootstrapServers}</td><td>{@code ordo.events.kafka.bootstrap-servers} /
 *       {@code ORDO_EVENTS_KAFKA_BOOTSTRAP_SERVERS}</td><td>none: required</td></tr>
 *   <tr><td>{@link Builder#topic}</td><td>{@code ordo.events.kafka.topic} /
 *       {@code ORDO_EVENTS_KAFKA_TOPIC}</td><td>{@value #DEFAULT_TOPIC}</td></tr>
 *   <tr><td>{@link Builder#mode}</td><td>{@code ordo.events.kafka.mode} /
 *       {@code ORDO_EVENTS_KAFKA_MODE}</td><td>{@code structured} ({@code structured} or {@code binary})</td></tr>
 *   <tr><td>{@link Builder#clientId}</td><td>{@code ordo.events.kafka.client-id} /
 *       {@code ORDO_EVENTS_KAFKA_CLIENT_ID}</td><td>{@value #DEFAULT_CLIENT_ID}</td></tr>
 *   <tr><td>{@link Builder#deliveryTimeout}</td><td>{@code ordo.events.kafka.delivery-timeout} /
 *       {@code ORDO_EVENTS_KAFKA_DELIVERY_TIMEOUT}</td><td>{@code 2m}</td></tr>
 *   <tr><td>{@link Builder#producerProperty}</td><td>{@code ordo.events.kafka.producer.<name>}
 *       (system properties only)</td><td>{@code acks=all}, {@code enable.idempotence=true}</td></tr>
 *   <tr><td>{@link Builder#key}</td><td>(code only)</td><td>the event's subject</td></tr>
 * </table>
 *
 * <h2>Delivery</h2>
 * An event counts as delivered only once the broker acknowledged it ({@code acks=all} by default,
 * with the idempotent producer, so that a retried send is not written twice). {@link #deliver}
 * only adds the event to a batch; {@link #flush} sends the batch and waits for every
 * acknowledgement. While the brokers cannot be reached (down at startup, restarting), the flush
 * keeps sending the events the brokers did not acknowledge, in order, with a backoff of up to 5
 * seconds, and logs that it does (once when it begins, and once when delivery resumes): the events
 * published meanwhile wait in the sink's queue ({@code ordo.events.queue-size}), and those beyond it
 * are dropped, counted in {@link dev.ordo.runtime.events.EventStats.SinkStats#dropped()} and logged by
 * the runtime. An error that retrying cannot cure (a record too large, no authorization) fails the
 * batch: its events count as failed, never as delivered. At shutdown the sink gets what is left of
 * the budget; what the brokers have not acknowledged by then is counted as dropped and logged, and
 * the producer is closed without waiting.
 *
 * <p>The producer is created by the first flush, so that an application that is built but never
 * started opens no connection; bad settings fail at {@link Builder#build()}, with a
 * {@link ConfigurationException} naming the key and the value.
 *
 * @since 0.1
 */
public final class KafkaEventSink implements EventSink {
  /** The {@code content-type} of a structured-mode record. */
  public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";
  /** The topic when none is configured. */
  public static final String DEFAULT_TOPIC = "ordo-events";
  /** The producer's {@code client.id} when none is configured. */
  public static final String DEFAULT_CLIENT_ID = "ordo-events";

  static final String BOOTSTRAP_SERVERS = "ordo.events.kafka.bootstrap-servers";
  static final String TOPIC = "ordo.events.kafka.topic";
  static final String MODE = "ordo.events.kafka.mode";
  static final String CLIENT_ID = "ordo.events.kafka.client-id";
  static final String DELIVERY_TIMEOUT = "ordo.events.kafka.delivery-timeout";
  static final String PRODUCER_PREFIX = "ordo.events.kafka.producer.";

  private static final System.Logger LOG = System.getLogger(KafkaEventSink.class.getName());
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  /**
   * How the event is laid out in the record: the CloudEvents Kafka protocol binding's two content
   * modes.
   */
  public enum Mode {
    /** The value is the whole event in the CloudEvents JSON format ({@code application/cloudevents+json}). */
    STRUCTURED,
    /** The value is the event's data; the attributes are {@code ce_} headers. */
    BINARY
  }

  private final String topic;
  private final Mode mode;
  private final Function<Event, String> key;
  private final Map<String, Object> producerConfig;
  private final Function<Map<String, Object>, Producer<String, byte[]>> producerFactory;

  // Used only by the sink's one delivery thread (deliver, flush, close: see EventSink), so unguarded.
  private Producer<String, byte[]> producer;
  private List<ProducerRecord<String, byte[]>> batch = new ArrayList<>();
  /** Events handed to the sink and not acknowledged: the batch in hand, or what an interrupted flush held. */
  private long unacknowledged;

  private KafkaEventSink(Builder b, String topic, Mode mode, Map<String, Object> producerConfig) {
    this.topic = topic;
    this.mode = mode;
    this.key = b.key;
    this.producerConfig = producerConfig;
    this.producerFactory = b.producerFactory;
  }

  /** A builder; what it is not given comes from {@code ordo.events.kafka.*} or the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A sink configured entirely by {@code ordo.events.kafka.*} system properties and
   * {@code ORDO_EVENTS_KAFKA_*} environment variables.
   *
   * @throws ConfigurationException when {@code ordo.events.kafka.bootstrap-servers} is missing, or a
   *     setting is invalid
   */
  public static KafkaEventSink fromConfiguration() {
    return builder().build();
  }

  /** The topic the events go to. */
  public String topic() {
    return topic;
  }

  /** The content mode. */
  public Mode mode() {
    return mode;
  }

  /** The producer's settings (a copy), as given to {@link KafkaProducer}. */
  public Map<String, Object> producerConfig() {
    return new LinkedHashMap<>(producerConfig);
  }

  @Override
  public String name() {
    return "kafka:" + topic;
  }

  /** Adds the event to the batch that the next {@link #flush()} sends; no I/O. */
  @Override
  public void deliver(Event event) {
    batch.add(record(event));
    unacknowledged++;
  }

  /** The record for {@code event}, laid out by the mode. */
  ProducerRecord<String, byte[]> record(Event event) {
    String recordKey = key.apply(event);
    Headers headers = new RecordHeaders();
    byte[] value;
    String json = event.toJson();
    if (mode == Mode.STRUCTURED) {
      headers.add("content-type", STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
      value = json.getBytes(StandardCharsets.UTF_8);
    } else {
      headers.add("ce_specversion", utf8(event.specVersion()));
      headers.add("ce_id", utf8(event.id()));
      headers.add("ce_source", utf8(event.source()));
      headers.add("ce_type", utf8(event.type()));
      headers.add("ce_time", utf8(event.time().toString()));
      if (event.subject() != null) {
        headers.add("ce_subject", utf8(event.subject()));
      }
      if (event.correlationId() != null) {
        headers.add("ce_correlationid", utf8(event.correlationId()));
      }
      headers.add("content-type", utf8(event.dataContentType()));
      value = utf8(dataJson(json));
    }
    return new ProducerRecord<>(topic, null, recordKey, value, headers);
  }

  /**
   * The {@code data} member of an event's JSON. It is the last member, and the first
   * {@code ,"data":} is its start: inside a JSON string a quote is always escaped, so that text
   * cannot occur in an earlier member.
   */
  static String dataJson(String eventJson) {
    String marker = ",\"data\":";
    int at = eventJson.indexOf(marker);
    return eventJson.substring(at + marker.length(), eventJson.length() - 1);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Sends the batch and returns once the brokers acknowledged every record of it. Records the
   * brokers could not take for a reason that passes (unreachable, leader moving, a delivery timeout)
   * are sent again, in order, until they are acknowledged or the thread is interrupted (the end of the
   * shutdown budget). Throws when a record failed for good: the batch then counts as failed.
   */
  @Override
  public void flush() throws Exception {
    if (batch.isEmpty()) {
      return;
    }
    List<ProducerRecord<String, byte[]>> toSend = batch;
    batch = new ArrayList<>();
    if (producer == null) {
      try {
        producer = producerFactory.apply(producerConfig);
      } catch (RuntimeException e) {
        // The runtime counts this batch as failed when flush throws (on this, the sink's one delivery
        // thread), so its records are let go: never sent later, uncounted, nor kept while creating the
        // producer keeps failing (a bad sasl.jaas.config). The next flush tries to create it again.
        unacknowledged -= toSend.size();
        throw new KafkaException("Could not create the Kafka producer for topic " + topic + " (" + e + "); the "
            + toSend.size() + " event(s) of this batch count as failed, not delivered", e);
      }
    }
    long backoff = 100;
    boolean retrying = false;
    int size = toSend.size();
    try {
      while (true) {
        List<ProducerRecord<String, byte[]>> again = new ArrayList<>();
        Exception fatal = send(toSend, again);
        if (fatal != null) {
          throw new KafkaException("Kafka refused an event sent to topic " + topic + " for good (" + fatal + "); the "
              + size + " event(s) of this batch count as failed, not delivered", fatal);
        }
        if (again.isEmpty()) {
          if (retrying) {
            LOG.log(Level.INFO, "Event sink " + name() + ": Kafka acknowledges again; delivery resumed");
          }
          unacknowledged -= size;
          return;
        }
        if (!retrying) {
          retrying = true;
          LOG.log(Level.WARNING, "Event sink " + name() + ": Kafka (" + producerConfig.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)
              + ") did not acknowledge " + again.size() + " event(s); sending them again until it does. Meanwhile"
              + " events wait in the sink's queue (ordo.events.queue-size); beyond it they are dropped and counted");
        }
        toSend = again;
        TimeUnit.MILLISECONDS.sleep(backoff);
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
      }
    } catch (InterruptedException | InterruptException e) {
      // The shutdown budget ran out: the runtime already counted these events as dropped.
      Thread.currentThread().interrupt();
      throw e;
    } catch (Exception e) {
      unacknowledged -= size; // counted as failed by the runtime
      throw e;
    }
  }

  /**
   * Sends {@code records} and waits for their outcome; adds to {@code again} the ones to send
   * again, in order, and returns the first error that retrying cannot cure (or null).
   */
  private Exception send(List<ProducerRecord<String, byte[]>> records, List<ProducerRecord<String, byte[]>> again)
      throws InterruptedException {
    List<Future<RecordMetadata>> futures = new ArrayList<>(records.size());
    int sent = 0;
    for (ProducerRecord<String, byte[]> r : records) {
      Future<RecordMetadata> f;
      try {
        f = producer.send(r);
      } catch (InterruptException e) {
        throw e;
      } catch (RetriableException e) {
        break; // no metadata (the brokers cannot be reached): the rest waits for the next round
      } catch (KafkaException e) {
        return e;
      }
      futures.add(f);
      sent++;
      if (f.isDone() && failedRetriably(f)) {
        break; // send() waited max.block.ms for metadata: do not wait that long for every record
      }
    }
    producer.flush();
    Exception fatal = null;
    for (int i = 0; i < futures.size(); i++) {
      try {
        futures.get(i).get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RetriableException) {
          again.add(records.get(i));
        } else if (fatal == null) {
          fatal = cause instanceof Exception ? (Exception) cause : e;
        }
      }
    }
    again.addAll(records.subList(sent, records.size()));
    return fatal;
  }

  private static boolean failedRetriably(Future<RecordMetadata> f) throws InterruptedException {
    try {
      f.get();
      return false;
    } catch (ExecutionException e) {
      return e.getCause() instanceof RetriableException;
    }
  }

  /**
   * Closes the producer: at once when events are left unacknowledged (the shutdown budget ran out;
   * they were counted as dropped), which this logs; otherwise after its last requests end.
   */
  @Override
  public void close() {
    boolean interrupted = Thread.interrupted();
    long left = unacknowledged;
    try {
      if (left > 0) {
        LOG.log(Level.WARNING, "Event sink " + name() + " closes with " + left + " event(s) in hand that Kafka never"
            + " acknowledged: with whatever was still queued for the sink, they are counted as dropped, not delivered");
      }
      if (producer != null) {
        producer.close(left > 0 ? Duration.ZERO : Duration.ofSeconds(5));
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "KafkaEventSink[topic=" + topic + ", mode=" + mode.name().toLowerCase(Locale.ROOT) + ", bootstrap.servers="
        + producerConfig.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) + "]";
  }

  /**
   * Configures a {@link KafkaEventSink}; every setting not given here comes from its
   * {@code ordo.events.kafka.*} system property, then its {@code ORDO_EVENTS_KAFKA_*} environment
   * variable, then its default.
   */
  public static final class Builder {
    private String bootstrapServers;
    private String topic;
    private Mode mode;
    private String clientId;
    private Duration deliveryTimeout;
    private final Map<String, String> producerProperties = new LinkedHashMap<>();
    private Function<Event, String> key = Event::subject;
    private Function<Map<String, Object>, Producer<String, byte[]>> producerFactory =
        config -> new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    private Properties systemProperties = System.getProperties();
    private Map<String, String> environment = System.getenv();

    private Builder() {}

    /** The brokers to bootstrap from, {@code host:port[,host:port...]} ({@code ordo.events.kafka.bootstrap-servers}). */
    public Builder bootstrapServers(String servers) {
      this.bootstrapServers = Objects.requireNonNull(servers, "servers");
      return this;
    }

    /** The topic ({@code ordo.events.kafka.topic}, default {@value KafkaEventSink#DEFAULT_TOPIC}). */
    public Builder topic(String topic) {
      this.topic = Objects.requireNonNull(topic, "topic");
      return this;
    }

    /** The content mode ({@code ordo.events.kafka.mode}: {@code structured}, the default, or {@code binary}). */
    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** The producer's {@code client.id} ({@code ordo.events.kafka.client-id}). */
    public Builder clientId(String clientId) {
      this.clientId = Objects.requireNonNull(clientId, "clientId");
      return this;
    }

    /**
     * How long the producer tries one send before the sink sends the record again
     * ({@code ordo.events.kafka.delivery-timeout}, default {@code 2m}; the producer's
     * {@code delivery.timeout.ms}); at least 30 seconds plus {@code linger.ms}, as Kafka requires.
     */
    public Builder deliveryTimeout(Duration timeout) {
      this.deliveryTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Any other producer setting, by its Kafka name ({@code compression.type}, {@code linger.ms},
     * {@code security.protocol}, ...); also read from the system properties
     * {@code ordo.events.kafka.producer.<name>}. Overrides the defaults {@code acks=all} and
     * {@code enable.idempotence=true}. The serializers are the sink's own and cannot be set.
     */
    public Builder producerProperty(String name, String value) {
      producerProperties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** The record key computed from each event (it may return null); the event's subject by default. */
    public Builder key(Function<Event, String> key) {
      this.key = Objects.requireNonNull(key, "key");
      return this;
    }

    /** Reads the settings from these instead of the process's system properties and environment (tests). */
    Builder configuration(Properties systemProperties, Map<String, String> environment) {
      this.systemProperties = systemProperties;
      this.environment = environment;
      return this;
    }

    /** Creates the producer from its settings (tests). */
    Builder producerFactory(Function<Map<String, Object>, Producer<String, byte[]>> factory) {
      this.producerFactory = factory;
      return this;
    }

    /**
     * The sink. Checks every setting; opens no connection.
     *
     * @throws ConfigurationException naming the key and the value of a setting that is missing or invalid
     */
    public KafkaEventSink build() {
      Settings s = new Settings(systemProperties, environment);
      String servers = bootstrapServers != null ? bootstrapServers : s.text(BOOTSTRAP_SERVERS);
      if (servers == null) {
        throw new ConfigurationException("Missing " + BOOTSTRAP_SERVERS + " (or " + Settings.environmentName(BOOTSTRAP_SERVERS)
            + ", or KafkaEventSink.Builder.bootstrapServers): expected host:port[,host:port...] of the Kafka brokers");
      }
      checkServers(servers, s.source(BOOTSTRAP_SERVERS, bootstrapServers != null));

      String resolvedTopic = topic != null ? topic : s.text(TOPIC);
      if (resolvedTopic == null) {
        resolvedTopic = DEFAULT_TOPIC;
      } else if (!validTopic(resolvedTopic)) {
        throw invalid(TOPIC, resolvedTopic, s.source(TOPIC, topic != null),
            "a Kafka topic name: 1 to 249 of a-z A-Z 0-9 . _ -, not . or ..");
      }

      Mode resolvedMode = mode;
      if (resolvedMode == null) {
        resolvedMode = s.resolve(MODE, Mode.STRUCTURED, text -> Mode.valueOf(text.trim().toUpperCase(Locale.ROOT)),
            "structured or binary");
      }

      String resolvedClientId = clientId != null ? clientId : s.text(CLIENT_ID);
      if (resolvedClientId == null) {
        resolvedClientId = DEFAULT_CLIENT_ID;
      } else if (resolvedClientId.isBlank()) {
        // Kafka would silently put a generated producer-N in its place: a blank value is a mistake.
        throw invalid(CLIENT_ID, resolvedClientId, s.source(CLIENT_ID, clientId != null), "a client id that is not blank");
      }

      Duration timeout = s.duration(DELIVERY_TIMEOUT, deliveryTimeout, Duration.ofMinutes(2));
      if (timeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
        // Kafka's delivery.timeout.ms is an int (and toMillis() of the longest durations overflows).
        throw invalid(DELIVERY_TIMEOUT, deliveryTimeout != null ? deliveryTimeout.toString() : s.text(DELIVERY_TIMEOUT),
            s.source(DELIVERY_TIMEOUT, deliveryTimeout != null),
            "at most 2147483647ms (about 24 days: Kafka's delivery.timeout.ms is an int)");
      }

      Map<String, Object> config = new LinkedHashMap<>();
      config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.trim());
      config.put(ProducerConfig.CLIENT_ID_CONFIG, resolvedClientId);
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
      // A send waits this long for the brokers' metadata; then the sink sends again later (and logs
      // that the brokers cannot be reached), so a short wait shows an outage early.
      config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
      Map<String, String> where = new LinkedHashMap<>();
      for (String property : s.propertiesStartingWith(PRODUCER_PREFIX)) {
        String name = property.substring(PRODUCER_PREFIX.length());
        config.put(name, systemProperties.getProperty(property));
        where.put(name, "system property " + property);
      }
      for (Map.Entry<String, String> e : producerProperties.entrySet()) {
        config.put(e.getKey(), e.getValue());
        where.put(e.getKey(), "builder");
      }
      for (String own : List.of(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG)) {
        if (where.containsKey(own)) {
          throw new ConfigurationException("Invalid setting " + PRODUCER_PREFIX + own + " (" + where.get(own)
              + "): the Kafka event sink writes keys as strings and values as CloudEvents bytes; leave the serializers"
              + " unset");
        }
      }
      try {
        // Kafka's own checks: names, types, ranges, acks with idempotence.
        ProducerConfig checked = new ProducerConfig(withSerializers(config));
        long least = ((Number) checked.values().get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)).longValue()
            + ((Number) checked.values().get(ProducerConfig.LINGER_MS_CONFIG)).longValue();
        if (timeout.toMillis() < least) {
          throw invalid(DELIVERY_TIMEOUT, deliveryTimeout != null ? deliveryTimeout.toString() : s.text(DELIVERY_TIMEOUT),
              s.source(DELIVERY_TIMEOUT, deliveryTimeout != null),
              "at least request.timeout.ms + linger.ms (" + least + "ms), as Kafka requires");
        }
      } catch (ConfigException e) {
        String name = e.getMessage();
        String key = PRODUCER_PREFIX + "...";
        String value = "";
        for (String n : config.keySet()) {
          if (name != null && name.contains(n)) {
            key = where.containsKey(n) ? PRODUCER_PREFIX + n + " (" + where.get(n) + ")" : n;
            value = String.valueOf(config.get(n));
            if (n.equals(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)) {
              key = DELIVERY_TIMEOUT + " (" + s.source(DELIVERY_TIMEOUT, deliveryTimeout != null) + ")";
              value = timeout.toString();
            }
            break;
          }
        }
        throw new ConfigurationException("Invalid value '" + value + "' for " + key + ": " + e.getMessage());
      }
      return new KafkaEventSink(this, resolvedTopic, resolvedMode, Map.copyOf(withSerializers(config)));
    }

    private static Map<String, Object> withSerializers(Map<String, Object> config) {
      Map<String, Object> all = new LinkedHashMap<>(config);
      all.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      all.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      return all;
    }
  }

  /** {@code host:port[,host:port...]}, a host being a name, an IPv4 address or a bracketed IPv6 one. */
  private static void checkServers(String servers, String where) {
    String expected = "host:port[,host:port...] of the Kafka brokers, ports 1 to 65535";
    if (servers.isBlank()) {
      throw invalid(BOOTSTRAP_SERVERS, servers, where, expected);
    }
    for (String entry : servers.split(",", -1)) {
      String e = entry.trim();
      int colon = e.lastIndexOf(':');
      boolean ok = colon > 0 && colon < e.length() - 1;
      if (ok) {
        String host = e.substring(0, colon);
        ok = !host.isBlank() && !host.contains(" ") && (host.startsWith("[") == host.endsWith("]"))
            && (host.startsWith("[") || host.indexOf(':') < 0);
        try {
          int port = Integer.parseInt(e.substring(colon + 1));
          ok &= port >= 1 && port <= 65535;
        } catch (NumberFormatException x) {
          ok = false;
        }
      }
      if (!ok) {
        throw invalid(BOOTSTRAP_SERVERS, servers, where, expected);
      }
    }
  }

  private static boolean validTopic(String topic) {
    if (topic.isEmpty() || topic.length() > 249 || topic.equals(".") || topic.equals("..")) {
      return false;
    }
    for (int i = 0; i < topic.length(); i++) {
      char c = topic.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
          || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static ConfigurationException invalid(String key, String value, String where, String expected) {
    return new ConfigurationException("Invalid value '" + value + "' for " + key + " (" + where + "): expected " + expected);
  }
}
