package dev.ordo.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What Ordo knows about one component: its name, whether it is critical, what it depends on, its
 * hooks with their timeouts, its health checks and the operations it publishes events for.
 *
 * <p>The annotation processor writes one per component into the generated {@code Foo_Lifecycle}
 * class, and the same into the dispatching {@code Hooks} class of the generated registry and
 * assembly. Dependencies are named by the dependency's binary class name ({@link Class#getName()}),
 * so that a descriptor never needs access to a package-private class of another package.
 *
 * @since 0.1
 */
public final class ComponentDescriptor {
  private final Class<?> type;
  private final String key;
  private final String name;
  private final String instanceKey;
  private final boolean critical;
  private final List<String> hardDependencies;
  private final List<String> softDependencies;
  private final String startupHook;
  private final Duration startupTimeout;
  private final String shutdownHook;
  private final Duration shutdownTimeout;
  private final List<HealthCheckDescriptor> healthChecks;
  private final List<String> operations;
  private final RetryPolicy retryPolicy;
  private final List<String> resources;

  private ComponentDescriptor(Builder b) {
    this.type = b.type;
    this.key = b.key != null ? b.key : b.type.getName();
    this.name = displayName(b.type, key);
    this.instanceKey = null;
    this.critical = b.critical;
    this.hardDependencies = Collections.unmodifiableList(new ArrayList<>(b.hardDependencies));
    this.softDependencies = Collections.unmodifiableList(new ArrayList<>(b.softDependencies));
    this.startupHook = b.startupHook;
    this.startupTimeout = b.startupTimeout;
    this.shutdownHook = b.shutdownHook;
    this.shutdownTimeout = b.shutdownTimeout;
    List<HealthCheckDescriptor> checks = new ArrayList<>(b.healthChecks.size());
    for (HealthCheckDescriptor c : b.healthChecks) {
      checks.add(b.restartWhenDown.contains(c.name()) ? c.restarting() : c);
    }
    this.healthChecks = Collections.unmodifiableList(checks);
    this.operations = Collections.unmodifiableList(new ArrayList<>(b.operations));
    this.retryPolicy = b.retryPolicy;
    this.resources = Collections.unmodifiableList(new ArrayList<>(b.resources));
  }

  /** A copy of {@code d} for the instance keyed {@code instanceKey}. */
  private ComponentDescriptor(ComponentDescriptor d, String instanceKey) {
    this.type = d.type;
    this.key = d.key + "[" + instanceKey + "]";
    this.name = d.name + "[" + instanceKey + "]";
    this.instanceKey = instanceKey;
    this.critical = d.critical;
    this.hardDependencies = d.hardDependencies;
    this.softDependencies = d.softDependencies;
    this.startupHook = d.startupHook;
    this.startupTimeout = d.startupTimeout;
    this.shutdownHook = d.shutdownHook;
    this.shutdownTimeout = d.shutdownTimeout;
    this.healthChecks = d.healthChecks;
    this.operations = d.operations;
    this.retryPolicy = d.retryPolicy;
    this.resources = d.resources;
  }

  /** Starts a descriptor of the component class {@code type}. */
  public static Builder builder(Class<?> type) {
    return new Builder(type);
  }

  /** The component's class. */
  public Class<?> type() {
    return type;
  }

  /**
   * The key other components use to depend on this one: the class's binary name, unless a
   * hand-written controller set another with {@link Builder#key(String)}.
   */
  public String key() {
    return key;
  }

  /**
   * The name shown in logs, reports, health, metrics and events: the class's canonical name, or
   * the explicit key; followed by {@code [instance key]} for a keyed instance
   * ({@code com.acme.ConnectionPool[orders-db]}).
   */
  public String name() {
    return name;
  }

  /**
   * The key of this instance when the application runs several instances of the class
   * ({@code Ordo.Builder.component("orders-db", pool)}), or {@code null}.
   *
   * @since 0.1
   */
  public String instanceKey() {
    return instanceKey;
  }

  /**
   * A copy of this descriptor for the instance keyed {@code instanceKey}, one of several instances
   * of one class: its {@link #key()} becomes {@code key() + "[" + instanceKey + "]"} (for a
   * generated controller, the binary name: {@code com.acme.ConnectionPool[orders-db]}) and its
   * {@link #name()} {@code name() + "[" + instanceKey + "]"}, so that states, health, metrics,
   * events and reports tell the instances apart. Everything else (dependencies, hooks, checks,
   * operations) is the same. The runtime applies it to the controllers given with a key; a
   * hand-written controller has no need to.
   *
   * @param instanceKey not empty, without whitespace, {@code [} or {@code ]}
   * @throws IllegalArgumentException if the key is not valid
   * @since 0.1
   */
  public ComponentDescriptor withKey(String instanceKey) {
    return new ComponentDescriptor(this, checkInstanceKey(instanceKey));
  }

