package dev.ordo.runtime.health;

import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.Durations;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;

/**
 * The health settings given in code, to {@link dev.ordo.runtime.Ordo.Builder#health}. What is
 * not set here comes from the system property, then the environment variable, then the default:
 *
 * <table>
 *   <caption>Health settings</caption>
 *   <tr><th>method</th><th>property / variable</th><th>default</th></tr>
 *   <tr><td>{@link #port}</td><td>{@code ordo.health.port} / {@code ORDO_HEALTH_PORT}</td><td>none: no HTTP probes (0: a free port)</td></tr>
 *   <tr><td>{@link #host}</td><td>{@code ordo.health.host} / {@code ORDO_HEALTH_HOST}</td><td>127.0.0.1</td></tr>
 *   <tr><td>{@link #details}</td><td>{@code ordo.health.details} / {@code ORDO_HEALTH_DETAILS}</td><td>false</td></tr>
 *   <tr><td>{@link #interval}</td><td>{@code ordo.health.interval} / {@code ORDO_HEALTH_INTERVAL}</td><td>10s</td></tr>
 *   <tr><td>{@link #timeout}</td><td>{@code ordo.health.timeout} / {@code ORDO_HEALTH_TIMEOUT}</td><td>1s</td></tr>
 *   <tr><td>{@link #failureThreshold}</td><td>{@code ordo.health.failure-threshold} / {@code ORDO_HEALTH_FAILURE_THRESHOLD}</td><td>3</td></tr>
 *   <tr><td>{@link #successThreshold}</td><td>{@code ordo.health.success-threshold} / {@code ORDO_HEALTH_SUCCESS_THRESHOLD}</td><td>2</td></tr>
 * </table>
 *
 * <pre>{@code
 * Ordo app = Ordo.builder()
 *     .components(pool, store)
 *     .health(HealthOptions.defaults().port(8081).interval(Duration.ofSeconds(5)))
 *     .build();
 * }</pre>
 *
 * <p>Instances are immutable: every method returns a copy.
 *
 * @since 0.1
 */
public final class HealthOptions {
  static final String PORT = "ordo.health.port";
  static final String HOST = "ordo.health.host";
  static final String DETAILS = "ordo.health.details";
  static final String INTERVAL = "ordo.health.interval";
  static final String TIMEOUT = "ordo.health.timeout";
  static final String FAILURE_THRESHOLD = "ordo.health.failure-threshold";
  static final String SUCCESS_THRESHOLD = "ordo.health.success-threshold";

  private static final HealthOptions DEFAULTS =
      new HealthOptions(null, null, null, null, null, null, null);

  private final Integer port;
  private final String host;
  private final Boolean details;
  private final Duration interval;
  private final Duration timeout;
  private final Integer failureThreshold;
  private final Integer successThreshold;

  private HealthOptions(Integer port, String host, Boolean details, Duration interval, Duration timeout,
      Integer failureThreshold, Integer successThreshold) {
    this.port = port;
    this.host = host;
    this.details = details;
    this.interval = interval;
    this.timeout = timeout;
    this.failureThreshold = failureThreshold;
    this.successThreshold = successThreshold;
  }

