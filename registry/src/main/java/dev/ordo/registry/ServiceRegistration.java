package dev.ordo.registry;

import dev.ordo.HealthCheck;
import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.Retry;
import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.Health;
import dev.ordo.runtime.LifecycleListener;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.internal.Settings;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.IntSupplier;

/**
 * Registers this service instance with a registry (etcd or Consul) while the application runs: a
 * ready-made optional Ordo component.
 *
 * <pre>{@code
 * ServiceRegistration registration = ServiceRegistration.builder()
 *     .registry("etcd://127.0.0.1:2379")         // or consul://127.0.0.1:8500
 *     .serviceName("orders")
 *     .port(8080)
 *     .metadata("version", "1.4.2")
 *     .build();
 * Ordo app = registration.addTo(Ordo.builder().components(pool, store, api)).build();
 * }</pre>
 *
 * <p>What it does, and when:
 * <ul>
 *   <li><b>startup</b> ({@code @OnStartup}): reaches the registry and prepares a registration that
 *       is kept alive from then on (etcd: a lease of the TTL with jetcd's keep-alive; Consul: the
 *       agent answers). If the registry cannot be reached, the hook fails: the component is
 *       optional, so the application runs DEGRADED, and Ordo retries the hook in the background with
 *       backoff ({@code @OnStartup(retry = @Retry(initial = "1s", max = "30s"))}; override with
 *       {@code ordo.retry.dev.ordo.registry.ServiceRegistration} or
 *       {@code Ordo.Builder.retry(ServiceRegistration.class, ...)}) until it succeeds.
 *   <li><b>RUNNING</b>: registers the instance in service (name, id, address, port, health URL of
 *       Ordo's readiness probe, metadata) once the application is RUNNING, so that no traffic is
 *       sent before every component has started (when a retry succeeds later, it registers at once);
 *       keeps it alive (etcd: lease keep-alive; Consul: TTL check passed every third of the TTL).
 *   <li><b>DRAINING</b>: the moment the shutdown begins to drain, before the pre-stop delay and the
 *       drain, marks the instance out of service (etcd: {@code "status":"OUT_OF_SERVICE"}; Consul:
 *       maintenance mode), so that traffic stops arriving while the work in flight finishes.
 *   <li><b>stop phase</b> ({@code @OnShutdown}): deregisters (etcd: deletes the key and revokes
 *       the lease; Consul: deregisters the service).
 *   <li>If the process dies without a shutdown (SIGKILL), the registration is not renewed and the
 *       registry drops it: etcd when the lease expires (one TTL), Consul when the TTL check has been
 *       critical for {@code ordo.registry.consul.deregister-critical-after}.
 *   <li><b>health</b> ({@code @HealthCheck(restart = true)}): DOWN when the registration can no
 *       longer be kept alive (etcd's lease lost, Consul's TTL passes failing); Ordo then restarts the
 *       component, which registers again.
 * </ul>
 *
 * <p>The RUNNING and DRAINING steps need the component to hear the application's state changes:
 * add it with {@link #addTo(Ordo.Builder)}, which adds it both as a component and as a listener.
 * Added only as a component ({@code .component(registration)}), it registers as soon as its startup
 * hook succeeds, and marks itself out of service at the beginning of its shutdown hook instead.
 *
 * <p>Settings (builder, then system property, then environment variable, then default):
 *
 * <table>
 *   <caption>Registration settings</caption>
 *   <tr><th>method</th><th>property / variable</th><th>default</th></tr>
 *   <tr><td>{@link Builder#registry}</td><td>{@code ordo.registry.url} / {@code ORDO_REGISTRY_URL}</td>
 *       <td>none: required ({@code etcd://host:port} or {@code consul://host:port})</td></tr>
 *   <tr><td>{@link Builder#serviceName}</td><td>{@code ordo.registry.service-name} /
 *       {@code ORDO_REGISTRY_SERVICE_NAME}</td><td>none: required</td></tr>
 *   <tr><td>{@link Builder#port}</td><td>{@code ordo.registry.port} / {@code ORDO_REGISTRY_PORT}</td>
 *       <td>none: required</td></tr>
 *   <tr><td>{@link Builder#instanceId}</td><td>{@code ordo.registry.instance-id} /
 *       {@code ORDO_REGISTRY_INSTANCE_ID}</td><td>{@code <service-name>-<host>-<pid>}</td></tr>
 *   <tr><td>{@link Builder#address}</td><td>{@code ordo.registry.address} /
 *       {@code ORDO_REGISTRY_ADDRESS}</td><td>this host's address</td></tr>
 *   <tr><td>{@link Builder#healthUrl}</td><td>{@code ordo.registry.health-url} /
 *       {@code ORDO_REGISTRY_HEALTH_URL}</td><td>{@code http://<address>:<ordo.health.port>/health/ready}
 *       when {@code ordo.health.port} is set, else none</td></tr>
 *   <tr><td>{@link Builder#metadata}</td><td>{@code ordo.registry.metadata} /
 *       {@code ORDO_REGISTRY_METADATA}</td><td>none ({@code key=value,key=value})</td></tr>
 *   <tr><td>{@link Builder#ttl}</td><td>{@code ordo.registry.ttl} / {@code ORDO_REGISTRY_TTL}</td>
 *       <td>{@code 10s}</td></tr>
 *   <tr><td>{@link Builder#requestTimeout}</td><td>{@code ordo.registry.request-timeout} /
 *       {@code ORDO_REGISTRY_REQUEST_TIMEOUT}</td><td>{@code 5s}</td></tr>
 *   <tr><td>{@link Builder#etcdPrefix}</td><td>{@code ordo.registry.etcd.prefix} /
 *       {@code ORDO_REGISTRY_ETCD_PREFIX}</td><td>{@code /services}</td></tr>
 *   <tr><td>{@link Builder#consulToken}</td><td>{@code ordo.registry.consul.token} /
 *       {@code ORDO_REGISTRY_CONSUL_TOKEN}</td><td>none</td></tr>
 *   <tr><td>{@link Builder#deregisterCriticalAfter}</td>
 *       <td>{@code ordo.registry.consul.deregister-critical-after} /
 *       {@code ORDO_REGISTRY_CONSUL_DEREGISTER_CRITICAL_AFTER}</td><td>{@code 1m}</td></tr>
 * </table>
 *
 * @since 0.1
 */
