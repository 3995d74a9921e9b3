package dev.ordo.runtime;

import dev.ordo.runtime.internal.HookContext;
import dev.ordo.runtime.health.HealthMonitor;
import dev.ordo.runtime.health.HealthOptions;
import dev.ordo.runtime.events.EventOptions;
import dev.ordo.runtime.events.EventPublisher;
import dev.ordo.runtime.internal.LifecycleRegistry;
import dev.ordo.runtime.internal.LifecycleThreads;
import dev.ordo.runtime.internal.Settings;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
 * <h2>Threads</h2>
 * Hooks run on a pool sized to the graph's parallelism (the widest level of the dependency
 * graph), capped by {@code ordo.startup.threads}: hooks block, so the pool is not sized to the
 * cores. {@link #stop()} is idempotent and safe from any thread, including during startup.
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
 *   <tr><td>{@link Builder#shutdownOnSignal}</td><td>{@code ordo.shutdown.on-signal} / {@code ORDO_SHUTDOWN_ON_SIGNAL}</td><td>false</td></tr>
 *   <tr><td>{@link Builder#health}</td><td>{@code ordo.health.*} / {@code ORDO_HEALTH_*}: see {@link HealthOptions}</td><td>checks every 10s; no HTTP probes</td></tr>
 *   <tr><td>{@link Builder#events}</td><td>{@code ordo.events.*} / {@code ORDO_EVENTS_*}: see {@link EventOptions}</td><td>no sink: no events delivered</td></tr>
 * </table>
 *
 * @since 0.1
 */
public final class Ordo implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Ordo.class.getName());
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final ComponentGraph graph;
  private final ComponentNode[] nodes;
  private final List<LifecycleListener> listeners;
  private final Duration startupTimeout;
  private final int threads;
  private final Duration shutdownTimeout;
  private final Duration componentShutdownTimeout;
  private final boolean shutdownOnSignal;
  private final Duration shutdownDelay;
  private final Duration drainTimeout;
  private final RequestTracker requestTracker;
  private final String name;
  private final HealthMonitor health;
  private final EventPublisher events;

  private final Object lock = new Object();
  /** Orders listener notifications of application transitions; taken before {@link #lock}. */
  private final Object delivery = new Object();
  private volatile ApplicationState state = ApplicationState.NEW;
  private volatile Instant startTime;
  private volatile long startNanos;
  private StartupRun startup;
  private WorkerPool pool;
  private HookDeadlines deadlines;
  private CompletableFuture<ShutdownReport> shutdown;
  private SignalHandling signals;
  private volatile boolean exitAfterSignal;

  private Ordo(Builder b, ComponentGraph graph, Settings settings) {
    this.graph = graph;
    this.nodes = new ComponentNode[graph.size()];
    for (int i = 0; i < nodes.length; i++) {
      nodes[i] = new ComponentNode(i, graph.controllers[i]);
    }
    this.listeners = new CopyOnWriteArrayList<>(b.listeners);
    this.requestTracker = b.requestTracker != null ? b.requestTracker : new RequestTracker();
    this.startupTimeout = settings.duration("ordo.startup.timeout", b.startupTimeout, Duration.ofSeconds(60));
    this.threads = settings.positiveInt("ordo.startup.threads", b.startupThreads, 64);
    this.shutdownTimeout = settings.duration("ordo.shutdown.timeout", b.shutdownTimeout, Duration.ofSeconds(30));
    this.componentShutdownTimeout =
        settings.duration("ordo.shutdown.component-timeout", b.componentShutdownTimeout, Duration.ofSeconds(10));
    this.shutdownOnSignal = settings.bool("ordo.shutdown.on-signal", b.shutdownOnSignal, false);
    this.shutdownDelay = settings.durationOrZero("ordo.shutdown.delay", b.shutdownDelay, Duration.ZERO);
    this.drainTimeout = settings.duration("ordo.shutdown.drain-timeout", b.drainTimeout, Duration.ofSeconds(10));
    this.name = "ordo-" + INSTANCES.incrementAndGet();
    this.health = new HealthMonitor(this, List.of(graph.controllers), b.health, this::notifyListeners);
    this.events = new EventPublisher(name, b.events);
    listeners.add(0, events.lifecycleListener());
  }

  /** Starts building an application. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts every component, in dependency order, and returns when the application is RUNNING
   * (possibly {@linkplain #isDegraded() degraded}).
   *
   * @throws StartupFailedException if a critical component failed or was skipped, or a shutdown
   *     was requested while starting; everything that had started has been stopped again
   * @throws IllegalStateException if the application was already started
   */
  public void start() {
    StartupRun run;
    synchronized (lock) {
      if (state != ApplicationState.NEW || shutdown != null) {
        throw new IllegalStateException("Application " + name + " cannot start: it is " + state
            + (shutdown != null ? " (a shutdown was requested)" : " (it was started before)"));
      }
      health.start(); // the probes answer from here on, through startup and shutdown
      startTime = Instant.now();
      startNanos = System.nanoTime();
      pool = new WorkerPool(name + "-lifecycle-", Math.min(threads, graph.width), this::engineFailed);
      deadlines = new HookDeadlines(name + "-deadlines");
      run = new StartupRun(graph, nodes, pool, deadlines, startupTimeout, new Sink());
      startup = run;
      if (shutdownOnSignal) {
        signals = SignalHandling.install(name, this::onJvmExit, this::onSignal);
      }
    }
    // Listeners called on this thread from here may call stop(): it must not wait for this start.
    LifecycleThreads.enter();
    try {
      startOn(run);
    } finally {
      LifecycleThreads.exit();
    }
  }

  private void startOn(StartupRun run) {
    transition(ApplicationState.NEW, ApplicationState.STARTING);
    run.begin();
    boolean interrupted = false;
    while (true) {
      try {
        run.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
        run.abandon("the starting thread was interrupted");
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Map<String, Throwable> failures = failures();
    // A shutdown that began meanwhile took STARTING -> STOPPING first: then this start was interrupted.
    if (!run.abandoned() && transition(ApplicationState.STARTING, ApplicationState.RUNNING)) {
      List<String> degraded = new ArrayList<>();
      for (ComponentStatus s : components()) {
        if (s.degraded()) {
          degraded.add(s.name() + " " + s.state());
        }
      }
      LOG.log(Level.INFO, () -> "Started " + nodes.length + " components in "
          + Durations.format(uptime()) + (degraded.isEmpty() ? "" : "; degraded: " + degraded));
      return;
    }
    // A critical component failed, or a shutdown was requested, while starting.
    boolean byShutdown;
    synchronized (lock) {
      byShutdown = shutdown != null;
    }
    if (!byShutdown && run.abandoned()) {
      ShutdownReport report = shutdown(ShutdownReason.STARTUP_FAILURE).join();
      LOG.log(Level.ERROR, "Startup failed; rolled back: " + report);
      throw new StartupFailedException(describeFailure(failures), failures, false);
    }
    ShutdownReport report = shutdown(ShutdownReason.MANUAL).join(); // the shutdown already under way
    throw new StartupFailedException(
        "Startup was interrupted by a shutdown (" + report.reason() + ")"
            + (failures.isEmpty() ? "" : "; " + describeFailure(failures)),
        failures, true);
  }

  private Map<String, Throwable> failures() {
    Map<String, Throwable> failures = new LinkedHashMap<>();
    for (int i : graph.order) {
      ComponentStatus s = nodes[i].snapshot();
      if (s.state() == ComponentState.FAILED
          || (s.state() == ComponentState.SKIPPED && s.component().critical())) {
        failures.put(s.name(), s.failure());
      }
    }
    return failures;
  }

  private static String describeFailure(Map<String, Throwable> failures) {
    StringBuilder s = new StringBuilder("Startup failed; every started component was stopped again. ");
    s.append(failures.size() == 1 ? "1 component failed:" : failures.size() + " components failed:");
    failures.forEach((component, cause) -> s.append("\n  ").append(component).append(": ").append(cause));
    return s.toString();
  }

  /**
   * Shuts the application down (reason {@link ShutdownReason#MANUAL}) and returns the report:
   * components stop in reverse dependency order within the shutdown budget. Idempotent: a second
   * call (from any thread) waits for the first shutdown and returns its report. During startup,
   * pending components are not started, starting ones finish or time out, and everything started is
   * stopped; {@link #start()} then throws. Called from a lifecycle hook, it only requests the
   * shutdown and returns {@code null}, since waiting there would wait for itself.
   */
  public ShutdownReport stop() {
    CompletableFuture<ShutdownReport> f = shutdown(ShutdownReason.MANUAL);
    if (LifecycleThreads.isLifecycleThread()) {
      return f.getNow(null);
    }
    return f.join();
  }

  /**
   * Requests a shutdown (reason {@link ShutdownReason#MANUAL}) and returns at once; the future
   * completes with the report. From the moment this returns, a start in progress starts no further
   * component. Idempotent like {@link #stop()}.
   */
  public CompletableFuture<ShutdownReport> stopAsync() {
    return shutdown(ShutdownReason.MANUAL);
  }

  /** {@link #stop()}, for try-with-resources. */
  @Override
  public void close() {
    stop();
  }

  /**
   * Waits until the application has shut down (by signal, {@link #stop()} or a failed start) and
   * returns the report.
   */
  public ShutdownReport awaitShutdown() throws InterruptedException {
    if (LifecycleThreads.isLifecycleThread()) {
      throw new IllegalStateException("awaitShutdown() on a thread that runs hooks or listeners would"
          + " wait for itself; use stopAsync() or a thread of your own");
    }
    CompletableFuture<ShutdownReport> f;
    synchronized (lock) {
      while (shutdown == null) {
        lock.wait();
      }
      f = shutdown;
    }
    try {
      return f.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("The shutdown failed", e.getCause());
    }
  }

  /**
   * The engine itself failed (a throwable escaped its own code, not a hook's): nothing it does
   * from here can be trusted to finish, so the application shuts down with reason ERROR.
   */
  void engineFailed(Throwable error) {
    LOG.log(Level.ERROR, "Unrecoverable error in the Ordo engine; shutting down", error);
    shutdown(ShutdownReason.ERROR);
  }

  /** SIGTERM or SIGINT: shut down gracefully, then exit with the report's status. */
  private void onSignal(String signal) {
    boolean first;
    synchronized (lock) {
      first = shutdown == null;
    }
    if (!first) {
      LOG.log(Level.INFO, () -> signal + " received; already shutting down");
      return;
    }
    LOG.log(Level.INFO, () -> signal + " received; shutting down gracefully within "
        + Durations.format(shutdownTimeout));
    exitAfterSignal = true;
    ShutdownReport report = shutdown(ShutdownReason.SIGNAL).join();
    System.exit(report.exitCode());
  }

  /** The JVM began to exit (System.exit, last thread, or a signal not handled directly). */
  private void onJvmExit() {
    if (exitAfterSignal) {
      return;
    }
    shutdown(ShutdownReason.SIGNAL).join();
  }

  /** Begins the shutdown once; later calls get the first one's future. */
  CompletableFuture<ShutdownReport> shutdown(ShutdownReason reason) {
    CompletableFuture<ShutdownReport> f;
    StartupRun run;
    synchronized (lock) {
      if (shutdown != null) {
        return shutdown;
      }
      f = new CompletableFuture<>();
      shutdown = f;
      run = startup;
      if (run == null) {
        // Never started, and from now on it cannot start: decided under the same lock as start().
        state = ApplicationState.STOPPED;
      }
      lock.notifyAll();
    }
    if (run == null) {
      // No transition was reported before this one, and no other can follow: no ordering needed.
      notifyTransition(ApplicationState.NEW, ApplicationState.STOPPED);
    }
    long began = System.nanoTime();
    long deadline = began + shutdownTimeout.toNanos();
    if (run != null) {
      // Before returning, so that a start still in progress sees it and starts nothing more.
      run.abandon(reason == ShutdownReason.STARTUP_FAILURE
          ? "a critical component failed" : "shutdown requested (" + reason + ")");
    }
    if (run == null) {
      events.finish(ApplicationState.NEW, ApplicationState.STOPPED, reason, Duration.ZERO,
          System.nanoTime() + shutdownTimeout.toNanos());
      requestTracker.startDraining();
      ShutdownReport report = new ShutdownReport(reason, Duration.ZERO, shutdownTimeout, false,
          components(), List.of(), List.of(), 0, 0);
      f.complete(report);
      notifyShutdown(report);
      return f;
    }
    Thread runner = new Thread(
        LifecycleThreads.marked(() -> runShutdown(reason, run, began, deadline, f)), name + "-shutdown");
    if (signals != null && Thread.currentThread() == signals.jvmHook()) {
      runShutdown(reason, run, began, deadline, f);
    } else {
      runner.setDaemon(false);
      runner.start();
    }
    return f;
  }

  private void runShutdown(
      ShutdownReason reason, StartupRun run, long began, long deadline, CompletableFuture<ShutdownReport> f) {
    try {
      f.complete(shutdownNow(reason, run, began, deadline));
    } catch (Throwable t) {
      LOG.log(Level.ERROR, "Shutdown failed", t);
      f.completeExceptionally(t);
    }
  }

  private ShutdownReport shutdownNow(ShutdownReason reason, StartupRun run, long began, long deadline)
      throws InterruptedException {
    boolean settled = run.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    if (!settled) {
      LOG.log(Level.WARNING, "Components still starting when the shutdown budget ran out: " + starting());
      run.abandonStarting(shutdownTimeout);
    }
    long inFlightAtDrainStart = 0;
    long inFlightAtDrainEnd = 0;
    if (beginStopping() == ApplicationState.RUNNING) {
      // Pre-stop delay: readiness already answers DOWN, traffic is still served, so that load
      // balancers stop routing here before anything is refused.
      long delay = Math.min(shutdownDelay.toNanos(), Math.max(0, deadline - System.nanoTime()));
      if (delay > 0) {
        LOG.log(Level.INFO, () -> "Draining: waiting " + Durations.format(Duration.ofNanos(delay))
            + " (ordo.shutdown.delay) before refusing new work");
        TimeUnit.NANOSECONDS.sleep(delay);
      }
      requestTracker.startDraining();
      inFlightAtDrainStart = requestTracker.inFlight();
      long drainStarted = System.nanoTime();
      long inFlightAtStart = inFlightAtDrainStart;
      notifyListeners(l -> l.drainStarted(inFlightAtStart));
      Duration drainBudget = Duration.ofNanos(
          Math.min(drainTimeout.toNanos(), Math.max(0, deadline - System.nanoTime())));
      inFlightAtDrainEnd = requestTracker.awaitDrained(drainBudget);
      Duration drainTook = Duration.ofNanos(System.nanoTime() - drainStarted);
      long left = inFlightAtDrainEnd;
      if (left > 0) {
        LOG.log(Level.WARNING, left + " units of work still in flight after draining for "
            + Durations.format(drainTook) + "; stopping components anyway");
      }
      notifyListeners(l -> l.drainEnded(left, drainTook));
      transition(ApplicationState.DRAINING, ApplicationState.STOPPING);
    } else {
      requestTracker.startDraining();
    }
    ShutdownRun stop = new ShutdownRun(graph, nodes, pool, deadlines, componentShutdownTimeout,
        deadline - events.flushReserveNanos(shutdownTimeout), new Sink()); // the rest of the budget flushes the events
    stop.begin();
    boolean allEnded = stop.await();
    // From here the report is a frozen view: stops still ending change nothing that is reported.
    boolean[] endedAtClose = stop.close(shutdownTimeout);
    List<String> abandoned = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (int k = graph.order.length - 1; k >= 0; k--) {
      ComponentNode node = nodes[graph.order[k]];
      if (!endedAtClose[node.index] && node.needsStop()) {
        // Never reached by the stop phase: still running when the budget ran out.
        node.abandoned(new HookTimeoutException(node.descriptor.name(), node.descriptor.shutdownHook(),
            shutdownTimeout, "the shutdown budget of"));
        abandoned.add(node.descriptor.name());
      } else if (!endedAtClose[node.index] && node.shutdownFailure() instanceof HookTimeoutException) {
        abandoned.add(node.descriptor.name());
      } else if (node.shutdownFailure() instanceof HookTimeoutException) {
        abandoned.add(node.descriptor.name());
      } else if (node.shutdownFailure() != null) {
        failed.add(node.descriptor.name());
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - began);
    ShutdownReport report = new ShutdownReport(reason, took, shutdownTimeout, !allEnded || !settled || stop.budgetCut(),
        components(), List.copyOf(abandoned), List.copyOf(failed), inFlightAtDrainStart, inFlightAtDrainEnd);
    deadlines.close();
    removeSignalHandling(reason == ShutdownReason.SIGNAL);
    ApplicationState end = reason == ShutdownReason.STARTUP_FAILURE ? ApplicationState.FAILED : ApplicationState.STOPPED;
    events.finish(state, end, reason, took, deadline); // after the components stopped, before the end is reported
    transition(state, end);
    LOG.log(report.clean() ? Level.INFO : Level.WARNING, report.toString());
    notifyShutdown(report);
    return report;
  }

  private void notifyListeners(java.util.function.Consumer<LifecycleListener> call) {
    for (LifecycleListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Listener " + l + " failed", e);
      }
    }
  }

  private List<String> starting() {
    List<String> names = new ArrayList<>();
    for (ComponentNode n : nodes) {
      if (n.state() == ComponentState.STARTING) {
        names.add(n.descriptor.name());
      }
    }
    return names;
  }

  private void removeSignalHandling(boolean keepSignalHandlers) {
    SignalHandling installed;
    synchronized (lock) {
      installed = signals;
    }
    if (installed != null) {
      installed.remove(keepSignalHandlers);
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
    return state;
  }

  /** Every component's status, in startup order. */
  public List<ComponentStatus> components() {
    List<ComponentStatus> list = new ArrayList<>(nodes.length);
    for (int i : graph.order) {
      list.add(nodes[i].snapshot());
    }
    return Collections.unmodifiableList(list);
  }

  /**
   * The status of the component of class {@code type}.
   *
   * @throws IllegalArgumentException if the application has no such component
   */
  public ComponentStatus component(Class<?> type) {
    for (ComponentNode n : nodes) {
      if (n.descriptor.type() == type) {
        return n.snapshot();
      }
    }
    throw new IllegalArgumentException("No component " + type.getName() + " in this application");
  }

  /** The components in the order they are started: each after all its dependencies. */
  public List<ComponentDescriptor> startupOrder() {
    List<ComponentDescriptor> list = new ArrayList<>(nodes.length);
    for (int i : graph.order) {
      list.add(nodes[i].descriptor);
    }
    return Collections.unmodifiableList(list);
  }

  /** How many hooks may run at once: the graph's parallelism, capped by {@code ordo.startup.threads}. */
  public int parallelism() {
    return Math.min(threads, graph.width);
  }

  /** Whether some optional component failed or was skipped. */
  public boolean isDegraded() {
    for (ComponentNode n : nodes) {
      if (n.snapshot().degraded()) {
        return true;
      }
    }
    return false;
  }

  /** When {@link #start()} was called, or {@code null} before. */
  public Instant startTime() {
    return startTime;
  }

  /** Time since {@link #start()} was called ({@link Duration#ZERO} before). */
  public Duration uptime() {
    return startTime == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** Adds a listener for transitions from now on. */
  public void addListener(LifecycleListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** The configured shutdown budget. */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  @Override
  public String toString() {
    return "Ordo[" + name + ", " + state + ", " + nodes.length + " components]";
  }

  private boolean transition(ApplicationState from, ApplicationState to) {
    // The delivery monitor orders the notifications like the changes: a listener never hears
    // RUNNING -> DRAINING before STARTING -> RUNNING. (Always taken before the state lock.)
    synchronized (delivery) {
      synchronized (lock) {
        if (state != from) {
          return false;
        }
        state = to;
        lock.notifyAll();
      }
      notifyTransition(from, to);
    }
    return true;
  }

  /**
   * The shutdown's first step, decided in one step against a concurrent start: RUNNING drains,
   * STARTING (a start interrupted, or rolled back) goes straight to STOPPING. Returns the state the
   * shutdown found.
   */
  private ApplicationState beginStopping() {
    synchronized (delivery) {
      ApplicationState from;
      ApplicationState to;
      synchronized (lock) {
        from = state;
        if (from == ApplicationState.RUNNING) {
          to = ApplicationState.DRAINING;
        } else if (from == ApplicationState.STARTING) {
          to = ApplicationState.STOPPING;
        } else {
          return from;
        }
        state = to;
        lock.notifyAll();
      }
      notifyTransition(from, to);
      return from;
    }
  }

  private void notifyTransition(ApplicationState from, ApplicationState to) {
    notifyListeners(l -> l.applicationStateChanged(from, to));
  }

  private void notifyShutdown(ShutdownReport report) {
    notifyListeners(l -> l.shutdownCompleted(report));
  }

  /** Delivers component transitions to the listeners and the log. */
  private final class Sink implements StartupRun.TransitionSink {
    @Override
    public void componentChanged(
        ComponentNode node, ComponentState from, ComponentState to, Duration d, Throwable cause) {
      if (to == ComponentState.FAILED) {
        LOG.log(Level.WARNING, node.descriptor.name() + " failed to start"
            + (node.descriptor.critical() ? " (critical)" : " (optional: the application degrades)"), cause);
      } else if (to == ComponentState.SKIPPED) {
        LOG.log(Level.WARNING, node.descriptor.name() + " skipped: " + cause.getMessage());
      }
      if (listeners.isEmpty()) {
        return;
      }
      ComponentTransition t = new ComponentTransition(node.descriptor, from, to, d, cause);
      for (LifecycleListener l : listeners) {
        try {
          l.componentStateChanged(t);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "Listener " + l + " failed", e);
        }
      }
    }

    @Override
    public void lateStartAfterStopPhase(ComponentNode node) {
      Duration timeout = node.descriptor.shutdownTimeout() != null
          ? node.descriptor.shutdownTimeout() : componentShutdownTimeout;
      LOG.log(Level.WARNING, () -> node.descriptor.name() + " finished starting after its timeout and"
          + " after the shutdown passed it; stopping it now (within " + Durations.format(timeout) + ")");
      Thread t = new Thread(LifecycleThreads.marked(() -> {
        try {
          HookContext context = new HookContext(node.descriptor.name(), LifecycleContext.Phase.SHUTDOWN,
              System.nanoTime() + timeout.toNanos(), () -> false);
          CompletionStage<?> stage = node.controller.stop(context);
          if (stage != null) {
            stage.toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
          }
        } catch (Exception e) {
          LOG.log(Level.WARNING, "Stopping " + node.descriptor.name() + " after its late start failed", e);
        }
      }), name + "-late-stop");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void criticalFailure(ComponentNode node) {
      LOG.log(Level.DEBUG, () -> "Critical component " + node.descriptor.name() + " did not start; abandoning startup");
    }
  }

  /**
   * Builds an {@link Ordo} application.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final List<Object> components = new ArrayList<>();
    private final List<LifecycleController<?>> controllers = new ArrayList<>();
    private final List<LifecycleListener> listeners = new ArrayList<>();
    private Duration startupTimeout;
    private Integer startupThreads;
    private Duration shutdownTimeout;
    private Duration componentShutdownTimeout;
    private Boolean shutdownOnSignal;
    private Duration shutdownDelay;
    private Duration drainTimeout;
    private HealthOptions health = HealthOptions.defaults();
    private EventOptions events = EventOptions.defaults();
    private RequestTracker requestTracker;

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
     * Whether Ordo owns the process's shutdown ({@code ordo.shutdown.on-signal}): SIGTERM and
     * SIGINT start a graceful shutdown (reason {@link ShutdownReason#SIGNAL}), after which the
     * JVM exits with {@link ShutdownReport#exitCode()}; a second signal does not start a second
     * shutdown; and a JVM shutdown hook shuts down gracefully on any other exit. Both are removed
     * when the application stops by other means.
     */
    public Builder shutdownOnSignal(boolean enabled) {
      this.shutdownOnSignal = enabled;
      return this;
    }

    /**
     * Builds the application.
     *
     * @throws ConfigurationException if a setting does not parse, a component has no generated
     *     controller, a dependency's instance was not given, a component was given twice, or the
     *     components form a cycle
     */
    public Ordo build() {
      Settings settings = Settings.fromProcess();
      List<LifecycleController<?>> all = new ArrayList<>(controllers.size() + components.size());
      all.addAll(controllers);
      if (!components.isEmpty()) {
        Registries registries = Registries.load();
        for (Object c : components) {
          all.add(registries.controllerFor(c));
        }
      }
      return new Ordo(this, ComponentGraph.of(all), settings);
    }
  }

  /** The generated registries on the class path. */
  private static final class Registries {
    private final List<LifecycleRegistry> registries;

    private Registries(List<LifecycleRegistry> registries) {
      this.registries = registries;
    }

    static Registries load() {
      List<LifecycleRegistry> list = new ArrayList<>();
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      if (loader == null) {
        loader = Ordo.class.getClassLoader();
      }
      for (LifecycleRegistry r : ServiceLoader.load(LifecycleRegistry.class, loader)) {
        list.add(r);
      }
      return new Registries(list);
    }

    LifecycleController<?> controllerFor(Object component) {
      if (component instanceof LifecycleController) {
        return (LifecycleController<?>) component;
      }
      for (Class<?> c = component.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
        for (LifecycleRegistry r : registries) {
          LifecycleController<?> controller = r.controllerFor(c.getName(), component);
          if (controller != null) {
            return controller;
          }
        }
      }
      throw new ConfigurationException(
          "No generated controller for " + component.getClass().getName() + ": annotate the class"
              + " with @OnStartup, @OnShutdown, @HealthCheck, @Critical, @DependsOn or"
              + " @PublishesEvents and compile it with ordo-processor on the annotation processor"
              + " path, or pass a hand-written controller to controller(...). (" + registries.size()
              + " generated registries found on the class path.)");
    }
  }
}