  /**
   * Checks an instance key: not empty, without whitespace, {@code [} or {@code ]} (which would
   * make names ambiguous).
   */
  static String checkInstanceKey(String instanceKey) {
    Objects.requireNonNull(instanceKey, "key");
    boolean valid = !instanceKey.isEmpty();
    for (int i = 0; valid && i < instanceKey.length(); i++) {
      char c = instanceKey.charAt(i);
      valid = c != '[' && c != ']' && !Character.isWhitespace(c) && !Character.isSpaceChar(c);
    }
    if (!valid) {
      throw new IllegalArgumentException("Invalid instance key '" + instanceKey + "': a key must not be empty"
          + " and must not contain whitespace, '[' or ']' (for example \"orders-db\")");
    }
    return instanceKey;
  }

  private static String displayName(Class<?> type, String key) {
    if (!key.equals(type.getName())) {
      return key;
    }
    String canonical = type.getCanonicalName();
    return canonical != null ? canonical : type.getName();
  }

  /** Whether the application cannot run without this component. */
  public boolean critical() {
    return critical;
  }

  /** Binary names of the components that must be running before this one starts. */
  public List<String> hardDependencies() {
    return hardDependencies;
  }

  /** Binary names of the components that must have settled (running or not) before this one starts. */
  public List<String> softDependencies() {
    return softDependencies;
  }

  /** The name of the {@code @OnStartup} method, or {@code null} when there is none. */
  public String startupHook() {
    return startupHook;
  }

  /** The startup hook's own timeout, or {@code null} for the application's default. */
  public Duration startupTimeout() {
    return startupTimeout;
  }

  /** The name of the {@code @OnShutdown} method, or {@code null} when there is none. */
  public String shutdownHook() {
    return shutdownHook;
  }

  /** The shutdown hook's own timeout, or {@code null} for the application's default. */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** The health checks, in the order the controller numbers them. */
  public List<HealthCheckDescriptor> healthChecks() {
    return healthChecks;
  }

  /**
   * The names of the component's {@code final} fields of type {@code ManagedResource}, in
   * declaration order: the controller's {@link LifecycleController#resources()} gives their values
   * in this order.
   *
   * @since 0.1
   */
  public List<String> resources() {
    return resources;
  }

  /** The operations this component publishes events for. */
  public List<String> operations() {
    return operations;
  }