public final class ServiceRegistration implements LifecycleListener {
  static final String URL = "ordo.registry.url";
  static final String SERVICE_NAME = "ordo.registry.service-name";
  static final String INSTANCE_ID = "ordo.registry.instance-id";
  static final String ADDRESS = "ordo.registry.address";
  static final String PORT = "ordo.registry.port";
  static final String HEALTH_URL = "ordo.registry.health-url";
  static final String METADATA = "ordo.registry.metadata";
  static final String TTL = "ordo.registry.ttl";
  static final String REQUEST_TIMEOUT = "ordo.registry.request-timeout";
  static final String ETCD_PREFIX = "ordo.registry.etcd.prefix";
  static final String CONSUL_TOKEN = "ordo.registry.consul.token";
  static final String DEREGISTER_CRITICAL_AFTER = "ordo.registry.consul.deregister-critical-after";
  static final String HEALTH_PORT = "ordo.health.port";

  private static final System.Logger LOG = System.getLogger(ServiceRegistration.class.getName());

  /** What is registered, with the port and health URL given at build time (0 / none when given by suppliers). */
  private final ServiceInstance template;
  private final IntSupplier portSupplier;
  private final IntSupplier healthPortSupplier;
  private final RegistryBackend backend;
  private final Duration ttl;

  // Guarded by this. Callers: the startup and shutdown hooks (Ordo's hook threads, one at a time for
  // one component) and this listener (its own listener thread). Registry calls are made under the
  // monitor, each bounded by the request timeout, so that register, out-of-service and deregister
  // never interleave; the runtime holds none of its own locks when it calls either.
  private boolean attached;
  private boolean connected;
  private boolean registered;
  private boolean outOfService;
  private ApplicationState applicationState = ApplicationState.NEW;
  /** What was last registered (the suppliers read then); null before the first registration. */
  private ServiceInstance instance;
  /** Why the last registration attempt failed, while it is not registered; null otherwise. */
  private String registerFailure;

