package dev.ordo.runtime.events;

import dev.ordo.runtime.internal.Settings;
import dev.ordo.runtime.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * The event settings given in code, to {@link dev.ordo.runtime.Ordo.Builder#events}. What is not
 * set here comes from the system property, then the environment variable, then the default:
 *
 * <table>
 *   <caption>Event settings</caption>
 *   <tr><th>method</th><th>property / variable</th><th>default</th></tr>
 *   <tr><td>{@link #source}</td><td>{@code ordo.events.source} / {@code ORDO_EVENTS_SOURCE}</td><td>{@code /ordo/<host>/<pid>}</td></tr>
 *   <tr><td>{@link #typePrefix}</td><td>{@code ordo.events.type-prefix} / {@code ORDO_EVENTS_TYPE_PREFIX}</td><td>{@code dev.ordo}</td></tr>
 *   <tr><td>{@link #file}</td><td>{@code ordo.events.file} / {@code ORDO_EVENTS_FILE}</td><td>none ({@code -}: standard output)</td></tr>
 *   <tr><td>{@link #queueSize}</td><td>{@code ordo.events.queue-size} / {@code ORDO_EVENTS_QUEUE_SIZE}</td><td>8192</td></tr>
 *   <tr><td>{@link #metricsInterval}</td><td>{@code ordo.events.metrics-interval} / {@code ORDO_EVENTS_METRICS_INTERVAL}</td><td>none: no {@code metric.recorded} events</td></tr>
 *   <tr><td>{@link #sink}</td><td>(code only)</td><td>none</td></tr>
 * </table>
 *
 * <p>Modules on the class path may add sinks that their own settings ask for, through
 * {@link EventSinkProvider}: {@code ordo-kafka} adds its Kafka sink when
 * {@code ordo.events.kafka.bootstrap-servers} is set.
 *
 * <pre>{@code
 * InMemoryEventSink sink = new InMemoryEventSink();
 * Ordo app = Ordo.builder()
 *     .components(pool, store, checkout)
 *     .events(EventOptions.defaults().typePrefix("com.acme").file(Path.of("events.jsonl")).sink(sink))
 *     .build();
 * }</pre>
 *
 * <p>Without any sink (the default), no event is built or queued; declared operations still run,
 * still carry their correlation id, and are still seen by {@link OperationObserver}s (metrics).
 * Instances are immutable: every method returns a copy.
 *
 * @since 0.1
 */
public final class EventOptions {
  static final String SOURCE = "ordo.events.source";
  static final String TYPE_PREFIX = "ordo.events.type-prefix";
  static final String FILE = "ordo.events.file";
  static final String QUEUE_SIZE = "ordo.events.queue-size";
  static final String METRICS_INTERVAL = "ordo.events.metrics-interval";

  /** Reverse-DNS: dot-separated labels of lower-case letters, digits and inner dashes. */
  /**
   * Whether {@code prefix} is dot-separated labels of lower-case letters, digits and inner dashes
   * ({@code [a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.…)*}), checked by hand: a regular expression
   * would load {@code java.util.regex} into every application at build time.
   */
  static boolean validPrefix(String prefix) {
    int labelStart = 0;
    for (int i = 0; i <= prefix.length(); i++) {
      if (i == prefix.length() || prefix.charAt(i) == '.') {
        if (i == labelStart || prefix.charAt(labelStart) == '-' || prefix.charAt(i - 1) == '-') {
          return false; // an empty label, or one that begins or ends with a dash
        }
        labelStart = i + 1;
        continue;
      }
      char c = prefix.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }
  static final String PREFIX_FORM =
      "a reverse-DNS name of lower-case letters, digits, dashes and dots, such as com.acme or dev.ordo";
  static final String SOURCE_FORM = "a non-empty URI reference, such as /shop/web-1 or urn:acme:shop";
  static final String QUEUE_FORM = "a positive whole number";
  static final String FILE_FORM = "a file path, or - for standard output";

  private static final EventOptions DEFAULTS = new EventOptions(null, null, null, null, List.of(), null);

  private final String source;
  private final String typePrefix;
  private final String file;
  private final Integer queueSize;
  private final List<EventSink> sinks;
  private final java.time.Duration metricsInterval;

  private EventOptions(String source, String typePrefix, String file, Integer queueSize, List<EventSink> sinks,
      java.time.Duration metricsInterval) {
    this.source = source;
    this.typePrefix = typePrefix;
    this.file = file;
    this.queueSize = queueSize;
    this.sinks = sinks;
    this.metricsInterval = metricsInterval;
  }

  /**
   * Publishes a {@code <prefix>.metric.recorded} event with a snapshot of the application's own
   * figures every {@code interval} while it runs, and a last one when it shuts down
   * ({@code ordo.events.metrics-interval}; off by default). See {@code docs/events.md}.
   *
   * @since 0.1
   */
  public EventOptions metricsInterval(java.time.Duration interval) {
    return new EventOptions(source, typePrefix, file, queueSize, sinks, Objects.requireNonNull(interval, "interval"));
  }

  /** Nothing set in code: every setting comes from the process's configuration or its default. */
  public static EventOptions defaults() {
    return DEFAULTS;
  }

  /** The {@code source} attribute of every event ({@code ordo.events.source}): a URI reference. */
  public EventOptions source(String source) {
    return new EventOptions(Objects.requireNonNull(source, "source"), typePrefix, file, queueSize, sinks, metricsInterval);
  }

  /**
   * The prefix of every event type ({@code ordo.events.type-prefix}): {@code com.acme} makes
   * {@code com.acme.checkout.completed} and {@code com.acme.component.started}.
   */
  public EventOptions typePrefix(String prefix) {
    return new EventOptions(source, Objects.requireNonNull(prefix, "prefix"), file, queueSize, sinks, metricsInterval);
  }

  /** Appends every event as a JSON line to {@code file} ({@code ordo.events.file}). */
  public EventOptions file(Path file) {
    return new EventOptions(source, typePrefix, Objects.requireNonNull(file, "file").toString(), queueSize, sinks, metricsInterval);
  }

  /** Writes every event as a JSON line to standard output ({@code ordo.events.file=-}). */
  public EventOptions stdout() {
    return new EventOptions(source, typePrefix, "-", queueSize, sinks, metricsInterval);
  }

  /**
   * How many events may wait for the dispatcher, and for each sink ({@code ordo.events.queue-size},
   * default 8192). Past it, publishing drops the event (counted and logged) rather than wait.
   */
  public EventOptions queueSize(int events) {
    return new EventOptions(source, typePrefix, file, events, sinks, metricsInterval);
  }

  /** Adds a sink; events go to every sink, each on its own delivery thread. */
  public EventOptions sink(EventSink sink) {
    List<EventSink> more = new ArrayList<>(sinks);
    more.add(Objects.requireNonNull(sink, "sink"));
    return new EventOptions(source, typePrefix, file, queueSize, List.copyOf(more), metricsInterval);
  }

  /** The resolved settings. */
  record Config(String source, String typePrefix, int queueSize, List<EventSink> sinks,
      java.time.Duration metricsInterval) {
    Config(String source, String typePrefix, int queueSize, List<EventSink> sinks) {
      this(source, typePrefix, queueSize, sinks, null);
    }
  }

  /** Resolves every setting: code, then system property, then environment variable, then default. */
  Config resolve(Properties systemProperties, Map<String, String> environment) {
    Settings r = new Settings(systemProperties, environment);
    String resolvedSource = source != null ? checkSource(source, "builder") : r.text(SOURCE);
    if (resolvedSource == null) {
      resolvedSource = defaultSource();
    } else if (source == null) {
      checkSource(resolvedSource, r.source(SOURCE));
    }
    String resolvedPrefix = typePrefix != null ? typePrefix : r.text(TYPE_PREFIX);
    if (resolvedPrefix == null) {
      resolvedPrefix = "dev.ordo";
    } else if (!validPrefix(resolvedPrefix)) {
      throw invalid(TYPE_PREFIX, resolvedPrefix, typePrefix != null ? "builder" : r.source(TYPE_PREFIX), PREFIX_FORM);
    }
    int resolvedQueue;
    if (queueSize != null) {
      if (queueSize <= 0) {
        throw invalid(QUEUE_SIZE, String.valueOf(queueSize), "builder", QUEUE_FORM);
      }
      resolvedQueue = queueSize;
    } else {
      String text = r.text(QUEUE_SIZE);
      resolvedQueue = 8192;
      if (text != null) {
        try {
          resolvedQueue = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
          resolvedQueue = -1;
        }
        if (resolvedQueue <= 0) {
          throw invalid(QUEUE_SIZE, text, r.source(QUEUE_SIZE), QUEUE_FORM);
        }
      }
    }
    // Before the file is opened: a bad interval must not leave it open.
    java.time.Duration interval = r.duration(METRICS_INTERVAL, metricsInterval, null);
    List<EventSink> all = new ArrayList<>(sinks);
    String resolvedFile = file != null ? file : r.text(FILE);
    if (resolvedFile != null && !resolvedFile.isBlank()) {
      String where = file != null ? "builder" : r.source(FILE);
      if (resolvedFile.trim().equals("-")) {
        all.add(0, JsonLinesEventSink.toStdout());
      } else {
        try {
          all.add(0, JsonLinesEventSink.toFile(Path.of(resolvedFile)));
        } catch (InvalidPathException e) {
          throw invalid(FILE, resolvedFile, where, FILE_FORM);
        } catch (IOException | UncheckedIOException e) {
          throw new ConfigurationException("Cannot open the events file '" + resolvedFile + "' for " + FILE + " ("
              + where + "): " + e.getMessage() + "; expected " + FILE_FORM + " that can be written");
        }
      }
    }
    // Sinks asked for by their own settings (ordo-kafka's ordo.events.kafka.bootstrap-servers).
    // Their keys are ordo.events.<sink>.*: without any such key the class path is not searched.
    if (hasSinkSettings(systemProperties, environment)) {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      for (EventSinkProvider provider : ServiceLoader.load(EventSinkProvider.class,
          loader != null ? loader : EventOptions.class.getClassLoader())) {
        provider.sink(systemProperties, environment, List.copyOf(all)).ifPresent(all::add);
      }
    }
    return new Config(resolvedSource, resolvedPrefix, resolvedQueue, List.copyOf(all), interval);
  }

  /** The settings this class reads itself; any other {@code ordo.events.*} key may be a sink's. */
  private static final List<String> OWN = List.of(SOURCE, TYPE_PREFIX, FILE, QUEUE_SIZE, METRICS_INTERVAL);

  /**
   * Whether a system property {@code ordo.events.<sink>.*} or an environment variable
   * {@code ORDO_EVENTS_<SINK>_*} is set that is not one of this class's own settings: only then may
   * an {@link EventSinkProvider} have something to add.
   */
  static boolean hasSinkSettings(Properties systemProperties, Map<String, String> environment) {
    for (String key : systemProperties.stringPropertyNames()) {
      if (key.startsWith("ordo.events.") && !OWN.contains(key)) {
        return true;
      }
    }
    for (String key : environment.keySet()) {
      if (key.startsWith("ORDO_EVENTS_") && OWN.stream().noneMatch(k -> Settings.environmentName(k).equals(key))) {
        return true;
      }
    }
    return false;
  }

  private static String checkSource(String value, String where) {
    try {
      if (value.isEmpty()) {
        throw new URISyntaxException(value, "empty");
      }
      new URI(value);
      return value;
    } catch (URISyntaxException e) {
      throw invalid(SOURCE, value, where, SOURCE_FORM);
    }
  }

  private static ConfigurationException invalid(String key, String value, String where, String expected) {
    return new ConfigurationException(
        "Invalid value '" + value + "' for " + key + " (" + where + "): expected " + expected);
  }

  /** {@code /ordo/<host>/<pid>}: which machine and which process, as a URI reference. */
  static String defaultSource() {
    return "/ordo/" + pathSegment(hostName()) + "/" + ProcessHandle.current().pid();
  }

  private static String hostName() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      host = System.getenv("COMPUTERNAME");
    }
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (IOException | SecurityException e) {
        host = "localhost";
      }
    }
    return host.trim().toLowerCase(Locale.ROOT);
  }

  /** Percent-encodes everything but RFC 3986's unreserved characters. */
  static String pathSegment(String text) {
    StringBuilder s = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        s.append(c);
      } else {
        s.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return s.length() == 0 ? "localhost" : s.toString();
  }

  @Override
  public String toString() {
    return "EventOptions[source=" + source + ", typePrefix=" + typePrefix + ", file=" + file + ", queueSize="
        + queueSize + ", sinks=" + sinks.size() + "]";
  }
}