  /**
   * How a failed start is retried, as declared ({@code @OnStartup(retry = @Retry(...))}); {@code null}
   * when the component declares no retry. The builder and the configuration may override it for
   * one application ({@link Ordo.Builder#retry(String, RetryPolicy)}, {@code ordo.retry.<component>}).
   *
   * @since 0.1
   */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(name());
    if (critical) {
      s.append(" (critical)");
    }
    if (!hardDependencies.isEmpty()) {
      s.append(" dependsOn=").append(hardDependencies);
    }
    if (!softDependencies.isEmpty()) {
      s.append(" optionallyDependsOn=").append(softDependencies);
    }
    return s.toString();
  }

  /** One {@code @HealthCheck} method of a component. */
  public static final class HealthCheckDescriptor {
    private final String name;
    private final String method;
    private final Duration timeout;
    private final Duration interval;
    private final boolean restart;

    /**
     * Describes a check.
     *
     * @param name the name reports show
     * @param method the method's name
     * @param timeout the check's own timeout, or {@code null} for the application's default
     * @param interval how often it runs, or {@code null} for the application's default
     */
    public HealthCheckDescriptor(String name, String method, Duration timeout, Duration interval) {
      this(name, method, timeout, interval, false);
    }

    /**
     * Describes a check that may restart its component.
     *
     * @param restart whether the component is restarted when this check turns DOWN
     * @since 0.1
     */
    public HealthCheckDescriptor(String name, String method, Duration timeout, Duration interval, boolean restart) {
      this.name = Objects.requireNonNull(name, "name");
      this.method = Objects.requireNonNull(method, "method");
      this.timeout = timeout;
      this.interval = interval;
      this.restart = restart;
    }

    private HealthCheckDescriptor restarting() {
      return new HealthCheckDescriptor(name, method, timeout, interval, true);
    }

    /** The name reports show. */
    public String name() {
      return name;
    }

    /** The method's name. */
    public String method() {
      return method;
    }

    /** The check's own timeout, or {@code null} for the application's default. */
    public Duration timeout() {
      return timeout;
    }

    /** How often the check runs, or {@code null} for the application's default. */
    public Duration interval() {
      return interval;
    }

    /**
     * Whether the component is restarted (stop hook, then start hook, with its retry policy's
     * backoff) when this check turns DOWN ({@code @HealthCheck(restart = true)}).
     *
     * @since 0.1
     */
    public boolean restart() {
      return restart;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Builds a {@link ComponentDescriptor}; generated controllers use it in a static initializer. */
  public static final class Builder {
    private final Class<?> type;
    private String key;
    private boolean critical;
    private final List<String> hardDependencies = new ArrayList<>(2);
    private final List<String> softDependencies = new ArrayList<>(2);
    private String startupHook;
    private Duration startupTimeout;
    private String shutdownHook;
    private Duration shutdownTimeout;
    private final List<HealthCheckDescriptor> healthChecks = new ArrayList<>(1);
    private final List<String> operations = new ArrayList<>(0);
    private RetryPolicy retryPolicy;
    private final List<String> restartWhenDown = new ArrayList<>(0);
    private final List<String> resources = new ArrayList<>(0);

    private Builder(Class<?> type) {
      this.type = Objects.requireNonNull(type, "type");
    }

    /**
     * Sets the key other components depend on this one by, instead of the class's binary name.
     * Hand-written controllers use it to run several instances of one class (a primary and a
     * replica {@code DataSource}); generated controllers never do.
     */
    public Builder key(String key) {
      this.key = Objects.requireNonNull(key, "key");
      return this;
    }

    /** Marks the component critical. */
    public Builder critical() {
      this.critical = true;
      return this;
    }

    /** Adds a hard dependency, by binary class name. */
    public Builder dependsOn(String binaryName) {
      hardDependencies.add(Objects.requireNonNull(binaryName, "binaryName"));
      return this;
    }

    /** Adds a soft ({@code optional = true}) dependency, by binary class name. */
    public Builder dependsOnOptionally(String binaryName) {
      softDependencies.add(Objects.requireNonNull(binaryName, "binaryName"));
      return this;
    }

    /** Names the startup hook and its own timeout ({@code null}: the application's default). */
    public Builder onStartup(String method, Duration timeout) {
      this.startupHook = Objects.requireNonNull(method, "method");
      this.startupTimeout = timeout;
      return this;
    }

    /** Names the shutdown hook and its own timeout ({@code null}: the application's default). */
    public Builder onShutdown(String method, Duration timeout) {
      this.shutdownHook = Objects.requireNonNull(method, "method");
      this.shutdownTimeout = timeout;
      return this;
    }

    /** Adds a health check; see {@link HealthCheckDescriptor}. */
    public Builder healthCheck(String name, String method, Duration timeout, Duration interval) {
      healthChecks.add(new HealthCheckDescriptor(name, method, timeout, interval));
      return this;
    }

    /**
     * Retries a failed start with {@code policy} ({@code @OnStartup(retry = @Retry(...))}); only for
     * an optional component ({@link Ordo.Builder#build()} refuses a critical one).
     *
     * @since 0.1
     */
    public Builder retry(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "policy").enabled() ? policy : null;
      return this;
    }

    /**
     * Restarts the component when the health check named {@code check} (added with
     * {@link #healthCheck}) turns DOWN ({@code @HealthCheck(restart = true)}), with the backoff of its
     * {@link #retry retry policy}; without a retry policy in force, no restart happens.
     *
     * @since 0.1
     */
    public Builder restartWhenDown(String check) {
      restartWhenDown.add(Objects.requireNonNull(check, "check"));
      return this;
    }

    /**
     * Names the component's managed-resource fields, in the order its controller's {@link
     * LifecycleController#resources()} returns their values.
     *
     * @since 0.1
     */
    public Builder resources(String... fields) {
      for (String field : fields) {
        resources.add(Objects.requireNonNull(field, "field"));
      }
      return this;
    }

    /** Declares the operations the component publishes events for. */
    public Builder publishes(String... operations) {
      for (String operation : operations) {
        this.operations.add(Objects.requireNonNull(operation, "operation"));
      }
      return this;
    }

    /**
     * Returns the descriptor.
     *
     * @throws IllegalArgumentException if {@link #restartWhenDown} names no health check
     */
    public ComponentDescriptor build() {
      for (String check : restartWhenDown) {
        if (healthChecks.stream().noneMatch(c -> c.name().equals(check))) {
          throw new IllegalArgumentException(type.getName() + " has no health check named \"" + check
              + "\" to restart it when DOWN; its checks are " + healthChecks);
        }
      }
      return new ComponentDescriptor(this);
    }
  }
}
