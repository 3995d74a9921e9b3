package dev.ordo.runtime.health;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.ComponentDescriptor.HealthCheckDescriptor;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.ComponentStatus;
import dev.ordo.runtime.ComponentTransition;
import dev.ordo.runtime.Durations;
import dev.ordo.runtime.Health;
import dev.ordo.runtime.LifecycleContext;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.LifecycleListener;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.engine.HookInvoker;
import dev.ordo.runtime.engine.Nanos;
import dev.ordo.runtime.engine.OwnedThreads;
import dev.ordo.runtime.internal.ApplicationView;
import dev.ordo.runtime.internal.HookContext;
import dev.ordo.runtime.resources.ManagedResource;
import dev.ordo.runtime.resources.VersionStats;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * Runs an application's {@link dev.ordo.HealthCheck @HealthCheck} methods and keeps their results.
 *
 * <p>Every check runs in the background on its own schedule (its {@code interval}, else
 * {@code ordo.health.interval}, 10s), in parallel with the others on a small pool of daemon threads,
 * within its {@code timeout} (else {@code ordo.health.timeout}, 1s). A check that passes its
 * timeout is DOWN with a reason that names the timeout, and its thread is interrupted and replaced,
 * so a hanging check never blocks the other checks nor anyone who reads the health; the same
 * check never runs twice at once (while it hangs, each of its turns counts one more DOWN result).
 * Checks run only for RUNNING components, from the moment the application is RUNNING until it
 * begins to stop its components (they still run while it drains).
 *
 * <p>Results are cached: {@link #report()} and the HTTP probes read them and never run a check.
 * {@link #refresh()} runs every check now and waits, for tests and tooling.
 *
 * <p>Flapping is damped: an UP check turns DOWN after {@code ordo.health.failure-threshold} (3)
 * DOWN results in a row and back UP after {@code ordo.health.success-threshold} (2) UP ones; the
 * first result after startup counts at once. The aggregate follows the components' criticality
 * ({@link HealthStatus}). Every change of a check's status and of the aggregate reaches the
 * application's {@link LifecycleListener}s, in order, outside any lock.
 *
 * <p>{@link Ordo} creates the monitor of each application ({@link Ordo#health()}), starts it, and
 * closes it at the very end of the shutdown, after the components stopped: the probes keep
 * answering while the application drains and stops.
 *
 * @since 0.1
 */
public final class HealthMonitor {
  private static final System.Logger LOG = System.getLogger(HealthMonitor.class.getName());
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  /** How often the engine's thread proves it is alive. */
  static final Duration HEARTBEAT = Duration.ofSeconds(1);
  /** How long without a heartbeat before liveness answers DOWN. */
  static final Duration STALL = Duration.ofSeconds(30);

  private final ApplicationView app;
  private final Object owner;
  private final HealthConfig config;
  private final Consumer<Consumer<LifecycleListener>> listeners;
  private final String threadPrefix;
  /** Every thread of the monitor's, so that its close can wait until they are gone. */
  private final OwnedThreads threads;
  private final ComponentDescriptor[] components;
  private final AtomicReferenceArray<ComponentState> componentStates;
  private final Map<ComponentDescriptor, Integer> componentIndex = new IdentityHashMap<>();
  private final Check[] checks;
  /** Per component: the indexes of its checks in {@link #checks}. */
  private final int[][] checksOf;
  /** Each managed resource with its component's descriptor. */
  private final List<ResourceOf> resources;

  private record ResourceOf(ComponentDescriptor component, ManagedResource<?> resource) {}

  private final Object lock = new Object();
  private boolean started;
  private boolean active;
  /** The application is STOPPING: no check runs any more, the aggregate is frozen. */
  private boolean quiesced;
  private volatile boolean closed;
  private volatile boolean reachedRunning;
  private ScheduledThreadPoolExecutor scheduler;
  private CheckPool pool;
  private HealthServer server;
  private volatile long heartbeat;

  private final Tracker tracker = new Tracker();
  /**
   * Components without checks that are not running as they should: failed or skipped, or being
   * retried since; their part of the aggregate. Guarded by {@link #aggregateLock}.
   */
  private final Map<ComponentDescriptor, ComponentStatus> uncheckedTrouble = new java.util.LinkedHashMap<>();
  private final Object aggregateLock = new Object();
  private HealthStatus aggregate = HealthStatus.UP;

  private final ConcurrentLinkedQueue<Consumer<LifecycleListener>> events = new ConcurrentLinkedQueue<>();
  /** Orders the hand-over of {@link #events} to the listener queues. */
  private final Object deliveryLock = new Object();

  /**
   * Creates the monitor of an application; {@link Ordo.Builder#build()} does this, then feeds it
   * the application's transitions through {@link #observer()}.
   *
   * @param app what the monitor reads of the application
   * @param controllers the application's components
   * @param options the settings given in code; the rest comes from the process's configuration
   * @param listeners delivers one call to every listener of the application (enqueues only)
   * @param owner the application, whose callback threads the checks' threads are
   * @throws dev.ordo.runtime.ConfigurationException if a setting does not parse
   */
  public HealthMonitor(ApplicationView app, List<? extends LifecycleController<?>> controllers,
      HealthOptions options, Consumer<Consumer<LifecycleListener>> listeners, Object owner) {
    this(app, controllers, options.resolve(System.getProperties(), System.getenv()), listeners, owner);
  }

  HealthMonitor(ApplicationView app, List<? extends LifecycleController<?>> controllers, HealthConfig config,
      Consumer<Consumer<LifecycleListener>> listeners, Object owner) {
    this.owner = owner;
    this.app = app;
    this.config = config;
    this.listeners = listeners;
    this.threadPrefix = "ordo-health-" + INSTANCES.incrementAndGet();
    this.threads = new OwnedThreads(threadPrefix + "-", owner);
    // Only the components with checks are indexed: the others cost the monitor nothing but a
    // line in the aggregate if they fail, so an application without checks keeps no state here.
    List<LifecycleController<?>> checked = new ArrayList<>();
    for (LifecycleController<?> controller : controllers) {
      if (!controller.descriptor().healthChecks().isEmpty()) {
        checked.add(controller);
      }
    }
    this.components = new ComponentDescriptor[checked.size()];
    this.componentStates = new AtomicReferenceArray<>(checked.size());
    List<Check> list = new ArrayList<>();
    this.checksOf = new int[components.length][];
    for (int i = 0; i < components.length; i++) {
      LifecycleController<?> controller = checked.get(i);
      components[i] = controller.descriptor();
      componentIndex.put(components[i], i);
      componentStates.set(i, ComponentState.PENDING);
      List<HealthCheckDescriptor> descriptors = components[i].healthChecks();
      checksOf[i] = new int[descriptors.size()];
      for (int k = 0; k < descriptors.size(); k++) {
        checksOf[i][k] = list.size();
        HealthCheckDescriptor d = descriptors.get(k);
        list.add(new Check(i, k, controller, d,
            d.timeout() != null ? d.timeout() : config.timeout(),
            d.interval() != null ? d.interval() : config.interval()));
      }
    }
    this.checks = list.toArray(new Check[0]);
    List<ResourceOf> withResources = new ArrayList<>();
    for (LifecycleController<?> controller : controllers) {
      for (ManagedResource<?> r : controller.resources()) {
        if (r != null) {
          withResources.add(new ResourceOf(controller.descriptor(), r));
        }
      }
    }
    this.resources = withResources;
  }

  /**
   * Reads every managed resource now, in startup order of the components: a few volatile reads
   * and one short lock of each resource's state, never a load.
   */
  private List<ResourceHealth> resources(List<ComponentStatus> order) {
    if (resources.isEmpty()) {
      return List.of();
    }
    List<ResourceHealth> list = new ArrayList<>(resources.size());
    for (ComponentStatus s : order) {
      for (ResourceOf entry : resources) {
        if (entry.component() != s.component()) {
          continue;
        }
        ManagedResource<?> r = entry.resource();
        List<String> versions = new ArrayList<>();
        long leases = 0;
        for (VersionStats v : r.versions()) {
          versions.add(v.version());
          leases += v.inUse();
        }
        list.add(new ResourceHealth(s.name(), r.name(), r.state(), r.currentVersion().orElse(null), versions, leases,
            r.lastSwapError().orElse(null)));
      }
    }
    return list;
  }

  /**
   * The observer the runtime feeds the application's transitions to, inline and in order (it
   * never blocks): it starts the checks when the application is RUNNING and closes the monitor
   * at its end. Not for users.
   */
  public LifecycleListener observer() {
    return tracker;
  }

  /**
   * Whether the {@link #observer()} needs every component transition; without health checks it
   * needs only the failures and skips (and the application's transitions). Not for users.
   */
  public boolean observesEveryComponent() {
    return checks.length > 0;
  }

  /**
   * Serves the HTTP probes when a port is configured; {@link Ordo#start()} calls this before
   * starting any component, so that the startup probe answers during startup. Checks begin when
   * the application is RUNNING.
   *
   * @throws dev.ordo.runtime.ConfigurationException if the probes cannot bind their address
   */
  public void start() {
    synchronized (lock) {
      if (started || closed) {
        return;
      }
      started = true;
      if (config.port() != null) {
        server = HealthServer.start(this, config, threads.named(threadPrefix + "-http-"));
        LOG.log(Level.INFO, () -> "Health probes on http://" + server.authority() + "/health"
            + " (/health/live, /health/ready, /health/started)");
      }
    }
  }

  /** The port the HTTP probes listen on, empty when they are not served (not configured, not started or closed). */
  public OptionalInt port() {
    HealthServer s;
    synchronized (lock) {
      s = closed ? null : server;
    }
    return s == null ? OptionalInt.empty() : OptionalInt.of(s.port());
  }

  /** Whether probe bodies show what checks threw ({@code ordo.health.details}). */
  public boolean showsDetails() {
    return config.details();
  }

  /** The aggregate status now, from the cached results. */
  public HealthStatus status() {
    synchronized (aggregateLock) {
      return aggregate;
    }
  }

  /** Every check's cached result, in startup order of the components. */
  public List<CheckResult> checks() {
    List<CheckResult> list = new ArrayList<>(checks.length);
    for (Check c : checks) {
      list.add(c.result);
    }
    return list;
  }

  /** A snapshot of the application's health from the cached results; never runs a check. */
  public HealthReport report() {
    ApplicationState state = app.state();
    List<ComponentStatus> statuses = app.components();
    ComponentState[] states = new ComponentState[components.length];
    for (ComponentStatus s : statuses) {
      Integer i = componentIndex.get(s.component());
      if (i != null) {
        states[i] = s.state();
      }
    }
    CheckResult[] results = new CheckResult[checks.length];
    for (int i = 0; i < checks.length; i++) {
      results[i] = checks[i].result;
    }
    boolean running = state == ApplicationState.RUNNING || state == ApplicationState.DRAINING;
    List<ComponentStatus> unchecked = new ArrayList<>();
    for (ComponentStatus st : statuses) {
      if (!componentIndex.containsKey(st.component()) && troubled(st.state(), running)) {
        unchecked.add(st);
      }
    }
    Summary summary = summarize(states, results, unchecked, running);
    boolean engine = engineResponsive();
    boolean live = state != ApplicationState.FAILED && engine;
    boolean startedUp = reachedRunning;
    boolean ready = state == ApplicationState.RUNNING && summary.status != HealthStatus.DOWN
        && summary.pendingCritical == 0;
    List<CheckResult> ordered = new ArrayList<>(results.length);
    for (ComponentStatus s : statuses) {
      Integer ci = componentIndex.get(s.component());
      if (ci != null) {
        for (int i : checksOf[ci]) {
          ordered.add(results[i]);
        }
      }
    }
    return new HealthReport(state, summary.status, startedUp, live, ready, engine,
        app.inFlight(), summary.pendingCritical, app.uptime(), ordered, statuses,
        summary.degraded, summary.down, resources(statuses));
  }

  /**
   * Runs every check of every RUNNING component now, waits for their results (each within its
   * timeout) and returns the report. A check already running is awaited rather than started twice;
   * one that hangs past its timeout counts one more DOWN result at once. Before the application is
   * RUNNING, or after it stopped, nothing runs.
   */
  public HealthReport refresh() {
    List<CompletableFuture<Void>> runs = new ArrayList<>(checks.length);
    long longest = 0;
    for (Check c : checks) {
      runs.add(trigger(c));
      longest = Math.max(longest, Nanos.of(c.timeout)); // a timeout past the range: no limit
    }
    deliver();
    try {
      // A run settles within its timeout once a thread takes it, and hanging checks free threads
      // at their own timeouts; the margin only guards against a stopped scheduler.
      long wait = Nanos.add(Nanos.add(longest, longest), TimeUnit.SECONDS.toNanos(5));
      CompletableFuture<Void> all = CompletableFuture.allOf(runs.toArray(new CompletableFuture<?>[0]));
      if (wait == Nanos.NO_LIMIT) {
        all.get();
      } else {
        all.get(wait, TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(Level.WARNING, "Health refresh did not complete: " + e);
    }
    awaitDelivered();
    return report();
  }

  @Override
  public String toString() {
    return "HealthMonitor[" + checks.length + " checks, " + status() + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // Scheduling and running checks

  /** The application is RUNNING: schedule every check, first run now. */
  private void activate() {
    synchronized (lock) {
      if (active || closed) {
        return;
      }
      active = true;
      reachedRunning = true;
      if (checks.length > 0 || server != null) {
        java.util.concurrent.ThreadFactory schedulerThreads = threads.named(threadPrefix + "-scheduler-");
        scheduler = new ScheduledThreadPoolExecutor(1, r -> {
          Thread t = schedulerThreads.newThread(r);
          t.setDaemon(true);
          return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        heartbeat = System.nanoTime();
        scheduler.scheduleAtFixedRate(() -> heartbeat = System.nanoTime(),
            HEARTBEAT.toNanos(), HEARTBEAT.toNanos(), TimeUnit.NANOSECONDS);
      }
      if (checks.length > 0) {
        pool = new CheckPool(threads.named(threadPrefix + "-check-"), checks.length);
        for (Check c : checks) {
          // An interval past the nanosecond range means no limit: the first round only (refresh()
          // runs it again on demand). Duration.toNanos() would throw here, inside the listener
          // that activates health, and leave every later check unscheduled.
          long every = Nanos.of(c.interval);
          if (every == Nanos.NO_LIMIT) {
            scheduler.schedule(() -> tick(c), 0, TimeUnit.NANOSECONDS);
          } else {
            scheduler.scheduleAtFixedRate(() -> tick(c), 0, every, TimeUnit.NANOSECONDS);
          }
        }
      }
    }
    updateAggregate();
    deliver();
  }

  private void tick(Check c) {
    try {
      trigger(c);
      deliver();
    } catch (Throwable t) {
      // A scheduled task that throws is never run again; keep the schedule alive.
      LOG.log(Level.ERROR, "Unexpected error scheduling health check " + c.id, t);
    }
  }

  /** Starts one run of {@code c} unless it is running; the future completes when a result is recorded. */
  private CompletableFuture<Void> trigger(Check c) {
    ScheduledThreadPoolExecutor timer;
    CheckPool threads;
    synchronized (lock) {
      if (!active || quiesced || closed) {
        return CompletableFuture.completedFuture(null);
      }
      timer = scheduler;
      threads = pool;
    }
    if (componentStates.get(c.component) != ComponentState.RUNNING) {
      return CompletableFuture.completedFuture(null);
    }
    Run run;
    long hungSince = 0;
    // A run that is queued or within its timeout is awaited; one past its timeout is hanging.
    synchronized (c) {
      Run current = c.running;
      if (current != null && !current.settled.get()) {
        return current.done; // running within its timeout: its result is the answer
      }
      if (current != null && current.timedOut) {
        run = null; // still hanging after its timeout
        hungSince = current.began;
      } else {
        // None, or one whose method returned and which is finishing: its result predates this
        // request, so a new run is started (finishing, it leaves this one in place).
        run = new Run(System.nanoTime(), threads, c.epoch);
        c.running = run;
      }
    }
    if (run == null) {
      long since = System.nanoTime() - hungSince;
      record(c, -1, Health.down("timed out after " + Durations.format(c.timeout) + "; still running after "
          + Durations.format(Duration.ofMillis(TimeUnit.NANOSECONDS.toMillis(since)))), null, c.timeout);
      return CompletableFuture.completedFuture(null);
    }
    try {
      threads.execute(() -> execute(c, run, timer));
    } catch (RejectedExecutionException closing) {
      synchronized (c) {
        if (c.running == run) {
          c.running = null;
        }
      }
      run.settled.set(true);
      run.done.complete(null);
    }
    return run.done;
  }

  /**
   * Runs one check through the runtime's one hook invoker, whose deadline the health scheduler
   * keeps. The timeout counts from here, not from the queue: a check never times out for waiting
   * on threads held by hanging checks (those are replaced at their own timeouts).
   */
  private void execute(Check c, Run run, ScheduledThreadPoolExecutor timer) {
    if (closed) {
      finishRun(c, run);
      return;
    }
    long deadline = Nanos.deadline(System.nanoTime(), Nanos.of(c.timeout));
    HookContext context = new HookContext(components[c.component].name(), LifecycleContext.Phase.HEALTH_CHECK,
        deadline, () -> run.settled.get() || closed);
    Health[] returned = new Health[1];
    long began = System.nanoTime();
    dev.ordo.runtime.engine.FlightRecorderEvents.HealthCheck event =
        dev.ordo.runtime.engine.FlightRecorderEvents.recorderUp()
            ? new dev.ordo.runtime.engine.FlightRecorderEvents.HealthCheck() : null;
    if (event == null || !event.isEnabled()) {
      event = null;
    } else {
      event.component = components[c.component].name();
      event.check = c.id;
      event.begin();
    }
    dev.ordo.runtime.engine.FlightRecorderEvents.HealthCheck jfr = event;
    new HookInvoker(schedulerOf(timer)).invoke(() -> {
      returned[0] = c.controller.check(c.index, context);
      return null;
    }, deadline, new HookInvoker.Outcome() {
      @Override
      public void ended(Throwable error, long tookNanos, boolean timedOut) {
        run.timedOut = timedOut;
        run.settled.set(true);
        // A result that comes at or after the deadline is too late whoever noticed first: a check
        // that returned because its context said it was cancelled must not count as UP.
        boolean overran = timedOut || (deadline != Nanos.NO_LIMIT && System.nanoTime() - deadline >= 0);
        boolean up = !overran && error == null && returned[0] != null && returned[0].status() == Health.Status.UP;
        if (jfr != null) {
          jfr.end();
          if (jfr.shouldCommit()) {
            jfr.status = overran ? "TIMED_OUT" : up ? "UP" : "DOWN";
            jfr.commit();
          }
        }
        app.healthCheckRan(components[c.component], began, began + tookNanos, up, overran);
        if (timedOut) {
          // The run stays the check's running one until its method returns: it is hanging.
          record(c, run.epoch, Health.down("timed out after " + Durations.format(c.timeout)), null, c.timeout);
          deliver();
          run.done.complete(null);
          return;
        }
        if (overran) {
          record(c, run.epoch, Health.down("timed out after " + Durations.format(c.timeout)), null, c.timeout);
          finishRun(c, run);
          return;
        }
        Health health = error != null ? Health.down("threw an exception")
            : returned[0] != null ? returned[0] : Health.down("returned null");
        record(c, run.epoch, health, error, Duration.ofNanos(tookNanos));
        finishRun(c, run);
      }

      @Override
      public void threadHeld() {
        synchronized (c) {
          if (c.running == run) {
            run.compensated = true;
            run.pool.compensate();
          }
        }
      }

      @Override
      public void endedLate(Throwable error) {
        finishRun(c, run);
      }
    });
  }

  /** The health scheduler as the invoker's timer: a deadline is a scheduled task, cancelled when the check ends. */
  private static HookInvoker.Timer schedulerOf(ScheduledThreadPoolExecutor timer) {
    return (deadline, action) -> {
      try {
        ScheduledFuture<?> f = timer.schedule(action, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      } catch (RejectedExecutionException closing) {
        return () -> {}; // closing: the check runs once more, cancelled by its context
      }
    };
  }

  /** The run's method returned: the check may run again, and a thread added in its place goes. */
  private void finishRun(Check c, Run run) {
    synchronized (c) {
      if (c.running == run) {
        c.running = null;
      }
      if (run.compensated) {
        run.compensated = false;
        run.pool.release();
      }
    }
    run.settled.set(true);
    deliver();
    run.done.complete(null);
  }

  /**
   * Records one result, applies the thresholds, and queues the changes for the listeners.
   *
   * @param epoch the epoch of the run the result is of ({@code -1}: of no run, always current)
   */
  private void record(Check c, int epoch, Health health, Throwable error, Duration took) {
    CheckResult before;
    CheckResult after;
    synchronized (c) {
      if (epoch >= 0 && epoch != c.epoch) {
        return; // a run from before the component's restart
      }
      before = c.result;
      boolean up = health.isUp();
      int failures = up ? 0 : before.consecutiveFailures() + 1;
      int successes = up ? before.consecutiveSuccesses() + 1 : 0;
      Health.Status status;
      if (before.pending()) {
        status = health.status(); // the first result counts at once
      } else if (before.isUp() && failures >= config.failureThreshold()) {
        status = Health.Status.DOWN;
      } else if (!before.isUp() && successes >= config.successThreshold()) {
        status = Health.Status.UP;
      } else {
        status = before.status();
      }
      after = new CheckResult(before.component(), before.name(), before.critical(), status, health, error,
          Instant.now(), took, failures, successes);
      c.result = after;
      if (before.pending() || before.status() != status) {
        Health.Status from = before.pending() ? null : before.status();
        CheckResult to = after;
        events.add(l -> l.healthCheckChanged(from, to));
      }
    }
    if (before.pending() || before.status() != after.status()) {
      log(before, after);
      updateAggregate();
    }
  }

  private static void log(CheckResult before, CheckResult after) {
    if (after.isUp()) {
      LOG.log(before.pending() ? Level.DEBUG : Level.INFO, () -> "Health check " + after.id() + " is UP");
    } else {
      LOG.log(Level.WARNING, "Health check " + after.id() + " is DOWN"
          + (after.critical() ? "" : " (optional: the application is degraded)") + ": " + after.last(), after.error());
    }
  }

  private boolean engineResponsive() {
    synchronized (lock) {
      if (!active || closed || scheduler == null) {
        return true;
      }
    }
    return System.nanoTime() - heartbeat < STALL.toNanos();
  }

  // ---------------------------------------------------------------------------------------------
  // Aggregation

  private static final class Summary {
    HealthStatus status = HealthStatus.UP;
    int pendingCritical;
    final List<String> degraded = new ArrayList<>();
    final List<String> down = new ArrayList<>();
  }

  /**
   * Whether a component in {@code state} is not running as it should: it failed or was skipped, or,
   * in a running application, it is being retried or restarted.
   */
  static boolean troubled(ComponentState state, boolean applicationRunning) {
    return state == ComponentState.FAILED || state == ComponentState.SKIPPED
        || (applicationRunning && state != ComponentState.RUNNING && state != null);
  }

  /** Critical trouble makes the application DOWN, optional trouble DEGRADED. */
  private Summary summarize(ComponentState[] states, CheckResult[] results, Iterable<ComponentStatus> unchecked,
      boolean applicationRunning) {
    Summary s = new Summary();
    for (ComponentStatus u : unchecked) {
      (u.component().critical() ? s.down : s.degraded).add(u.name() + " " + u.state());
    }
    for (int i = 0; i < components.length; i++) {
      if (troubled(states[i], applicationRunning)) {
        (components[i].critical() ? s.down : s.degraded).add(components[i].name() + " " + states[i]);
      }
    }
    for (int i = 0; i < checks.length; i++) {
      CheckResult r = results[i];
      if (states[checks[i].component] != ComponentState.RUNNING) {
        continue;
      }
      if (r.pending()) {
        if (r.critical()) {
          s.pendingCritical++;
        }
      } else if (!r.isUp()) {
        (r.critical() ? s.down : s.degraded).add(r.id());
      }
    }
    s.status = !s.down.isEmpty() ? HealthStatus.DOWN
        : !s.degraded.isEmpty() ? HealthStatus.DEGRADED : HealthStatus.UP;
    return s;
  }

  private void updateAggregate() {
    synchronized (lock) {
      if (!active || quiesced) {
        return; // computed first when the application is RUNNING, frozen once it is STOPPING
      }
    }
    synchronized (aggregateLock) {
      ComponentState[] states = new ComponentState[components.length];
      for (int i = 0; i < states.length; i++) {
        states[i] = componentStates.get(i);
      }
      CheckResult[] results = new CheckResult[checks.length];
      for (int i = 0; i < checks.length; i++) {
        results[i] = checks[i].result;
      }
      // Computed only while the application runs (RUNNING or DRAINING): see the guard above.
      Summary s = summarize(states, results, uncheckedTrouble.values(), true);
      if (s.status != aggregate) {
        HealthStatus from = aggregate;
        HealthStatus to = s.status;
        aggregate = to;
        events.add(l -> l.healthChanged(from, to));
        LOG.log(to == HealthStatus.UP ? Level.INFO : Level.WARNING, () -> "Health " + from + " -> " + to
            + (s.down.isEmpty() ? "" : "; down: " + s.down) + (s.degraded.isEmpty() ? "" : "; degraded: " + s.degraded));
      }
    }
  }

  /**
   * Hands the queued changes, in order, to the application's listener queues (which only enqueue:
   * listeners run on their own threads, never here and never under this monitor).
   */
  private void deliver() {
    synchronized (deliveryLock) {
      Consumer<LifecycleListener> event;
      while ((event = events.poll()) != null) {
        listeners.accept(event);
      }
    }
  }

  /** The changes queued so far are in the listeners' queues when this returns. */
  private void awaitDelivered() {
    deliver();
  }

  /** Stops the checks, the engine's threads and the probes; at the very end of the shutdown. */
  private void close() {
    ScheduledThreadPoolExecutor timer;
    CheckPool threads;
    HealthServer probes;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      timer = scheduler;
      threads = pool;
      probes = server;
    }
    if (probes != null) {
      probes.stop();
    }
    if (timer != null) {
      timer.shutdownNow();
    }
    if (threads != null) {
      threads.shutdownNow();
    }
    // Gone before the shutdown returns (a check that hangs is not waited for past a short grace).
    this.threads.awaitGone(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200));
  }

  /**
   * Component {@code component} is being restarted: its checks start afresh (pending, so that the
   * first result after the restart counts at once), and a run from before the restart that ends
   * later is ignored.
   */
  private void restarted(int component) {
    for (int index : checksOf[component]) {
      Check c = checks[index];
      synchronized (c) {
        c.epoch++;
        c.result = c.initial;
      }
    }
  }

  /** Follows the application and its components. */
  private final class Tracker implements LifecycleListener {
    @Override
    public void applicationStateChanged(ApplicationState from, ApplicationState to) {
      if (to == ApplicationState.RUNNING) {
        activate();
      } else if (to == ApplicationState.STOPPING) {
        synchronized (lock) {
          quiesced = true; // components stop from now on; their checks would only report that
        }
      } else if (to.isTerminal()) {
        close();
      }
    }

    @Override
    public void componentStateChanged(ComponentTransition t) {
      Integer i = componentIndex.get(t.component());
      if (i == null) {
        boolean changed;
        synchronized (aggregateLock) {
          if (t.to() == ComponentState.RUNNING) {
            changed = uncheckedTrouble.remove(t.component()) != null; // it recovered
          } else if (t.to() == ComponentState.FAILED || t.to() == ComponentState.SKIPPED
              || uncheckedTrouble.containsKey(t.component())) {
            uncheckedTrouble.put(t.component(), new ComponentStatus(t.component(), t.to(), t.cause(), null, null, null));
            changed = true;
          } else {
            changed = false;
          }
        }
        if (changed) {
          updateAggregate();
          deliver();
        }
        return;
      }
      if (t.from() == ComponentState.STOPPED && t.to() == ComponentState.STARTING) {
        restarted(i); // only a restart starts a stopped component
      }
      componentStates.set(i, t.to());
      // Only these transitions can change the aggregate.
      if (t.to() == ComponentState.FAILED || t.to() == ComponentState.SKIPPED
          || !components[i].healthChecks().isEmpty()) {
        updateAggregate();
        deliver();
      }
    }

    @Override
    public String toString() {
      return "health monitor";
    }
  }

  /** One health check, its schedule state and its cached result. */
  private static final class Check {
    final int component;
    final int index;
    final LifecycleController<?> controller;
    final Duration timeout;
    final Duration interval;
    final String id;
    /** The run whose method has not returned yet; guarded by this. */
    Run running;
    /** The latest result; written under this, read without. */
    volatile CheckResult result;
    /** The result before any run: pending. */
    final CheckResult initial;
    /** Counts the component's restarts, which make earlier runs' results stale; guarded by this. */
    int epoch;

    Check(int component, int index, LifecycleController<?> controller, HealthCheckDescriptor descriptor,
        Duration timeout, Duration interval) {
      this.component = component;
      this.index = index;
      this.controller = controller;
      this.timeout = timeout;
      this.interval = interval;
      ComponentDescriptor d = controller.descriptor();
      this.initial = new CheckResult(d.name(), descriptor.name(), d.critical(), Health.Status.DOWN, null, null,
          null, Duration.ZERO, 0, 0);
      this.result = initial;
      this.id = initial.id();
    }
  }

  /** One run of a check. */
  private static final class Run {
    final long began;
    final CheckPool pool;
    /** The check's epoch when the run began: a restart since makes its result stale. */
    final int epoch;
    /** A result for this run was recorded (or it timed out): later outcomes are ignored. */
    final AtomicBoolean settled = new AtomicBoolean();
    /**
     * It timed out, and stays the check's running one until its method returns (it hangs). Set
     * before {@link #settled}, so that a run seen settled but not timed out is one whose method
     * returned and which is only finishing.
     */
    volatile boolean timedOut;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    /** The pool added a thread for this run when it timed out; guarded by the check. */
    boolean compensated;

    Run(long began, CheckPool pool, int epoch) {
      this.began = began;
      this.pool = pool;
      this.epoch = epoch;
    }
  }
}
