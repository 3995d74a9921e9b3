package dev.ordo.processor.kubernetes;

import dev.ordo.processor.model.ComponentDescriptor;
import dev.ordo.processor.model.Durations;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What Kubernetes needs to know of an application, computed at compile time: the worst-case
 * shutdown (pre-stop delay + drain + the longest chain of stop timeouts, independent stops
 * overlapping), checked against the pod's grace period, and the container fragment
 * {@code META-INF/ordo/kubernetes.yaml} with probes, the preStop sleep and the computed
 * {@code terminationGracePeriodSeconds}.
 *
 * <p>The settings the runtime reads at startup ({@code ordo.shutdown.*}) are not known while javac
 * runs; the processor options below tell it, with the runtime's defaults:
 *
 * <table>
 *   <caption>Processor options</caption>
 *   <tr><th>option</th><th>runtime setting</th><th>default</th></tr>
 *   <tr><td>{@code ordo.kubernetes.gracePeriod}</td><td>{@code ordo.kubernetes.grace-period}</td><td>none: no check</td></tr>
 *   <tr><td>{@code ordo.kubernetes.strict}</td><td></td><td>false: a warning, not an error</td></tr>
 *   <tr><td>{@code ordo.kubernetes.margin}</td><td></td><td>2s</td></tr>
 *   <tr><td>{@code ordo.shutdown.timeout}</td><td>{@code ordo.shutdown.timeout}</td><td>30s</td></tr>
 *   <tr><td>{@code ordo.shutdown.delay}</td><td>{@code ordo.shutdown.delay}</td><td>0s</td></tr>
 *   <tr><td>{@code ordo.shutdown.drainTimeout}</td><td>{@code ordo.shutdown.drain-timeout}</td><td>min(10s, (timeout - delay) / 2)</td></tr>
 *   <tr><td>{@code ordo.shutdown.componentTimeout}</td><td>{@code ordo.shutdown.component-timeout}</td><td>10s</td></tr>
 *   <tr><td>{@code ordo.startup.timeout}</td><td>{@code ordo.startup.timeout}</td><td>60s</td></tr>
 *   <tr><td>{@code ordo.health.port}</td><td>{@code ordo.health.port}</td><td>8081</td></tr>
 * </table>
 */
public final class Kubernetes {
  public static final String GRACE_PERIOD = "ordo.kubernetes.gracePeriod";
  public static final String STRICT = "ordo.kubernetes.strict";
  public static final String MARGIN = "ordo.kubernetes.margin";
  public static final String SHUTDOWN_TIMEOUT = "ordo.shutdown.timeout";
  public static final String DELAY = "ordo.shutdown.delay";
  public static final String DRAIN_TIMEOUT = "ordo.shutdown.drainTimeout";
  public static final String COMPONENT_TIMEOUT = "ordo.shutdown.componentTimeout";
  public static final String STARTUP_TIMEOUT = "ordo.startup.timeout";
  public static final String HEALTH_PORT = "ordo.health.port";
  /** Every option the processor reads. */
  public static final Set<String> OPTIONS = Set.of(GRACE_PERIOD, STRICT, MARGIN, SHUTDOWN_TIMEOUT, DELAY,
      DRAIN_TIMEOUT, COMPONENT_TIMEOUT, STARTUP_TIMEOUT, HEALTH_PORT);
  public static final String RESOURCE = "META-INF/ordo/kubernetes.yaml";

  /** A processor option whose value does not parse: the option, the value, what it must be. */
  public record InvalidOption(String option, String value, String expected) {}

  /** The options, parsed; or the first that does not parse. */
  public record Options(Optional<Duration> gracePeriod, boolean strict, Duration margin, Duration budget,
      Duration delay, Optional<Duration> drain, Duration componentTimeout, Duration startupTimeout, int healthPort) {

    /** The drain's timeout the runtime uses: the option, or min(10s, (budget - delay) / 2). */
    public Duration drainTimeout() {
      if (drain.isPresent()) {
        return drain.get();
      }
      Duration half = budget.minus(delay).dividedBy(2);
      Duration ten = Duration.ofSeconds(10);
      return half.isNegative() ? Duration.ZERO : half.compareTo(ten) < 0 ? half : ten;
    }
  }