  /** Nothing set in code: every setting comes from the process's configuration or its default. */
  public static HealthOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Serves the HTTP probes on {@code port} ({@code ordo.health.port}); 0 picks a free port, which
   * {@link dev.ordo.runtime.Ordo#healthPort()} returns and the log shows.
   */
  public HealthOptions port(int port) {
    return new HealthOptions(port, host, details, interval, timeout, failureThreshold, successThreshold);
  }

  /** The address the probes bind to ({@code ordo.health.host}, default 127.0.0.1; 0.0.0.0 for all). */
  public HealthOptions host(String host) {
    return new HealthOptions(port, Objects.requireNonNull(host, "host"), details, interval, timeout,
        failureThreshold, successThreshold);
  }

  /**
   * Whether probe bodies show what checks and components threw ({@code ordo.health.details},
   * default false: exception messages never leave the process).
   */
  public HealthOptions details(boolean details) {
    return new HealthOptions(port, host, details, interval, timeout, failureThreshold, successThreshold);
  }

  /** How often a check runs when its annotation sets no {@code interval} ({@code ordo.health.interval}). */
  public HealthOptions interval(Duration interval) {
    return new HealthOptions(port, host, details, Objects.requireNonNull(interval, "interval"), timeout,
        failureThreshold, successThreshold);
  }

  /** How long a check may take when its annotation sets no {@code timeout} ({@code ordo.health.timeout}). */
  public HealthOptions timeout(Duration timeout) {
    return new HealthOptions(port, host, details, interval, Objects.requireNonNull(timeout, "timeout"),
        failureThreshold, successThreshold);
  }

  /** Consecutive DOWN results that turn an UP check DOWN ({@code ordo.health.failure-threshold}). */
  public HealthOptions failureThreshold(int results) {
    return new HealthOptions(port, host, details, interval, timeout, results, successThreshold);
  }

  /** Consecutive UP results that turn a DOWN check UP again ({@code ordo.health.success-threshold}). */
  public HealthOptions successThreshold(int results) {
    return new HealthOptions(port, host, details, interval, timeout, failureThreshold, results);
  }

  /** Resolves every setting: code, then system property, then environment variable, then default. */
  HealthConfig resolve(Properties systemProperties, Map<String, String> environment) {
    Resolver r = new Resolver(systemProperties, environment);
    Integer resolvedPort = port != null
        ? r.checkCode(PORT, port, port >= 0 && port <= 65535, PORT_FORM)
        : r.resolve(PORT, null, Resolver::port, PORT_FORM);
    String resolvedHost = host != null ? host : r.resolve(HOST, "127.0.0.1", Resolver::host, "a host name or address");
    String hostSource = host != null ? "builder" : r.lastSource;
    try {
      InetAddress.getByName(resolvedHost);
    } catch (UnknownHostException | SecurityException e) {
      throw new ConfigurationException("Invalid value '" + resolvedHost + "' for " + HOST + " (" + hostSource
          + "): expected a host name or address of this machine, such as 127.0.0.1 or 0.0.0.0");
    }
    boolean resolvedDetails = details != null ? details : r.resolve(DETAILS, false, Resolver::bool, "true or false");
    Duration resolvedInterval = interval != null
        ? r.checkCode(INTERVAL, interval, !interval.isNegative() && !interval.isZero(), Durations.EXPECTED_FORM)
        : r.resolve(INTERVAL, Duration.ofSeconds(10), Durations::parse, Durations.EXPECTED_FORM);
    Duration resolvedTimeout = timeout != null
        ? r.checkCode(TIMEOUT, timeout, !timeout.isNegative() && !timeout.isZero(), Durations.EXPECTED_FORM)
        : r.resolve(TIMEOUT, Duration.ofSeconds(1), Durations::parse, Durations.EXPECTED_FORM);
    int failures = failureThreshold != null
        ? r.checkCode(FAILURE_THRESHOLD, failureThreshold, failureThreshold > 0, POSITIVE)
        : r.resolve(FAILURE_THRESHOLD, 3, Resolver::positive, POSITIVE);
    int successes = successThreshold != null
        ? r.checkCode(SUCCESS_THRESHOLD, successThreshold, successThreshold > 0, POSITIVE)
        : r.resolve(SUCCESS_THRESHOLD, 2, Resolver::positive, POSITIVE);
    return new HealthConfig(resolvedPort, resolvedHost, resolvedDetails, resolvedInterval, resolvedTimeout,
        failures, successes, port != null ? "builder" : r.source(PORT));
  }

  private static final String PORT_FORM = "a port number from 0 to 65535 (0: any free port)";
  private static final String POSITIVE = "a positive whole number";

  @Override
  public String toString() {
    return "HealthOptions[port=" + port + ", host=" + host + ", details=" + details + ", interval=" + interval
        + ", timeout=" + timeout + ", failureThreshold=" + failureThreshold + ", successThreshold="
        + successThreshold + "]";
  }

  /**
   * The same rules and messages as the runtime's other settings: system property
   * {@code ordo.health.x}, then environment variable {@code ORDO_HEALTH_X}.
   */
  private static final class Resolver {
    private final Properties systemProperties;
    private final Map<String, String> environment;
    String lastSource = "default";

    Resolver(Properties systemProperties, Map<String, String> environment) {
      this.systemProperties = systemProperties;
      this.environment = environment;
    }

    static String environmentName(String key) {
      return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    <T> T checkCode(String key, T value, boolean valid, String expected) {
      if (!valid) {
        throw new ConfigurationException(
            "Invalid value '" + value + "' for " + key + " (builder): expected " + expected);
      }
      return value;
    }

    String source(String key) {
      if (systemProperties.getProperty(key) != null) {
        return "system property " + key;
      }
      if (environment.get(environmentName(key)) != null) {
        return "environment variable " + environmentName(key);
      }
      return "default";
    }

    <T> T resolve(String key, T fallback, Function<String, T> parser, String expected) {
      String value = systemProperties.getProperty(key);
      String source = "system property " + key;
      if (value == null) {
        value = environment.get(environmentName(key));
        source = "environment variable " + environmentName(key);
      }
      if (value == null) {
        lastSource = "default";
        return fallback;
      }
      lastSource = source;
      try {
        return parser.apply(value);
      } catch (RuntimeException e) {
        throw new ConfigurationException(
            "Invalid value '" + value + "' for " + key + " (" + source + "): expected " + expected);
      }
    }

    static Integer port(String text) {
      int p = Integer.parseInt(text.trim());
      if (p < 0 || p > 65535) {
        throw new IllegalArgumentException("out of range");
      }
      return p;
    }

    static String host(String text) {
      String h = text.trim();
      if (h.isEmpty()) {
        throw new IllegalArgumentException("empty");
      }
      return h;
    }

    static Integer positive(String text) {
      int n = Integer.parseInt(text.trim());
      if (n <= 0) {
        throw new IllegalArgumentException("not positive");
      }
      return n;
    }

    static Boolean bool(String text) {
      String t = text.trim().toLowerCase(Locale.ROOT);
      if (t.equals("true")) {
        return true;
      }
      if (t.equals("false")) {
        return false;
      }
      throw new IllegalArgumentException("not a boolean");
    }
  }
}