  private ServiceRegistration(ServiceInstance template, IntSupplier portSupplier, IntSupplier healthPortSupplier,
      RegistryBackend backend, Duration ttl) {
    this.template = template;
    this.portSupplier = portSupplier;
    this.healthPortSupplier = healthPortSupplier;
    this.backend = backend;
    this.ttl = ttl;
  }

  /** A builder; what it is not given comes from {@code ordo.registry.*} or the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A registration configured entirely by {@code ordo.registry.*} / {@code ORDO_REGISTRY_*}. */
  public static ServiceRegistration fromConfiguration() {
    return builder().build();
  }

  /**
   * What is registered: once registered, with the port and health URL read from their suppliers
   * then; before, as configured (port 0 when it comes from a supplier).
   */
  public synchronized ServiceInstance instance() {
    return instance != null ? instance : template;
  }

  /** The registry, for messages: {@code etcd at http://...} or {@code Consul agent at http://...}. */
  public String registry() {
    return backend.describe();
  }

  /** Whether the instance is registered now (in service or out of service). */
  public synchronized boolean isRegistered() {
    return registered;
  }

  /**
   * Adds this registration to {@code builder} as a component and as a listener of the
   * application's states (see the class's description), and returns the builder.
   */
  public Ordo.Builder addTo(Ordo.Builder builder) {
    synchronized (this) {
      attached = true;
    }
    return builder.component(this).listener(this);
  }

  /**
   * Reaches the registry (and registers at once when the application already runs, or when this
   * registration does not hear the application's states). Fails when the registry cannot be reached:
   * the application runs DEGRADED and Ordo retries with backoff.
   */
  @OnStartup(timeout = "30s", retry = @Retry(initial = "1s", max = "30s"))
  void connect() throws Exception {
    synchronized (this) {
      outOfService = false;
      try {
        backend.connect(template, ttl);
      } catch (Exception e) {
        throw new IllegalStateException("Cannot reach " + backend.describe() + " to register " + template.id()
            + ": " + e + " (Ordo retries in the background; the application runs degraded meanwhile)", e);
      }
      connected = true;
      if (!attached || applicationState == ApplicationState.RUNNING) {
        registerLocked();
      }
    }
  }

  private void registerLocked() throws Exception {
    if (registered || outOfService || !connected) {
      return;
    }
    try {
      ServiceInstance resolved = resolve();
      backend.register(resolved);
      instance = resolved;
      registered = true;
      registerFailure = null;
    } catch (Exception e) {
      registerFailure = e.toString();
      throw e;
    }
    ServiceInstance registeredNow = instance;
    LOG.log(Level.INFO, () -> "Registered " + registeredNow.name() + " instance " + registeredNow.id() + " ("
        + registeredNow.address() + ":" + registeredNow.port() + ") with " + backend.describe());
  }

  /** The instance to register now: the template, with the port and health URL read from their suppliers. */
  private ServiceInstance resolve() {
    int port = template.port();
    if (portSupplier != null) {
      port = portSupplier.getAsInt();
      if (port < 1 || port > 65535) {
        throw new IllegalStateException("The port to register " + template.id() + " with is not known yet (its"
            + " supplier gave " + port + ")");
      }
    }
    URI health = template.healthUrl();
    if (healthPortSupplier != null) {
      int healthPort = healthPortSupplier.getAsInt();
      health = healthPort >= 1 && healthPort <= 65535 ? readiness(template.address(), healthPort) : null;
    }
    return new ServiceInstance(template.name(), template.id(), template.address(), port, health, template.metadata());
  }

  /**
   * Hears the application's states: registers when it is RUNNING, marks the instance out of
   * service when it begins DRAINING. Runs on the listener's own thread.
   */
  @Override
  public void applicationStateChanged(ApplicationState from, ApplicationState to) {
    synchronized (this) {
      applicationState = to;
      try {
        if (to == ApplicationState.RUNNING) {
          registerLocked();
        } else if (to == ApplicationState.DRAINING) {
          markOutOfServiceLocked();
        }
      } catch (Exception e) {
        LOG.log(Level.WARNING, "Registration of " + template.id() + " with " + backend.describe() + " failed when the"
            + " application became " + to + ": " + e);
      }
    }
  }