  private Kubernetes() {}

  /**
   * Reads the processor options.
   *
   * @param invalid receives the first option that does not parse; the defaults stand in for it
   */
  public static Options options(Map<String, String> options, List<InvalidOption> invalid) {
    Optional<Duration> grace = duration(options, GRACE_PERIOD, invalid, false);
    String strictText = options.get(STRICT);
    boolean strict = false;
    if (strictText != null) {
      if (strictText.equalsIgnoreCase("true") || strictText.isEmpty()) {
        strict = true;
      } else if (!strictText.equalsIgnoreCase("false")) {
        invalid.add(new InvalidOption(STRICT, strictText, "true or false"));
      }
    }
    Duration margin = duration(options, MARGIN, invalid, true).orElse(Duration.ofSeconds(2));
    Duration budget = duration(options, SHUTDOWN_TIMEOUT, invalid, false).orElse(Duration.ofSeconds(30));
    Duration delay = duration(options, DELAY, invalid, true).orElse(Duration.ZERO);
    Optional<Duration> drain = duration(options, DRAIN_TIMEOUT, invalid, true);
    Duration component = duration(options, COMPONENT_TIMEOUT, invalid, false).orElse(Duration.ofSeconds(10));
    Duration startup = duration(options, STARTUP_TIMEOUT, invalid, false).orElse(Duration.ofSeconds(60));
    int port = 8081;
    String portText = options.get(HEALTH_PORT);
    if (portText != null) {
      try {
        port = Integer.parseInt(portText.strip());
        if (port < 1 || port > 65535) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        invalid.add(new InvalidOption(HEALTH_PORT, portText, "a port number from 1 to 65535"));
        port = 8081;
      }
    }
    return new Options(grace, strict, margin, budget, delay, drain, component, startup, port);
  }

  private static Optional<Duration> duration(Map<String, String> options, String key, List<InvalidOption> invalid,
      boolean zeroAllowed) {
    String text = options.get(key);
    if (text == null) {
      return Optional.empty();
    }
    Optional<Duration> parsed = Durations.parse(text);
    if (parsed.isPresent()) {
      return parsed;
    }
    if (zeroAllowed && text.strip().matches("0+(ms|s|m|h)?")) {
      return Optional.of(Duration.ZERO);
    }
    invalid.add(new InvalidOption(key, text, zeroAllowed ? "a duration such as 0s, 500ms, 10s, 2m or 1h"
        : "a positive duration such as 500ms, 10s, 2m or 1h"));
    return Optional.empty();
  }

  /**
   * The worst cases of one application.
   *
   * @param application its name, for messages and the fragment
   * @param shutdown the longest chain of stop timeouts
   * @param startup the longest chain of startup timeouts
   * @param options the options they were computed with
   */
  public record Estimate(String application, TimeoutPath shutdown, TimeoutPath startup, Options options) {
    /** Drain + the stop chain: what Ordo's own shutdown needs after the delay, before its budget caps it. */
    public Duration needed() {
      return TimeoutPath.saturatedPlus(options.drainTimeout(), shutdown.total());
    }

    /**
     * What a shutdown can take at most: the pre-stop delay (a preStop sleep, before SIGTERM), then
     * {@link #needed()}, but never past the shutdown budget.
     */
    public Duration worst() {
      return TimeoutPath.saturatedPlus(options.delay(), capped() ? options.budget() : needed());
    }

    /** Whether the budget cuts {@link #needed()} short. */
    public boolean capped() {
      return needed().compareTo(options.budget()) > 0;
    }

    /** The grace period this application needs: the worst case plus the margin, in whole seconds. */
    public long gracePeriodSeconds() {
      return seconds(TimeoutPath.saturatedPlus(worst(), options.margin()));
    }

    /** Whether {@code grace} is too short: it does not cover the worst case plus the margin. */
    public boolean exceeds(Duration grace) {
      return TimeoutPath.saturatedPlus(worst(), options.margin()).compareTo(grace) > 0;
    }
  }

