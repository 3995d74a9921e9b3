package dev.ordo.runtime.health;

import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.internal.Settings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

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
    Settings r = new Settings(systemProperties, environment);
    Integer resolvedPort = port != null
        ? Settings.checkCode(PORT, port, port >= 0 && port <= 65535, PORT_FORM)
        : r.resolve(PORT, null, HealthOptions::parsePort, PORT_FORM);
    String resolvedHost = host != null ? host : r.resolve(HOST, "127.0.0.1", HealthOptions::parseHost, "a host name or address");
    String hostSource = host != null ? "builder" : r.source(HOST);
    try {
      InetAddress.getByName(resolvedHost);
    } catch (UnknownHostException | SecurityException e) {
      throw new ConfigurationException("Invalid value '" + resolvedHost + "' for " + HOST + " (" + hostSource
          + "): expected a host name or address of this machine, such as 127.0.0.1 or 0.0.0.0");
    }
    boolean resolvedDetails = r.bool(DETAILS, details, false);
    Duration resolvedInterval = r.duration(INTERVAL, interval, Duration.ofSeconds(10));
    Duration resolvedTimeout = r.duration(TIMEOUT, timeout, Duration.ofSeconds(1));
    int failures = r.positiveInt(FAILURE_THRESHOLD, failureThreshold, 3);
    int successes = r.positiveInt(SUCCESS_THRESHOLD, successThreshold, 2);
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

  private static Integer parsePort(String text) {
    int p = Integer.parseInt(text.trim());
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException("out of range");
    }
    return p;
  }

  private static String parseHost(String text) {
    String h = text.trim();
    if (h.isEmpty()) {
      throw new IllegalArgumentException("empty");
    }
    return h;
  }
}
