package dev.ordo.runtime;

import dev.ordo.runtime.engine.ComponentGraph;
import dev.ordo.runtime.engine.ControllerLookup;
import dev.ordo.runtime.engine.Engine;
import dev.ordo.runtime.engine.RecoveryClock;
import dev.ordo.runtime.engine.ReportFile;
import dev.ordo.runtime.engine.RetrySettings;
import dev.ordo.runtime.engine.RuntimeSettings;
import dev.ordo.runtime.events.EventOptions;
import dev.ordo.runtime.events.EventPublisher;
import dev.ordo.runtime.health.HealthMonitor;
import dev.ordo.runtime.health.HealthOptions;
import dev.ordo.runtime.internal.RuntimeAccess;
import dev.ordo.runtime.internal.Settings;
import dev.ordo.runtime.resources.ManagedResource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * An application: a set of components that Ordo starts in dependency order, as parallel as the
 * graph allows, and stops in reverse order within one budget.
 *
 * <pre>{@code
 * Ordo app = Ordo.builder()
 *     .component(pool).component(store).component(index).component(checkout)
 *     .shutdownTimeout(Duration.ofSeconds(25))
 *     .shutdownOnSignal(true)
 *     .build();
 * app.start();            // returns when RUNNING; throws StartupFailedException on a critical failure
 * app.awaitShutdown();    // SIGTERM, SIGINT or app.stop() -> graceful shutdown, then returns
 * }</pre>
 *
 * <p>or, in a {@code main} method, {@code System.exit(app.run())}: {@link #run()} starts, handles
 * SIGTERM and SIGINT, waits for the shutdown and returns its exit status.
 *
 * <p>Several instances of one class are told apart by a key
 * ({@link Builder#component(String, Object)}); an application the annotation processor assembled
 * at compile time ({@code @OrdoApplication}) is built through {@link Builder#assemble}.
 *
 * <h2>States</h2>
 * See {@link ApplicationState}: {@code NEW -> STARTING -> RUNNING -> STOPPING -> STOPPED}, or
 * {@code STARTING -> STOPPING -> FAILED} when a critical component cannot start (everything that
 * started is rolled back, in reverse order). {@link #state()} needs no lock. Listeners see every
 * transition of the application and of each component, outside the runtime's locks.
 *
 * <h2>Degradation</h2>
 * An optional component that throws or passes its timeout is {@link ComponentState#FAILED}; the
 * components that hard-depend on it are {@link ComponentState#SKIPPED}, transitively; everything
 * else starts, and the application is RUNNING but {@linkplain #isDegraded() degraded}.
 *
 * <h2>Self-healing</h2>
 * An optional component with a {@link RetryPolicy} ({@code @OnStartup(retry = @Retry(...))},
 * {@link Builder#retry(String, RetryPolicy)} or {@code ordo.retry.<component>}) is started again
 * while the application runs, with exponential backoff, until it recovers; then the components
 * skipped for it start, in dependency order. A {@code @HealthCheck(restart = true)} that turns DOWN
 * restarts its component with the same backoff. Listeners hear
 * {@link LifecycleListener#componentRecovered}; {@link ComponentStatus#retry()} says where each
 * component stands. Retries stop when the shutdown begins.
 *
 * <h2>Threads</h2>
 * Hooks run on the application's own worker threads, never on the caller's: one when work is
 * ready, more as hooks compute (up to the cores) or block (up to {@code ordo.startup.threads}),
 * so the wall time approaches the graph's critical path. The thread in {@link #start()} or
 * {@link #stop()} waits and enforces the hooks' timeouts meanwhile. Listeners run on threads of
 * their own, one serial queue each, outside every lock. {@link #stop()} is idempotent and safe
 * from any thread, including during startup and from hooks and listeners; when it returns, no
 * thread of the application is left.
 *
 * <h2>Configuration</h2>
 * Every setting has a builder method, a system property and an environment variable; code beats
 * the system property, which beats the environment, which beats the default:
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>builder</th><th>property / variable</th><th>default</th></tr>
 *   <tr><td>{@link Builder#startupTimeout}</td><td>{@code ordo.startup.timeout} / {@code ORDO_STARTUP_TIMEOUT}</td><td>60s</td></tr>
 *   <tr><td>{@link Builder#startupThreads}</td><td>{@code ordo.startup.threads} / {@code ORDO_STARTUP_THREADS}</td><td>64</td></tr>
 *   <tr><td>{@link Builder#shutdownTimeout}</td><td>{@code ordo.shutdown.timeout} / {@code ORDO_SHUTDOWN_TIMEOUT}</td><td>30s</td></tr>
 *   <tr><td>{@link Builder#componentShutdownTimeout}</td><td>{@code ordo.shutdown.component-timeout} / {@code ORDO_SHUTDOWN_COMPONENT_TIMEOUT}</td><td>10s</td></tr>
 *   <tr><td>{@link Builder#shutdownDelay}</td><td>{@code ordo.shutdown.delay} / {@code ORDO_SHUTDOWN_DELAY}</td><td>0 (none)</td></tr>
 *   <tr><td>{@link Builder#drainTimeout}</td><td>{@code ordo.shutdown.drain-timeout} / {@code ORDO_SHUTDOWN_DRAIN_TIMEOUT}</td><td>10s</td></tr>
 *   <tr><td>{@link Builder#shutdownOnSignal}</td><td>{@code ordo.shutdown.on-signal} / {@code ORDO_SHUTDOWN_ON_SIGNAL}</td><td>false ({@link #run()}: true unless set to false)</td></tr>
 *   <tr><td>{@link Builder#health}</td><td>{@code ordo.health.*} / {@code ORDO_HEALTH_*}: see {@link HealthOptions}</td><td>checks every 10s; no HTTP probes</td></tr>
 *   <tr><td>{@link Builder#reportFile}</td><td>{@code ordo.report.file} / {@code ORDO_REPORT_FILE}</td><td>none: the timeline is not written</td></tr>
 *   <tr><td>{@link Builder#reportFormat}</td><td>{@code ordo.report.format} / {@code ORDO_REPORT_FORMAT}</td><td>{@code html} (or {@code json})</td></tr>
 *   <tr><td>{@link Builder#events}</td><td>{@code ordo.events.*} / {@code ORDO_EVENTS_*}: see {@link EventOptions}</td><td>no sink: no events delivered</td></tr>
 * </table>
 *
 * @since 0.1
 */
public final class Ordo implements AutoCloseable {
  static {
    RuntimeAccess.setObserverRegistrar((app, observer) -> app.engine.addObserver(observer));
  }

  private static final System.Logger LOG = System.getLogger("dev.ordo.runtime.Ordo");

  private final Engine engine;
  private final RequestTracker requestTracker;
  private final HealthMonitor health;
  private final EventPublisher events;
  private final Map<String, List<ManagedResource<?>>> resources;

  private Ordo(Engine engine, RequestTracker requestTracker, HealthMonitor health, EventPublisher events,
      Map<String, List<ManagedResource<?>>> resources) {
    this.engine = engine;
    this.requestTracker = requestTracker;
    this.health = health;
    this.events = events;
    this.resources = resources;
  }

  /**
   * The managed resources of the components ({@code final} fields of type {@link ManagedResource}),
   * by component name, in startup order; components without any are left out.
   *
   * @since 0.1
   */
  public Map<String, List<ManagedResource<?>>> resources() {
    return resources;
  }

  /**
   * What this run did so far, hook by hook: when each component's start and stop were ready, began
   * and ended and how, the measured critical paths, and how long each component waited on its
   * dependencies against how long it ran. An immutable snapshot; call again for a later one.
   * Empty before {@link #start()}. The same data is written to {@code ordo.report.file}
   * ({@link Builder#reportFile}) after startup and after shutdown.
   *
   * @since 0.1
   */
  public Timeline timeline() {
    return engine.timeline();
  }

  /** Starts building an application. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts every component, in dependency order, and returns when the application is RUNNING
   * (possibly {@linkplain #isDegraded() degraded}). Hooks run on the application's own threads,
   * never on the calling thread; listeners hear of the startup on theirs, possibly after this
   * returns.
   *
   * @throws StartupFailedException if a critical component failed or was skipped, a shutdown was
   *     requested while starting, or the calling thread was interrupted; everything that had
   *     started has been stopped again ({@link StartupFailedException#rollbackReport()})
   * @throws IllegalStateException if the application was already started
   */
  public void start() {
    engine.start();
  }

  /**
   * Shuts the application down (reason {@link ShutdownReason#MANUAL}) on the calling thread and
   * returns the report: components stop in reverse dependency order within the shutdown budget,
   * listeners are waited for until the budget's end, and no thread of the application is left
   * running except one still inside user code that overran the budget (a hook, a listener, a
   * health check or an event sink that ignores its interrupt; it ends when that call returns). Idempotent: a second call (from any
   * thread) waits for the first shutdown and returns its report. During startup, pending
   * components are not started, starting ones finish or are abandoned, and everything started is
   * stopped; {@link #start()} then throws. An interrupt does not cut the shutdown short: it is
   * restored when the call returns. Called from one of this application's own hooks or
   * listeners, it only requests the shutdown and returns {@code null}, since waiting there would
   * wait for itself; called from another application's, it waits as anywhere else.
   */
  public ShutdownReport stop() {
    return engine.stop();
  }

  /**
   * Requests a shutdown (reason {@link ShutdownReason#MANUAL}) and returns at once; the future
   * completes with the report. From the moment this returns, a start in progress starts no further
   * component. Idempotent like {@link #stop()}.
   */
  public CompletableFuture<ShutdownReport> stopAsync() {
    return engine.stopAsync();
  }

  /** {@link #stop()}, for try-with-resources. */
  @Override
  public void close() {
    stop();
  }

  /**
   * Waits until the application has shut down (by signal, {@link #stop()} or a failed start) and
   * returns the report.
   *
   * @throws IllegalStateException on a thread that runs this application's hooks or listeners
   */
  public ShutdownReport awaitShutdown() throws InterruptedException {
    return engine.awaitShutdown();
  }

  /**
   * Runs the application for a {@code main} method: starts it, waits until it has shut down, and
   * returns the process exit status the shutdown calls for ({@link ShutdownReport#exitCode()}:
   * {@value ShutdownReport#EXIT_OK} clean, {@value ShutdownReport#EXIT_STARTUP_FAILED} the start
   * failed, {@value ShutdownReport#EXIT_BUDGET_EXCEEDED} something was abandoned,
   * {@value ShutdownReport#EXIT_CRITICAL_STOP_FAILED} a critical stop hook threw,
   * {@value ShutdownReport#EXIT_ERROR} the runtime failed).
   *
   * <pre>{@code
   * public static void main(String[] args) {
   *   Ordo app = Ordo.builder().components(pool, store, api).build();
   *   System.exit(app.run());
   * }
   * }</pre>
   *
   * <ul>
   *   <li><b>Signals.</b> For the time of {@code run()}, the application owns the process's
   *       shutdown as with {@link Builder#shutdownOnSignal shutdownOnSignal(true)}, unless
   *       {@code ordo.shutdown.on-signal} was set to false (in code, a system property or the
   *       environment): SIGTERM and SIGINT start a graceful shutdown (reason
   *       {@link ShutdownReason#SIGNAL}), after which the thread that handled the signal calls
   *       {@code System.exit} with the report's exit status; {@code run()} may return the same
   *       status just before, but the JVM exits with it whatever the caller does next. Any other
   *       exit of the JVM ({@code System.exit} elsewhere) shuts the application down gracefully
   *       first, through a JVM shutdown hook. When the application stops by other means, the
   *       signal handlers and the hook are removed. With {@code ordo.shutdown.on-signal=false},
   *       a signal ends the JVM as it would without Ordo, and only {@link #stop()} ends
   *       {@code run()}.
   *   <li><b>Another thread's {@link #stop()}</b> (or {@link #stopAsync()}, {@link #close()}, or a
   *       hook's or listener's {@code stop()}): {@code run()} returns the report's exit status;
   *       the JVM is not exited.
   *   <li><b>A failed start</b> (a critical component failed): {@code run()} does not throw; it
   *       logs the {@link StartupFailedException}'s message (logger {@code dev.ordo.runtime.Ordo},
   *       level ERROR; each failure's stack trace was already logged when the component failed)
   *       and returns the exit status of the rollback, {@value ShutdownReport#EXIT_STARTUP_FAILED}.
   *       A start ended by a shutdown requested meanwhile returns that shutdown's status.
   *   <li><b>An interrupt</b> of the thread in {@code run()}: while starting, as in
   *       {@link #start()} (nothing more starts, what started is stopped; status
   *       {@value ShutdownReport#EXIT_STARTUP_FAILED}); while waiting, the application is stopped
   *       gracefully as by {@link #stop()}. Either way {@code run()} returns the status with the
   *       thread's interrupt status set again.
   * </ul>
   *
   * @return the exit status of the shutdown, for {@code System.exit}
   * @throws IllegalStateException if the application was already started, or a shutdown was
   *     requested before
   * @since 0.1
   */
  public int run() {
    try {
      engine.start(true);
    } catch (StartupFailedException e) {
      ShutdownReport rollback = e.rollbackReport();
      int status = rollback != null ? rollback.exitCode() : ShutdownReport.EXIT_STARTUP_FAILED;
      LOG.log(e.interruptedByShutdown() ? System.Logger.Level.INFO : System.Logger.Level.ERROR,
          () -> e.getMessage() + " (exit status " + status + ")");
      return status;
    }
    try {
      return engine.awaitShutdown().exitCode();
    } catch (InterruptedException e) {
      ShutdownReport report = engine.stop(); // runs, or waits for, the shutdown without obeying interrupts
      Thread.currentThread().interrupt();
      return report != null ? report.exitCode() : ShutdownReport.EXIT_OK;
    }
  }

  /**
   * The tracker of work in flight: wrap each request (message, job) in a ticket, so that a
   * shutdown refuses new work and waits for what is in flight. See {@link RequestTracker}.
   */
  public RequestTracker requestTracker() {
    return requestTracker;
  }

  /**
   * The application's health: cached results of the {@code @HealthCheck} methods, the aggregate
   * by criticality, and the liveness, readiness and startup views the HTTP probes serve. See
   * {@link HealthMonitor}.
   */
  public HealthMonitor health() {
    return health;
  }

  /**
   * The port the HTTP health probes listen on once {@link #start()} was called, when
   * {@code ordo.health.port} (or {@link Builder#health}) enables them; empty otherwise, and
   * after the shutdown.
   */
  public OptionalInt healthPort() {
    return health.port();
  }

  /**
   * The application's events: its operations, its catalog of event types, delivery statistics.
   * See {@link EventPublisher}; generated {@code Foo_Events.of(app)} classes publish through it.
   */
  public EventPublisher events() {
    return events;
  }

  /** The application's state; needs no lock. */
  public ApplicationState state() {
    return engine.state();
  }

  /** Every component's status, in startup order. */
  public List<ComponentStatus> components() {
    return engine.components();
  }

  /**
   * The status of the component of class {@code type}: the one instance of that class, keyed or
   * not.
   *
   * @throws IllegalArgumentException if the application has no such component, or several
   *     instances of the class (then {@link #component(Class, String)} tells them apart)
   */
  public ComponentStatus component(Class<?> type) {
    List<ComponentStatus> all = engine.components(Objects.requireNonNull(type, "type"));
    if (all.size() == 1) {
      return all.get(0);
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException("No component " + type.getName() + " in this application");
    }
    List<String> keys = new ArrayList<>(all.size());
    for (ComponentStatus s : all) {
      String key = s.component().instanceKey();
      keys.add(key == null ? "(no key)" : key);
    }
    throw new IllegalArgumentException("This application runs " + all.size() + " instances of " + type.getName()
        + ", with the keys " + String.join(", ", keys) + ": name one with component(" + type.getSimpleName()
        + ".class, key)");
  }

  /**
   * The status of the instance of class {@code type} given with the key {@code key}
   * ({@link Builder#component(String, Object)}): one of several instances of one class.
   *
   * @throws IllegalArgumentException if the application has no instance of that class with that
   *     key
   * @since 0.1
   */
  public ComponentStatus component(Class<?> type, String key) {
    ComponentStatus s = engine.component(Objects.requireNonNull(type, "type"), Objects.requireNonNull(key, "key"));
    if (s == null) {
      List<String> keys = new ArrayList<>();
      for (ComponentStatus c : engine.components(type)) {
        keys.add(c.component().instanceKey() == null ? "(no key)" : c.component().instanceKey());
      }
      throw new IllegalArgumentException("No component " + type.getName() + "[" + key + "] in this application"
          + (keys.isEmpty() ? "" : "; the instances of " + type.getName() + " have the keys " + String.join(", ", keys)));
    }
    return s;
  }

  /** The components in the order they are started: each after all its dependencies. */
  public List<ComponentDescriptor> startupOrder() {
    return engine.startupOrder();
  }

  /**
   * How many hooks may run at once: {@code ordo.startup.threads}, but no more than there are
   * components. Threads are added only as hooks need them: a graph of quick hooks uses no more
   * threads than cores, and a hook that blocks never holds back a ready one while this allows
   * another thread.
   */
  public int parallelism() {
    return engine.parallelism();
  }

  /**
   * Whether some optional component is not running as it should: it failed or was skipped (and
   * has not recovered), or it is being retried or restarted.
   */
  public boolean isDegraded() {
    return engine.isDegraded();
  }

  /** When {@link #start()} was called, or {@code null} before. */
  public Instant startTime() {
    return engine.startTime();
  }

  /** Time since {@link #start()} was called ({@link Duration#ZERO} before). */
  public Duration uptime() {
    return engine.uptime();
  }

  /**
   * Adds a listener for transitions from now on. It hears them on its own serial queue, in order,
   * on a thread of the application's (never one that runs hooks), outside every lock.
   */
  public void addListener(LifecycleListener listener) {
    engine.addListener(Objects.requireNonNull(listener, "listener"));
  }

  /** The configured shutdown budget. */
  public Duration shutdownTimeout() {
    return engine.settings().shutdownTimeout();
  }

  @Override
  public String toString() {
    return engine.toString();
  }

  /** The tracker's engine-side operations, which are not API. */
  private static final class TrackerDrain implements Engine.Drain {
    private final RequestTracker tracker;

    TrackerDrain(RequestTracker tracker) {
      this.tracker = tracker;
    }

    @Override
    public void startDraining() {
      tracker.startDraining();
    }

    @Override
    public long awaitDrained(long deadline) {
      return tracker.awaitDrained(deadline);
    }

    @Override
    public long inFlight() {
      return tracker.inFlight();
    }
  }

  /**
   * Builds an {@link Ordo} application.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final List<Object> components = new ArrayList<>();
    /** The key of each of {@link #components}, {@code null} for an unkeyed one. */
    private final List<String> componentKeys = new ArrayList<>();
    private final List<LifecycleController<?>> controllers = new ArrayList<>();
    /** The key of each of {@link #controllers}, {@code null} for an unkeyed one. */
    private final List<String> controllerKeys = new ArrayList<>();
    private final List<LifecycleListener> listeners = new ArrayList<>();
    private Duration startupTimeout;
    private Integer startupThreads;
    private Duration shutdownTimeout;
    private Duration componentShutdownTimeout;
    private Boolean shutdownOnSignal;
    private Duration shutdownDelay;
    private Duration drainTimeout;
    private Duration gracePeriod;
    private HealthOptions health = HealthOptions.defaults();
    private EventOptions events = EventOptions.defaults();
    private RequestTracker requestTracker;
    private final Map<String, RetryPolicy> retryByName = new LinkedHashMap<>();
    private final Map<Class<?>, RetryPolicy> retryByType = new LinkedHashMap<>();
    private RecoveryClock recoveryClock;
    private java.nio.file.Path reportFile;
    private Timeline.Format reportFormat;

    private Builder() {}

    /**
     * The tracker of work in flight that the shutdown drains; by default the application makes
     * its own ({@link Ordo#requestTracker()}). Give one when components that handle work are
     * created before the application.
     */
    public Builder requestTracker(RequestTracker tracker) {
      this.requestTracker = Objects.requireNonNull(tracker, "tracker");
      return this;
    }

    /**
     * Adds a component instance. Its controller is the one the processor generated for its
     * class (found through the generated registries on the class path).
     */
    public Builder component(Object component) {
      components.add(Objects.requireNonNull(component, "component"));
      componentKeys.add(null);
      return this;
    }

    /**
     * Adds one of several instances of one component class, told apart by {@code key}: two
     * {@code ConnectionPool}s, {@code component("orders-db", ordersPool)} and
     * {@code component("users-db", usersPool)}. Its name in states, health, metrics, events and
     * reports is the class's followed by the key, {@code com.acme.ConnectionPool[orders-db]}, and
     * {@link Ordo#component(Class, String)} finds it. A component that depends on the class
     * ({@code @DependsOn(ConnectionPool.class)}) depends on every instance of it: it starts after
     * all of them. Each instance of a class needs a key of its own, and at most one may have none.
     *
     * @param key not empty, without whitespace, {@code [} or {@code ]}
     * @throws IllegalArgumentException if the key is not valid
     * @since 0.1
     */
    public Builder component(String key, Object component) {
      ComponentDescriptor.checkInstanceKey(key);
      components.add(Objects.requireNonNull(component, "component"));
      componentKeys.add(key);
      return this;
    }

    /** Adds several component instances. */
    public Builder components(Object... components) {
      for (Object c : components) {
        component(c);
      }
      return this;
    }

    /** Adds a component through its controller, generated ({@code Foo_Lifecycle.of(foo)}) or hand-written. */
    public Builder controller(LifecycleController<?> controller) {
      controllers.add(Objects.requireNonNull(controller, "controller"));
      controllerKeys.add(null);
      return this;
    }

    /**
     * Adds one of several instances of one component class through its controller, told apart by
     * {@code key}: see {@link #component(String, Object)}. The controller's descriptor is given
     * the key ({@link ComponentDescriptor#withKey}); its hooks and checks are unchanged.
     *
     * @param key not empty, without whitespace, {@code [} or {@code ]}
     * @throws IllegalArgumentException if the key is not valid
     * @since 0.1
     */
    public Builder controller(String key, LifecycleController<?> controller) {
      ComponentDescriptor.checkInstanceKey(key);
      controllers.add(Objects.requireNonNull(controller, "controller"));
      controllerKeys.add(key);
      return this;
    }

    /** Adds a listener of every transition. */
    public Builder listener(LifecycleListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** The default timeout of a startup hook that declares none ({@code ordo.startup.timeout}). */
    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** The most hooks that may run at once ({@code ordo.startup.threads}). */
    public Builder startupThreads(int threads) {
      this.startupThreads = threads;
      return this;
    }

    /** The budget of a whole shutdown ({@code ordo.shutdown.timeout}). */
    public Builder shutdownTimeout(Duration timeout) {
      this.shutdownTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** The default timeout of a shutdown hook that declares none ({@code ordo.shutdown.component-timeout}). */
    public Builder componentShutdownTimeout(Duration timeout) {
      this.componentShutdownTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * The pre-stop delay ({@code ordo.shutdown.delay}, default none): at the start of a shutdown,
     * readiness answers DOWN while work is still accepted for this long, so that load balancers
     * stop routing here before anything is refused. Part of the shutdown budget.
     */
    public Builder shutdownDelay(Duration delay) {
      this.shutdownDelay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    /**
     * How long the drain may wait for work in flight ({@code ordo.shutdown.drain-timeout},
     * default 10s), never past the shutdown budget. The drain ends as soon as nothing is in flight.
     */
    public Builder drainTimeout(Duration timeout) {
      this.drainTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * The Kubernetes grace period of the pods that run this application
     * ({@code ordo.kubernetes.grace-period}, {@code terminationGracePeriodSeconds}; none by
     * default). With one, {@link Ordo#start()} checks that the worst-case shutdown under the
     * settings actually resolved (the pre-stop delay, then the drain and the longest chain of stop
     * timeouts, capped by the budget) fits in it with a margin of 2 s, and logs a warning naming
     * every value when it does not; see {@code docs/kubernetes.md}. The generated assembly of an
     * {@code @OrdoApplication(gracePeriod = ...)} sets it.
     */
    public Builder kubernetesGracePeriod(Duration gracePeriod) {
      this.gracePeriod = Objects.requireNonNull(gracePeriod, "gracePeriod");
      return this;
    }

    /**
     * The health settings given in code ({@code ordo.health.*}): the HTTP probes' port and
     * address, the checks' default interval and timeout, the flap-damping thresholds. What is not
     * set here comes from system properties, then environment variables, then the defaults; see
     * {@link HealthOptions}. For example {@code .health(HealthOptions.defaults().port(8081))}.
     */
    public Builder health(HealthOptions options) {
      this.health = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * The event settings given in code ({@code ordo.events.*}): sinks, the events file, the
     * source and type prefix of the CloudEvents, the queue size; see {@link EventOptions}. For
     * example {@code .events(EventOptions.defaults().file(Path.of("events.jsonl")))}.
     */
    public Builder events(EventOptions options) {
      this.events = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * How the component named {@code component} (as {@link Ordo#components()} shows it, such as
     * {@code com.acme.Cache} or {@code com.acme.ConnectionPool[orders-db]}) retries a failed start,
     * replacing what it declares ({@code @OnStartup(retry = @Retry(...))}); {@link RetryPolicy#none()}
     * turns its retries (and restarts) off. Beats the system property {@code ordo.retry.<component>},
     * which beats the environment variable {@code ORDO_RETRY_<COMPONENT>}, which beats the
     * declaration. Only for optional components: {@link #build()} refuses a policy for a critical
     * one, and a name that is no component of the application.
     *
     * @since 0.1
     */
    public Builder retry(String component, RetryPolicy policy) {
      retryByName.put(Objects.requireNonNull(component, "component"), Objects.requireNonNull(policy, "policy"));
      return this;
    }

    /**
     * Like {@link #retry(String, RetryPolicy)}, for every instance of the component class
     * {@code type} that has no {@code retry(name, ...)} of its own.
     *
     * @since 0.1
     */
    public Builder retry(Class<?> type, RetryPolicy policy) {
      retryByType.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(policy, "policy"));
      return this;
    }

    /** The clock retries and restarts are scheduled by: for tests, which advance it by hand. */
    Builder recoveryClock(RecoveryClock clock) {
      this.recoveryClock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Writes the run's {@link Timeline} to {@code file} after startup and again after shutdown
     * ({@code ordo.report.file} / {@code ORDO_REPORT_FILE}): a self-contained HTML page, or JSON
     * with {@link #reportFormat}. The file's directory must exist and be writable, or
     * {@link #build()} fails; the file is replaced whole each time (temporary file, then rename).
     *
     * @since 0.1
     */
    public Builder reportFile(java.nio.file.Path file) {
      this.reportFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * The form of the report file ({@code ordo.report.format} / {@code ORDO_REPORT_FORMAT}:
     * {@code html}, the default, or {@code json}).
     *
     * @since 0.1
     */
    public Builder reportFormat(Timeline.Format format) {
      this.reportFormat = Objects.requireNonNull(format, "format");
      return this;
    }

    /**
     * Whether Ordo owns the process's shutdown ({@code ordo.shutdown.on-signal}): SIGTERM and
     * SIGINT start a graceful shutdown (reason {@link ShutdownReason#SIGNAL}), after which the
     * JVM exits with {@link ShutdownReport#exitCode()}; a second signal does not start a second
     * shutdown; and a JVM shutdown hook shuts down gracefully on any other exit. Both are removed
     * when the application stops by other means. {@link Ordo#run()} does the same unless this is
     * set to false (here, or by the property or variable).
     */
    public Builder shutdownOnSignal(boolean enabled) {
      this.shutdownOnSignal = enabled;
      return this;
    }

    /**
     * Builds the application.
     *
     * <p>A dependency ({@code @DependsOn(X.class)}) is the component of class X given here, or,
     * when several instances of X were given with keys, every one of them. A hard dependency
     * that was not given is an error; an optional one ({@code optional = true}) that was not given
     * is left out: the dependent starts without it (logged at DEBUG).
     *
     * @throws ConfigurationException if a setting does not parse, a component has no generated
     *     controller, a hard dependency's instance was not given, a component was given twice (or
     *     two instances of one class with the same key, or both without a key), the components
     *     form a cycle, or a retry policy is given for a critical component or for none
     */
    public Ordo build() {
      RuntimeSettings settings = resolveSettings();
      ReportFile report = ReportFile.resolve(reportFile, reportFormat, Settings.fromProcess());
      List<LifecycleController<?>> all = givenHere();
      RequestTracker tracker = requestTracker != null ? requestTracker : new RequestTracker();
      ComponentGraph graph = ComponentGraph.of(all); // before the events: a file sink opens its file
      String name = Engine.nextName();
      EventPublisher events = new EventPublisher(name, this.events);
      return create(name, graph, settings, tracker, events, List.copyOf(listeners), health, retries(), report);
    }

    /**
     * Starts building the application of a compile-time {@link AssemblyPlan}; the generated
     * {@code Ordo<Name>} class calls it, then constructs the included components, gives each its
     * controller ({@link Assembly#add}) and calls {@link Assembly#build()}.
     *
     * <p>The settings, the listeners, the request tracker and the components given to this builder
     * by hand are taken as they are now, and resolved and checked exactly as by {@link #build()};
     * the request tracker ({@link #requestTracker(RequestTracker)}, else a new one) and the event
     * publisher are made here, so that the components' constructors can be given them.
     *
     * <p>{@code without} holds the classes left out ({@code OrdoShop.builder().without(SearchIndex.class)}):
     * every instance of each, and, transitively, every component that hard-depends on one of
     * them. A component that depends on one only softly ({@code optional = true}) is kept and
     * starts without it.
     *
     * @param without classes of the plan to leave out; may be empty
     * @throws ConfigurationException if a setting does not parse, a class of {@code without} is not
     *     a component of the plan, or a {@code @Critical} component would be left out (given in
     *     {@code without}, or hard-depending on one that is), or a component given by hand has no
     *     generated controller
     * @since 0.1
     */
    public Assembly assemble(AssemblyPlan plan, Collection<Class<?>> without) {
      Objects.requireNonNull(plan, "plan");
      Objects.requireNonNull(without, "without");
      RuntimeSettings settings = resolveSettings();
      ReportFile report = ReportFile.resolve(reportFile, reportFormat, Settings.fromProcess());
      Map<String, String> leftOut = new HashMap<>();
      boolean[] included = include(plan, without, leftOut);
      List<LifecycleController<?>> byHand = givenHere();
      RequestTracker tracker = requestTracker != null ? requestTracker : new RequestTracker();
      String name = Engine.nextName();
      EventPublisher events = new EventPublisher(name, this.events);
      return new Assembly(plan, included, leftOut, byHand, settings, name, tracker, events, List.copyOf(listeners),
          health, retries(), report);
    }

    private Retries retries() {
      return new Retries(Map.copyOf(retryByName), Map.copyOf(retryByType), recoveryClock);
    }

    private RuntimeSettings resolveSettings() {
      return RuntimeSettings.resolve(new RuntimeSettings.FromCode(startupTimeout, startupThreads, shutdownTimeout,
          componentShutdownTimeout, shutdownDelay, drainTimeout, shutdownOnSignal, gracePeriod), Settings.fromProcess());
    }

    /** The controllers of the components given to this builder, keyed where a key was given. */
    private List<LifecycleController<?>> givenHere() {
      List<LifecycleController<?>> all = new ArrayList<>(controllers.size() + components.size());
      for (int i = 0; i < controllers.size(); i++) {
        all.add(KeyedController.keyed(controllers.get(i), controllerKeys.get(i)));
      }
      if (!components.isEmpty()) {
        ControllerLookup lookup = ControllerLookup.forCurrentThread();
        for (int i = 0; i < components.size(); i++) {
          all.add(KeyedController.keyed(lookup.controllerFor(components.get(i)), componentKeys.get(i)));
        }
      }
      return all;
    }

    /**
     * Which components of {@code plan} are included once {@code without} is left out; fills
     * {@code leftOut} with the binary name of each class left out and the call that did it. One
     * pass in index order suffices: the plan is topological, so a component's dependencies are
     * decided before it.
     */
    private static boolean[] include(AssemblyPlan plan, Collection<Class<?>> without, Map<String, String> leftOut) {
      int n = plan.size();
      boolean[] included = new boolean[n];
      java.util.Arrays.fill(included, true);
      if (without.isEmpty()) {
        return included;
      }
      String[] because = new String[n];
      List<String> errors = new ArrayList<>();
      for (Class<?> type : without) {
        Objects.requireNonNull(type, "without");
        String call = "without(" + type.getSimpleName() + ".class)";
        boolean found = false;
        for (int i = 0; i < n; i++) {
          if (plan.type(i) == type) {
            found = true;
            if (plan.critical(i)) {
              errors.add(plan.name(i) + " is @Critical: the application cannot run without it, so it cannot be"
                  + " left out with " + call + ".");
            }
            included[i] = false;
            because[i] = call;
          }
        }
        if (!found) {
          throw new ConfigurationException(type.getName().replace('$', '.') + " is not a component of "
              + plan.application() + "; the components are " + listTypes(plan) + ".");
        }
      }
      for (int i = 0; i < n; i++) {
        if (!included[i]) {
          continue;
        }
        for (int d : plan.hard(i)) {
          if (!included[d]) {
            included[i] = false;
            because[i] = because[d];
            if (plan.critical(i)) {
              errors.add(plan.name(i) + " is @Critical and hard-depends on " + plan.name(d) + ", which was left"
                  + " out with " + because[d] + ". Keep " + plan.name(d) + ", or make the dependency optional.");
            }
            break;
          }
        }
      }
      if (!errors.isEmpty()) {
        throw new ConfigurationException(String.join("\n", errors));
      }
      for (int i = 0; i < n; i++) {
        if (!included[i]) {
          leftOut.putIfAbsent(plan.type(i).getName(), because[i]);
        }
      }
      return included;
    }

    /** The plan's classes, each once, at most ten. */
    private static String listTypes(AssemblyPlan plan) {
      java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
      for (int i = 0; i < plan.size(); i++) {
        String canonical = plan.type(i).getCanonicalName();
        names.add(canonical != null ? canonical : plan.type(i).getName());
      }
      int shown = Math.min(10, names.size());
      StringBuilder s = new StringBuilder();
      int k = 0;
      for (String name : names) {
        if (k == shown) {
          break;
        }
        s.append(k++ == 0 ? "" : ", ").append(name);
      }
      if (names.size() > shown) {
        s.append(" and ").append(names.size() - shown).append(" more");
      }
      return s.toString();
    }
  }

  /** The retry settings given to the builder, and a test's clock. */
  private record Retries(Map<String, RetryPolicy> byName, Map<Class<?>, RetryPolicy> byType, RecoveryClock clock) {}

  /**
   * Creates the application of {@code graph}: its engine, health monitor and facade. The one place
   * where both {@link Builder#build()} and {@link Assembly#build()} end.
   */
  private static Ordo create(String name, ComponentGraph graph, RuntimeSettings settings, RequestTracker tracker,
      EventPublisher events, List<LifecycleListener> listeners, HealthOptions healthOptions, Retries retries,
      ReportFile report) {
    RetryPolicy[] policies = RetrySettings.resolve(graph, retries.byName(), retries.byType(), Settings.fromProcess());
    Engine engine = new Engine(name, graph, settings, new TrackerDrain(tracker), events, listeners, policies,
        retries.clock());
    HealthMonitor health = new HealthMonitor(engine, graph.controllers(), healthOptions, engine::notifyListeners,
        engine.callbackOwner());
    if (health.observesEveryComponent()) {
      engine.addObserver(health.observer());
    } else {
      engine.addFailureObserver(health.observer());
    }
    engine.onStart(health::start);
    engine.reportTo(report);
    Map<String, List<ManagedResource<?>>> resources = resources(engine.startupOrder(), graph.controllers(), events);
    LifecycleListener metricEvents = events.metricEvents(() -> metricSnapshot(engine, health, events, resources));
    if (metricEvents != null) {
      engine.addObserver(metricEvents);
    }
    return new Ordo(engine, tracker, health, events, resources);
  }

  /**
   * The resources of each component, in startup order, each given the listener of its events.
   *
   * @throws IllegalArgumentException if a controller's {@link LifecycleController#resources()} do
   *     not match its descriptor's {@link ComponentDescriptor#resources()}
   */
  private static Map<String, List<ManagedResource<?>>> resources(List<ComponentDescriptor> order,
      List<LifecycleController<?>> controllers, EventPublisher events) {
    Map<String, List<ManagedResource<?>>> byName = new HashMap<>();
    for (LifecycleController<?> c : controllers) {
      List<ManagedResource<?>> list = c.resources();
      List<String> fields = c.descriptor().resources();
      if (list.size() != fields.size()) {
        throw new IllegalArgumentException(c + " gives " + list.size() + " managed resources, but its descriptor names "
            + fields.size() + " " + fields);
      }
      if (list.isEmpty()) {
        continue;
      }
      List<ManagedResource<?>> copy = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        ManagedResource<?> r = list.get(i);
        if (r == null) {
          throw new IllegalArgumentException(c.descriptor().name() + "'s managed resource " + fields.get(i) + " is null");
        }
        r.addListener(events.resourceListener(c.descriptor().name()));
        copy.add(r);
      }
      byName.put(c.descriptor().name(), Collections.unmodifiableList(copy));
    }
    Map<String, List<ManagedResource<?>>> ordered = new LinkedHashMap<>();
    for (ComponentDescriptor d : order) {
      List<ManagedResource<?>> list = byName.get(d.name());
      if (list != null) {
        ordered.put(d.name(), list);
      }
    }
    return Collections.unmodifiableMap(ordered);
  }

  /**
   * The data of a {@code metric.recorded} event: the application's own figures now. Runs on the
   * metric events' thread; reads statuses and counters only (no user code).
   */
  private static Map<String, Object> metricSnapshot(Engine engine, HealthMonitor health, EventPublisher events,
      Map<String, List<ManagedResource<?>>> resources) {
    Map<String, String> componentHealth = new HashMap<>();
    for (dev.ordo.runtime.health.CheckResult r : health.checks()) {
      // DOWN when one of its checks is, else UNKNOWN while one has not answered yet, else UP.
      String status = r.pending() ? "UNKNOWN" : r.isUp() ? "UP" : "DOWN";
      componentHealth.merge(r.component(), status, (x, y) -> x.equals("DOWN") || y.equals("DOWN") ? "DOWN"
          : x.equals("UNKNOWN") || y.equals("UNKNOWN") ? "UNKNOWN" : "UP");
    }
    List<Map<String, Object>> components = new ArrayList<>();
    for (ComponentStatus s : engine.components()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("component", s.name());
      c.put("critical", s.component().critical());
      c.put("state", s.state().name());
      c.put("startupMs", millis(s.startupDuration()));
      c.put("shutdownMs", millis(s.shutdownDuration()));
      c.put("health", componentHealth.get(s.name()));
      components.add(c);
    }
    dev.ordo.runtime.events.EventStats stats = events.stats();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("application", engine.name());
    data.put("state", engine.state().name());
    data.put("uptimeMs", millis(engine.uptime()));
    data.put("health", health.status().name());
    data.put("inFlight", engine.inFlight());
    data.put("eventsPublished", stats.published());
    data.put("eventsDropped", stats.dropped());
    data.put("components", components);
    data.put("resources", resourceUsage(resources));
    return data;
  }

  /**
   * The managed resources' usage for a metric event: per resource, its state, current version,
   * leases in use, loads, swaps and failures, and per loaded version its uses. Read without
   * blocking a lease or a swap (the resources' own statistics).
   */
  private static List<Map<String, Object>> resourceUsage(Map<String, List<ManagedResource<?>>> resources) {
    List<Map<String, Object>> list = new ArrayList<>();
    resources.forEach((component, rs) -> {
      for (ManagedResource<?> r : rs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("component", component);
        m.put("resource", r.name());
        m.put("state", r.state().name());
        m.put("currentVersion", r.currentVersion().orElse(null));
        m.put("leasesInUse", r.leasesInUse());
        m.put("loads", r.loads());
        m.put("swaps", r.swaps());
        m.put("failures", r.failures());
        List<Map<String, Object>> versions = new ArrayList<>();
        for (dev.ordo.runtime.resources.VersionStats v : r.versions()) {
          Map<String, Object> vm = new LinkedHashMap<>();
          vm.put("version", v.version());
          vm.put("role", v.role().name());
          vm.put("uses", v.totalUses());
          vm.put("inUse", v.inUse());
          versions.add(vm);
        }
        m.put("versions", versions);
        list.add(m);
      }
    });
    return list;
  }

  private static Double millis(Duration d) {
    return d == null ? null : Math.round(d.toNanos() / 1_000.0) / 1_000.0;
  }

  /**
   * An application being assembled from a compile-time {@link AssemblyPlan}
   * ({@link Builder#assemble}): generated code constructs the included components, adds each one's
   * controller, and builds. For generated code.
   *
   * <pre>{@code
   * Ordo.Assembly a = builder.assemble(PLAN, without);
   * ConnectionPool pool = null;
   * if (a.includes(0)) {
   *   pool = new ConnectionPool(config);
   *   a.add(0, ConnectionPool_Lifecycle.of(pool));
   * }
   * ...
   * Ordo app = a.build();
   * }</pre>
   *
   * <p>With no component given to the builder by hand, {@link #build()} takes the order and the
   * edges from the plan as they are: no dependency is resolved, no order computed. Components also
   * given by hand ({@link Builder#component}, {@link Builder#controller}) come after the plan's;
   * then the graph is resolved as by {@link Builder#build()} for what the plan does not cover: the
   * plan's components keep the plan's edges, plus their {@code @DependsOn} on classes outside the
   * plan, and the hand-given ones depend by class or key on any component.
   *
   * <p>Not thread-safe: the one thread that builds the application (the caller of the generated
   * builder's {@code build()}) calls every method, as the generated code does.
   *
   * @since 0.1
   */
  public static final class Assembly {
    private final AssemblyPlan plan;
    private final boolean[] included;
    private final Map<String, String> leftOut;
    private final List<LifecycleController<?>> byHand;
    private final RuntimeSettings settings;
    private final String name;
    private final RequestTracker tracker;
    private final EventPublisher events;
    private final List<LifecycleListener> listeners;
    private final HealthOptions health;
    private final Retries retries;
    private final ReportFile report;
    private final LifecycleController<?>[] added;
    private boolean built;

    private Assembly(AssemblyPlan plan, boolean[] included, Map<String, String> leftOut,
        List<LifecycleController<?>> byHand, RuntimeSettings settings, String name, RequestTracker tracker,
        EventPublisher events, List<LifecycleListener> listeners, HealthOptions health, Retries retries,
        ReportFile report) {
      this.plan = plan;
      this.included = included;
      this.leftOut = leftOut;
      this.byHand = byHand;
      this.settings = settings;
      this.name = name;
      this.tracker = tracker;
      this.events = events;
      this.listeners = listeners;
      this.health = health;
      this.retries = retries;
      this.report = report;
      this.added = new LifecycleController<?>[plan.size()];
    }

    /** Whether component {@code index} of the plan is part of the application (not left out). */
    public boolean includes(int index) {
      return included[index];
    }

    /** The application's request tracker, for the components' constructors. */
    public RequestTracker requestTracker() {
      return tracker;
    }

    /** The application's event publisher, for the components' constructors ({@code Foo_Events.of(publisher)}). */
    public EventPublisher events() {
      return events;
    }

    /**
     * Gives component {@code index} its controller; once for every included index, in any order
     * (generated code adds them in increasing order).
     *
     * @throws IllegalArgumentException if the component is not in the plan or was left out, was
     *     added before, or the controller is not one of its class
     * @throws IllegalStateException after {@link #build()}
     */
    public Assembly add(int index, LifecycleController<?> controller) {
      Objects.requireNonNull(controller, "controller");
      if (built) {
        throw new IllegalStateException("The application of " + plan.application() + " was built already");
      }
      if (index < 0 || index >= plan.size()) {
        throw new IllegalArgumentException("The plan of " + plan.application() + " has no component #" + index
            + " (it has " + plan.size() + ")");
      }
      if (!included[index]) {
        throw new IllegalArgumentException("Component #" + index + " (" + plan.name(index) + ") was left out");
      }
      if (added[index] != null) {
        throw new IllegalArgumentException("Component #" + index + " (" + plan.name(index) + ") was added twice");
      }
      if (controller.descriptor().type() != plan.type(index)) {
        throw new IllegalArgumentException("Component #" + index + " is a " + plan.name(index)
            + ", but the controller given is one of " + controller.descriptor().type().getName());
      }
      added[index] = controller;
      return this;
    }

    /**
     * Builds the application, not started: the plan's included components, in plan order, then
     * those given to the builder by hand. Once only.
     *
     * @throws IllegalStateException if an included component's controller was not added, or the
     *     application was built already
     * @throws ConfigurationException when components were also given by hand: as by
     *     {@link Builder#build()} (a hard dependency not given, a component given twice, a cycle)
     */
    public Ordo build() {
      if (built) {
        throw new IllegalStateException("The application of " + plan.application() + " was built already");
      }
      int n = plan.size();
      int count = 0;
      List<String> missing = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (included[i]) {
          count++;
          if (added[i] == null) {
            missing.add("#" + i + " " + plan.name(i));
          }
        }
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("No controller was added for " + missing.size() + " component"
            + (missing.size() == 1 ? "" : "s") + " of " + plan.application() + ": "
            + String.join(", ", missing.size() > 10 ? missing.subList(0, 10) : missing)
            + (missing.size() > 10 ? " and " + (missing.size() - 10) + " more" : ""));
      }
      built = true;
      // Indices in the application: the included components keep their order.
      int[] position = new int[n];
      LifecycleController<?>[] planned = new LifecycleController<?>[count];
      int[][] hard = new int[count][];
      int[][] soft = new int[count][];
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (!included[i]) {
          position[i] = -1;
          continue;
        }
        position[i] = k;
        planned[k] = KeyedController.keyed(added[i], plan.key(i));
        hard[k] = remap(plan.hard(i), position); // every hard dependency is included
        soft[k] = remap(plan.soft(i), position); // a left-out one is dropped
        k++;
      }
      ComponentGraph graph;
      if (byHand.isEmpty()) {
        graph = ComponentGraph.ofPlan(planned, hard, soft);
      } else {
        Set<String> inPlan = new HashSet<>(n * 2);
        for (int i = 0; i < n; i++) {
          inPlan.add(plan.type(i).getName());
        }
        for (LifecycleController<?> c : planned) {
          inPlan.add(c.descriptor().key());
        }
        graph = ComponentGraph.ofPlanAndOthers(planned, hard, soft, inPlan, byHand, leftOut);
      }
      return create(name, graph, settings, tracker, events, listeners, health, retries, report);
    }

    private static int[] remap(int[] dependencies, int[] position) {
      int kept = 0;
      for (int d : dependencies) {
        if (position[d] >= 0) {
          kept++;
        }
      }
      int[] mapped = new int[kept];
      int j = 0;
      for (int d : dependencies) {
        if (position[d] >= 0) {
          mapped[j++] = position[d];
        }
      }
      return mapped;
    }

    @Override
    public String toString() {
      return "Assembly[" + plan.application() + ", " + plan.size() + " components]";
    }
  }
}