  /**
   * Estimates the application whose components are {@code components} (named {@code names} in
   * messages), in a topological order, with {@code dependencies} as indices (hard and optional:
   * both order the stop phase).
   */
  public static Estimate estimate(String application, List<String> names, List<ComponentDescriptor> components,
      List<int[]> dependencies, Options options) {
    List<Duration> stops = new ArrayList<>();
    List<Duration> starts = new ArrayList<>();
    for (ComponentDescriptor c : components) {
      stops.add(c.shutdown().map(h -> h.timeout().orElse(options.componentTimeout())).orElse(Duration.ZERO));
      starts.add(c.startup().map(h -> h.timeout().orElse(options.startupTimeout())).orElse(Duration.ZERO));
    }
    return new Estimate(application, TimeoutPath.longest(names, stops, dependencies, true),
        TimeoutPath.longest(names, starts, dependencies, false), options);
  }

  /** Dependencies as indices among {@code components} (a topological order), by binary name. */
  public static List<int[]> dependencyIndices(List<ComponentDescriptor> components) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < components.size(); i++) {
      index.putIfAbsent(components.get(i).name().binaryName(), i);
    }
    List<int[]> result = new ArrayList<>();
    for (ComponentDescriptor c : components) {
      result.add(c.dependencies().stream().map(d -> index.get(d.name().binaryName()))
          .filter(i -> i != null).mapToInt(Integer::intValue).toArray());
    }
    return result;
  }

  /**
   * Orders {@code components} so that each comes after its dependencies (those among them), by
   * name among the ready ones; a cycle (reported elsewhere) leaves the rest in name order.
   */
  public static List<ComponentDescriptor> topological(List<ComponentDescriptor> components) {
    List<ComponentDescriptor> sorted = new ArrayList<>(components);
    sorted.sort((a, b) -> a.name().binaryName().compareTo(b.name().binaryName()));
    Map<String, ComponentDescriptor> byName = new HashMap<>();
    sorted.forEach(c -> byName.put(c.name().binaryName(), c));
    List<ComponentDescriptor> order = new ArrayList<>();
    java.util.Set<String> placed = new java.util.HashSet<>();
    boolean progress = true;
    while (order.size() < sorted.size() && progress) {
      progress = false;
      for (ComponentDescriptor c : sorted) {
        if (!placed.contains(c.name().binaryName()) && c.dependencies().stream()
            .allMatch(d -> placed.contains(d.name().binaryName()) || !byName.containsKey(d.name().binaryName()))) {
          order.add(c);
          placed.add(c.name().binaryName());
          progress = true;
        }
      }
    }
    for (ComponentDescriptor c : sorted) {
      if (!placed.contains(c.name().binaryName())) {
        order.add(c);
      }
    }
    return order;
  }

  /** Whole seconds, rounded up; capped at {@link Integer#MAX_VALUE} (Kubernetes' fields are int32). */
  static long seconds(Duration d) {
    BigDecimal s = BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9))
        .setScale(0, RoundingMode.CEILING);
    return s.min(BigDecimal.valueOf(Integer.MAX_VALUE)).longValue();
  }

  /** A duration as the shortest exact {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}. */
  public static String format(Duration d) {
    if (d.compareTo(Durations.LONGEST) >= 0) {
      return "no limit";
    }
    if (d.isZero()) {
      return "0s";
    }
    ChronoUnit unit = Durations.largestExactUnit(d);
    switch (unit) {
      case HOURS:
        return d.toHours() + "h";
      case MINUTES:
        return d.toMinutes() + "m";
      case SECONDS:
        return d.getSeconds() + "s";
      default:
        return d.toMillis() + "ms";
    }
  }

  /**
   * The container fragment: probes on Ordo's paths and port, the preStop sleep for the pre-stop
   * delay (Ordo's own delay then set to zero, so that it is not served twice), and the computed
   * grace period. One YAML document per application.
   */
  public static String yaml(List<Estimate> estimates) {
    StringBuilder y = new StringBuilder();
    for (Estimate e : estimates) {
      Options o = e.options();
      long startupSeconds = seconds(e.startup().total());
      int period = 2;
      long failures = Math.min(Integer.MAX_VALUE, startupSeconds / period + 2);
      String container = containerName(e.application());
      if (y.length() > 0) {
        y.append("---\n");
      }
      y.append("# Generated by Ordo's annotation processor for ").append(e.application()).append(".\n");
      y.append("# Merge into the pod spec of its Deployment; docs/kubernetes.md explains every number.\n");
      y.append("# Worst-case shutdown: pre-stop delay ").append(format(o.delay()))
          .append(" + drain ").append(format(o.drainTimeout()))
          .append(" + stop phase ").append(format(e.shutdown().total()))
          .append(" (").append(e.shutdown().describe()).append(")");
      if (e.capped()) {
        y.append(", drain and stop phase capped by ordo.shutdown.timeout at ").append(format(o.budget()));
      }
      y.append(" = ").append(format(e.worst())).append("; plus a margin of ").append(format(o.margin())).append(".\n");
      y.append("terminationGracePeriodSeconds: ").append(e.gracePeriodSeconds()).append('\n');
      y.append("containers:\n");
      y.append("  - name: ").append(container).append('\n');
      y.append("    env:\n");
      y.append("      - name: ORDO_HEALTH_PORT\n");
      y.append("        value: \"").append(o.healthPort()).append("\"\n");
      y.append("      # The kubelet probes the pod's IP, not the loopback address Ordo listens on by default.\n");
      y.append("      - name: ORDO_HEALTH_HOST\n");
      y.append("        value: \"0.0.0.0\"\n");
      y.append("      # SIGTERM starts the graceful shutdown (Ordo.run() handles it anyway).\n");
      y.append("      - name: ORDO_SHUTDOWN_ON_SIGNAL\n");
      y.append("        value: \"true\"\n");
      y.append("      # The preStop sleep below is the pre-stop delay; Ordo must not wait a second time.\n");
      y.append("      - name: ORDO_SHUTDOWN_DELAY\n");
      y.append("        value: \"0s\"\n");
      y.append("      - name: ORDO_SHUTDOWN_TIMEOUT\n");
      y.append("        value: \"").append(format(o.budget())).append("\"\n");
      y.append("      - name: ORDO_SHUTDOWN_DRAIN_TIMEOUT\n");
      y.append("        value: \"").append(format(o.drainTimeout())).append("\"\n");
      y.append("      - name: ORDO_KUBERNETES_GRACE_PERIOD\n");
      y.append("        value: \"").append(e.gracePeriodSeconds()).append("s\"\n");
      y.append("    ports:\n");
      y.append("      - name: ordo-health\n");
      y.append("        containerPort: ").append(o.healthPort()).append('\n');
      if (!o.delay().isZero()) {
        y.append("    lifecycle:\n");
        y.append("      preStop:\n");
        y.append("        sleep:\n");
        y.append("          seconds: ").append(seconds(o.delay())).append('\n');
      }
      y.append("    # Startup may take ").append(format(e.startup().total())).append(" at worst (")
          .append(e.startup().describe()).append(").\n");
      y.append("    startupProbe:\n");
      probe(y, "/health/started", period, failures);
      y.append("    livenessProbe:\n");
      probe(y, "/health/live", 10, 3);
      y.append("    readinessProbe:\n");
      probe(y, "/health/ready", 5, 1);
    }
    return y.toString();
  }

  private static void probe(StringBuilder y, String path, int period, long failures) {
    y.append("      httpGet:\n");
    y.append("        path: ").append(path).append('\n');
    y.append("        port: ordo-health\n");
    y.append("      periodSeconds: ").append(period).append('\n');
    y.append("      failureThreshold: ").append(failures).append('\n');
    y.append("      timeoutSeconds: 1\n");
  }

  /** A DNS-1123 label from the application's simple name: {@code OrderService} to {@code order-service}. */
  static String containerName(String application) {
    String simple = application.substring(application.lastIndexOf('.') + 1);
    String kebab = simple.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    kebab = kebab.replaceAll("^-+|-+$", "");
    return kebab.isEmpty() ? "app" : kebab.length() > 63 ? kebab.substring(0, 63) : kebab;
  }
}