  private void markOutOfServiceLocked() throws Exception {
    if (outOfService) {
      return;
    }
    outOfService = true; // from now on nothing registers in service again
    if (registered) {
      backend.markOutOfService(instance);
      LOG.log(Level.INFO, () -> "Marked " + template.id() + " out of service in " + backend.describe()
          + ": the application is draining");
    }
  }

  /** Deregisters (after marking out of service, if the draining was not heard), then releases the client. */
  @OnShutdown(timeout = "10s")
  void deregister() throws Exception {
    synchronized (this) {
      try {
        if (registered) {
          if (!outOfService) {
            try {
              markOutOfServiceLocked();
            } catch (Exception e) {
              LOG.log(Level.WARNING, "Could not mark " + template.id() + " out of service in " + backend.describe()
                  + " before deregistering it: " + e);
            }
          }
          backend.deregister(instance);
          LOG.log(Level.INFO, () -> "Deregistered " + template.id() + " from " + backend.describe());
        }
      } finally {
        // Even when deregistering failed: the registry drops the registration when its TTL or lease
        // runs out, and a restart registers afresh.
        registered = false;
        connected = false;
        backend.close();
      }
    }
  }

  /**
   * DOWN when the registration can no longer be kept alive, or when registering at RUNNING failed;
   * Ordo then restarts the component, which registers again.
   */
  @HealthCheck(name = "registration", restart = true)
  Health registration() {
    String problem = backend.problem();
    if (problem == null) {
      synchronized (this) {
        problem = registerFailure != null && !registered && !outOfService ? "could not register: " + registerFailure : null;
      }
    }
    if (problem != null) {
      return Health.down(template.id() + " in " + backend.describe() + ": " + problem);
    }
    return Health.up();
  }

  @Override
  public String toString() {
    return "ServiceRegistration[" + template.name() + "/" + template.id() + " at " + backend.describe() + "]";
  }

  /**
   * Configures a {@link ServiceRegistration}; every setting not given here comes from its
   * {@code ordo.registry.*} system property, then its {@code ORDO_REGISTRY_*} environment variable,
   * then its default.
   */
  public static final class Builder {
    private String registry;
    private String serviceName;
    private String instanceId;
    private String address;
    private Integer port;
    private URI healthUrl;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private Duration ttl;
    private Duration requestTimeout;
    private String etcdPrefix;
    private String consulToken;
    private Duration deregisterCriticalAfter;
    private Integer healthPortFromCode;
    private IntSupplier portSupplier;
    private IntSupplier healthPortSupplier;
    private Properties systemProperties = System.getProperties();
    private Map<String, String> environment = System.getenv();

    private Builder() {}

    /** The registry: {@code etcd://host:port} or {@code consul://host:port} ({@code ordo.registry.url}). */
    public Builder registry(String url) {
      this.registry = Objects.requireNonNull(url, "url");
      return this;
    }

    /** The service's name ({@code ordo.registry.service-name}). */
    public Builder serviceName(String name) {
      this.serviceName = Objects.requireNonNull(name, "name");
      return this;
    }

    /** This instance's id ({@code ordo.registry.instance-id}, default {@code <service-name>-<host>-<pid>}). */
    public Builder instanceId(String id) {
      this.instanceId = Objects.requireNonNull(id, "id");
      return this;
    }

    /** The address clients use ({@code ordo.registry.address}, default this host's address). */
    public Builder address(String address) {
      this.address = Objects.requireNonNull(address, "address");
      return this;
    }

    /** The port clients use ({@code ordo.registry.port}). */
    public Builder port(int port) {
      this.port = port;
      this.portSupplier = null;
      return this;
    }

    /**
     * The port clients use, read when the instance registers (once the application is RUNNING):
     * for a server that picks a free port when it starts. A value outside 1..65535 then fails that
     * registration, which is retried.
     */
    public Builder port(IntSupplier port) {
      this.portSupplier = Objects.requireNonNull(port, "port");
      this.port = null;
      return this;
    }

    /**
     * The port of Ordo's health probes, read when the instance registers: the health URL is then
     * {@code http://<address>:<port>/health/ready}, or none when the value is outside 1..65535 (no
     * probes are served). For {@code Ordo.healthPort()} with a port picked at startup.
     */
    public Builder healthPort(IntSupplier port) {
      this.healthPortSupplier = Objects.requireNonNull(port, "port");
      this.healthUrl = null;
      this.healthPortFromCode = null;
      return this;
    }

    /** The readiness probe's URL ({@code ordo.registry.health-url}). */
    public Builder healthUrl(URI url) {
      this.healthUrl = Objects.requireNonNull(url, "url");
      this.healthPortFromCode = null;
      this.healthPortSupplier = null;
      return this;
    }

    /**
     * The readiness probe served by Ordo on {@code port} of this instance's address:
     * {@code http://<address>:<port>/health/ready}.
     */
    public Builder healthPort(int port) {
      this.healthUrl = null;
      this.healthPortFromCode = port;
      this.healthPortSupplier = null;
      return this;
    }

    /** Adds one metadata entry ({@code ordo.registry.metadata} adds {@code key=value,key=value}). */
    public Builder metadata(String key, String value) {
      metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** How long the registration lives without renewal ({@code ordo.registry.ttl}, default 10s). */
    public Builder ttl(Duration ttl) {
      this.ttl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /** The longest one request to the registry may take ({@code ordo.registry.request-timeout}, default 5s). */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** etcd: the keys' prefix ({@code ordo.registry.etcd.prefix}, default {@code /services}). */
    public Builder etcdPrefix(String prefix) {
      this.etcdPrefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /** Consul: the ACL token sent as {@code X-Consul-Token} ({@code ordo.registry.consul.token}). */
    public Builder consulToken(String token) {
      this.consulToken = Objects.requireNonNull(token, "token");
      return this;
    }

    /**
     * Consul: how long the TTL check may stay critical before the agent removes the instance
     * ({@code ordo.registry.consul.deregister-critical-after}, default 1m; Consul's minimum is 1m).
     */
    public Builder deregisterCriticalAfter(Duration after) {
      this.deregisterCriticalAfter = Objects.requireNonNull(after, "after");
      return this;
    }

    /** Reads the settings from these instead of the process's (tests). */
    Builder configuration(Properties systemProperties, Map<String, String> environment) {
      this.systemProperties = systemProperties;
      this.environment = environment;
      return this;
    }

    /**
     * The registration. Checks every setting; opens no connection.
     *
     * @throws ConfigurationException naming the key and the value of a setting that is missing or invalid
     */
    public ServiceRegistration build() {
      Settings s = new Settings(systemProperties, environment);
      String url = required(s, URL, registry, "etcd://host:port or consul://host:port");
      URI endpoint = endpoint(url, s.source(URL, registry != null));
      String given = required(s, SERVICE_NAME, serviceName, "the service's name");
      String name = given.trim();
      if (name.isEmpty() || containsSlashOrSpace(name)) {
        throw invalid(SERVICE_NAME, given, s.source(SERVICE_NAME, serviceName != null),
            "a non-empty name without spaces or slashes, such as orders");
      }
      int resolvedPort = port != null
          ? Settings.checkCode(PORT, port, port >= 1 && port <= 65535, "a port from 1 to 65535")
          : portSupplier != null ? 0 : s.resolve(PORT, -1, ServiceRegistration::parsePort, "a port from 1 to 65535");
      if (resolvedPort < 0) {
        throw new ConfigurationException("Missing " + PORT + " (or " + Settings.environmentName(PORT)
            + ", or ServiceRegistration.Builder.port): expected the port clients reach this instance at");
      }
      String resolvedAddress = address != null ? address : s.text(ADDRESS);
      if (resolvedAddress == null) {
        resolvedAddress = localAddress();
      } else if (resolvedAddress.isBlank() || containsSlashOrSpace(resolvedAddress)) {
        throw invalid(ADDRESS, resolvedAddress, s.source(ADDRESS, address != null), "a host name or IP address");
      }
      String id = instanceId != null ? instanceId : s.text(INSTANCE_ID);
      if (id == null) {
        id = name + "-" + hostName() + "-" + ProcessHandle.current().pid();
      } else if (id.isBlank() || containsSlashOrSpace(id)) {
        throw invalid(INSTANCE_ID, id, s.source(INSTANCE_ID, instanceId != null), "a non-empty id without spaces or slashes");
      }
      URI health = healthPortSupplier != null ? null : healthUrl(s, resolvedAddress);
      Map<String, String> meta = new LinkedHashMap<>();
      String metaText = s.text(METADATA);
      if (metaText != null && !metaText.isBlank()) {
        for (String pair : metaText.split(",")) {
          int eq = pair.indexOf('=');
          if (eq <= 0 || pair.substring(0, eq).isBlank()) {
            throw invalid(METADATA, metaText, s.source(METADATA), "key=value pairs separated by commas");
          }
          meta.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
      }
      meta.putAll(metadata);
      Duration resolvedTtl = s.duration(TTL, ttl, Duration.ofSeconds(10));
      if (resolvedTtl.compareTo(Duration.ofSeconds(2)) < 0 || resolvedTtl.compareTo(MAX_TTL) > 0) {
        // The upper bound is etcd's longest lease (MaxLeaseTTL); Consul's Go durations hold it too.
        throw invalid(TTL, ttl != null ? ttl.toString() : s.text(TTL), s.source(TTL, ttl != null),
            "at least 2s and at most 9000000000s (etcd's longest lease)");
      }
      Duration timeout = s.duration(REQUEST_TIMEOUT, requestTimeout, Duration.ofSeconds(5));
      // Longer than a request can be bounded (jetcd's connect timeout and the HTTP client's deadline
      // hold an int of milliseconds or an Instant): means no limit, as every Ordo timeout past the range.
      if (timeout.compareTo(LONGEST_REQUEST) > 0) {
        timeout = LONGEST_REQUEST;
      }
      ServiceInstance instance = new ServiceInstance(name, id, resolvedAddress, resolvedPort, health, meta);
      RegistryBackend backend;
      if (endpoint.getScheme().equals("etcd")) {
        String prefix = etcdPrefix != null ? etcdPrefix : s.text(ETCD_PREFIX);
        if (prefix == null) {
          prefix = "/services";
        } else if (!prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains(" ")) {
          throw invalid(ETCD_PREFIX, prefix, s.source(ETCD_PREFIX, etcdPrefix != null),
              "a key prefix that begins with / and does not end with one, such as /services");
        }
        backend = etcd(URI.create("http://" + endpoint.getHost() + ":" + endpoint.getPort()), prefix, timeout);
      } else {
        String token = consulToken != null ? consulToken : s.text(CONSUL_TOKEN);
        Duration after = s.duration(DEREGISTER_CRITICAL_AFTER, deregisterCriticalAfter, Duration.ofMinutes(1));
        if (after.compareTo(Duration.ofMinutes(1)) < 0 || after.compareTo(MAX_CONSUL_DURATION) > 0) {
          throw invalid(DEREGISTER_CRITICAL_AFTER, deregisterCriticalAfter != null ? deregisterCriticalAfter.toString()
              : s.text(DEREGISTER_CRITICAL_AFTER), s.source(DEREGISTER_CRITICAL_AFTER, deregisterCriticalAfter != null),
              "at least 1m (Consul's minimum) and at most 2562047h (Consul's longest duration)");
        }
        backend = new ConsulBackend(URI.create("http://" + endpoint.getHost() + ":" + endpoint.getPort()), token,
            timeout, after);
      }
      return new ServiceRegistration(instance, portSupplier, healthPortSupplier, backend, resolvedTtl);
    }

    /** Kept apart so that jetcd is loaded only when etcd is used (it is an optional dependency). */
    private static RegistryBackend etcd(URI endpoint, String prefix, Duration timeout) {
      try {
        Class.forName("io.etcd.jetcd.Client", false, ServiceRegistration.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        throw new ConfigurationException("Cannot register with etcd (" + URL + "): io.etcd:jetcd-core is not on the"
            + " class path; add it to the application's dependencies");
      }
      return new EtcdBackend(endpoint, prefix, timeout);
    }

    private URI healthUrl(Settings s, String resolvedAddress) {
      if (healthPortFromCode != null) {
        int p = Settings.checkCode("ServiceRegistration.Builder.healthPort", healthPortFromCode,
            healthPortFromCode >= 1 && healthPortFromCode <= 65535, "a port from 1 to 65535");
        return readiness(resolvedAddress, p);
      }
      if (healthUrl != null) {
        return healthUrl;
      }
      String text = s.text(HEALTH_URL);
      if (text != null) {
        try {
          URI u = new URI(text.trim());
          if (u.getScheme() == null || u.getHost() == null
              || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
            throw new URISyntaxException(text, "not an absolute http(s) URL");
          }
          return u;
        } catch (URISyntaxException e) {
          throw invalid(HEALTH_URL, text, s.source(HEALTH_URL), "an http(s) URL such as http://10.0.0.5:8081/health/ready");
        }
      }
      Integer probes = s.resolve(HEALTH_PORT, null, t -> {
        int p = Integer.parseInt(t.trim());
        if (p < 0 || p > 65535) {
          throw new IllegalArgumentException();
        }
        return p;
      }, "0 or a port from 1 to 65535");
      return probes == null || probes == 0 ? null : readiness(resolvedAddress, probes);
    }

  }

  private static URI readiness(String address, int port) {
    String host = address.indexOf(':') >= 0 && !address.startsWith("[") ? "[" + address + "]" : address;
    return URI.create("http://" + host + ":" + port + "/health/ready");
  }

  private static String required(Settings s, String key, String fromCode, String expected) {
    String value = fromCode != null ? fromCode : s.text(key);
    if (value == null) {
      throw new ConfigurationException("Missing " + key + " (or " + Settings.environmentName(key)
          + ", or the ServiceRegistration.Builder method): expected " + expected);
    }
    return value; // as given, so that a message quotes it; trimmed where it is used
  }

  private static URI endpoint(String url, String where) {
    String expected = "etcd://host:port or consul://host:port";
    try {
      URI u = new URI(url.trim());
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("etcd") || scheme.equals("consul")) || u.getHost() == null || u.getPort() < 1
          || u.getPort() > 65535 || (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/"))
          // Nothing the registration would silently drop: no user, query or fragment.
          || u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null) {
        throw invalid(URL, url, where, expected);
      }
      return new URI(scheme, null, u.getHost(), u.getPort(), null, null, null);
    } catch (URISyntaxException e) {
      throw invalid(URL, url, where, expected);
    }
  }

  private static int parsePort(String text) {
    int p = Integer.parseInt(text.trim());
    if (p < 1 || p > 65535) {
      throw new IllegalArgumentException("port");
    }
    return p;
  }

  private static boolean containsSlashOrSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '/' || Character.isWhitespace(c)) {
        return true;
      }
    }
    return false;
  }

  private static String localAddress() {
    try {
      return InetAddress.getLocalHost().getHostAddress();
    } catch (Exception e) {
      return "127.0.0.1";
    }
  }

  private static String hostName() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (Exception e) {
        host = "localhost";
      }
    }
    StringBuilder clean = new StringBuilder();
    for (char c : host.trim().toLowerCase(Locale.ROOT).toCharArray()) {
      clean.append(Character.isLetterOrDigit(c) || c == '-' || c == '.' ? c : '-');
    }
    return clean.toString();
  }

  /** etcd's MaxLeaseTTL. */
  private static final Duration MAX_TTL = Duration.ofSeconds(9_000_000_000L);
  /** The longest Go duration, in whole hours (Consul parses its durations as Go's). */
  private static final Duration MAX_CONSUL_DURATION = Duration.ofHours(2_562_047);
  /** The longest request timeout used: an int of milliseconds, about 24 days. */
  private static final Duration LONGEST_REQUEST = Duration.ofMillis(Integer.MAX_VALUE);

  private static ConfigurationException invalid(String key, String value, String where, String expected) {
    return new ConfigurationException("Invalid value '" + value + "' for " + key + " (" + where + "): expected " + expected);
  }
}
