package dev.ordo.runtime.engine;

import dev.ordo.runtime.ApplicationState;
import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.ComponentRecovery;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.ComponentStatus;
import dev.ordo.runtime.Durations;
import dev.ordo.runtime.LifecycleContext;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.LifecycleListener;
import dev.ordo.runtime.RetryPolicy;
import dev.ordo.runtime.ShutdownReason;
import dev.ordo.runtime.ShutdownReport;
import dev.ordo.runtime.StartupFailedException;
import dev.ordo.runtime.events.EventPublisher;
import dev.ordo.runtime.internal.ApplicationView;
import dev.ordo.runtime.internal.HookContext;
import dev.ordo.runtime.internal.LifecycleThreads;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine behind one {@code Ordo} application: its state machine, its startup, its shutdown
 * sequence and the threads that run them. Not API: the {@code Ordo} facade is.
 *
 * <h2>Who runs what</h2>
 * <ul>
 *   <li>Hooks run on the application's {@link WorkerPool}, never on the caller's thread.
 *   <li>The thread in {@link #start()} drives the startup's deadlines until every component has
 *       settled; the thread that runs the shutdown sequence (the one in {@code stop()}, a signal's,
 *       the JVM's shutdown hook, or one started for {@code stopAsync()}) drives the stop phase's.
 *   <li>Listeners run on {@link ListenerQueues} threads, one serial queue each, after the change
 *       and outside every lock here. The runtime's own observers (health, events) are internal,
 *       never block, and are called inline, in order, in order (see {@link ApplicationStateMachine}).
 * </ul>
 *
 * <h2>The shutdown budget</h2>
 * See {@link RuntimeSettings}: the pre-stop delay, the drain and the wait for starts in progress
 * end D + T after the shutdown was requested at the latest; the stop phase has the rest of the
 * budget, less a small reserve for flushing events; listeners are waited for until the budget's
 * end; then the call returns.
 */
public final class Engine implements ApplicationView {
  static final System.Logger LOG = System.getLogger("dev.ordo.runtime.Ordo");
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /** Receives the schedulers' decisions. */
  interface Transitions {
    void componentChanged(ComponentNode node, ComponentState from, ComponentState to, long tookNanos, Throwable cause);

    /** A change the {@link Recovery} decided (it logs its own failures). */
    void recoveryChanged(ComponentNode node, ComponentState from, ComponentState to, long tookNanos, Throwable cause);

    /** A component is RUNNING again after a failure; told after the transition to RUNNING. */
    void componentRecovered(ComponentNode node, ComponentRecovery recovery);

    /** A start hook that had passed its timeout ended after all ({@code error}: how). */
    void startEndedLate(ComponentNode node, Throwable error);

    /** A start completed after its timeout, once the stop phase had passed the component. */
    void lateStartAfterStopPhase(ComponentNode node);

    /** The stop phase waited for this component's start, which has now settled. */
    void startSettledForStop(ComponentNode node);
  }

  /** The request tracker's engine-side operations. */
  public interface Drain {
    /** Refuses new work from now on. */
    void startDraining();

    /** Waits until nothing is in flight or {@code deadline} passed; returns what is still in flight. Never interrupted. */
    long awaitDrained(long deadline);

    long inFlight();
  }

  private final String name;
  private final ComponentGraph graph;
  private final ComponentNode[] nodes;
  private final RuntimeSettings settings;
  private final Drain drain;
  private final EventPublisher events;
  private final ApplicationStateMachine states;
  /**
   * Optional components not running as they should: failed, skipped, or being retried or
   * restarted (the application is degraded); each counted once ({@link ComponentNode#markDegraded}).
   */
  private final AtomicInteger degraded = new AtomicInteger();
  /** Heals optional components while the application runs; {@code null} when none has a retry policy. */
  private final Recovery recovery;
  private final Transitions transitions = new EngineTransitions();
  /**
   * Marks the threads that run this application's callbacks ({@link LifecycleThreads}); an
   * object of its own, so that no {@code this} escapes the constructor.
   */
  private final Object callbacks = new Object();
  private final CopyOnWriteArrayList<Runnable> onStart = new CopyOnWriteArrayList<>();
  /** The run's timeline: lock-free, written by the schedulers, read by {@link #timeline()}. */
  private final RunTimeline timeline;
  /** How each component's last stop ended: allocated by the first stop (see {@link StopRecords}). */
  private final StopRecords stops;
  /**
   * Where the timeline is written after startup and after shutdown; {@code null}: nowhere. Written
   * once by the thread that builds the application ({@link #reportTo}, before {@code start()} can be
   * called); read by the thread in {@code start()} and by the one that runs the shutdown sequence.
   * Volatile only so that a shutdown run on another thread sees it; the write never blocks, and a
   * failed write of the file is logged, never thrown ({@link ReportFile#write}).
   */
  private volatile ReportFile reportFile;
  /** The index of each component that has health checks, by descriptor; filled in the constructor, read-only after. */
  private final java.util.IdentityHashMap<ComponentDescriptor, Integer> checked = new java.util.IdentityHashMap<>();

  private final Object lock = new Object();
  private volatile Instant startTime;
  private volatile long startNanos;
  @GuardedBy("lock") private StartupScheduler startup;
  @GuardedBy("lock") private WorkerPool pool;
  @GuardedBy("lock") private Deadlines deadlines;
  @GuardedBy("lock") private HookInvoker invoker;
  @GuardedBy("lock") private StopScheduler stopPhase;
  @GuardedBy("lock") private CompletableFuture<ShutdownReport> shutdown;
  @GuardedBy("lock") private ShutdownReason shutdownReason;
  @GuardedBy("lock") private long shutdownBegan;
  /** Someone runs (or ran) the shutdown sequence; exactly one thread does. */
  @GuardedBy("lock") private boolean sequenceClaimed;
  /** The thread in start() still drives the startup, and will run a shutdown requested meanwhile. */
  @GuardedBy("lock") private boolean startDriving;
  @GuardedBy("lock") private boolean sequenceOver;
  @GuardedBy("lock") private SignalHandling signals;
  private volatile boolean exitAfterSignal;

  /**
   * @param listeners the user's listeners given to the builder
   * @throws dev.ordo.runtime.ConfigurationException if the graph is not valid
   */
  public Engine(String name, List<LifecycleController<?>> controllers, RuntimeSettings settings, Drain drain,
      EventPublisher events, List<LifecycleListener> listeners) {
    this(name, ComponentGraph.of(controllers), settings, drain, events, listeners);
  }

  /**
   * The engine of the components of {@code graph}, built beforehand ({@link ComponentGraph#of} or,
   * for a compile-time plan, {@link ComponentGraph#ofPlan}).
   *
   * @param listeners the user's listeners given to the builder
   */
  public Engine(String name, ComponentGraph graph, RuntimeSettings settings, Drain drain,
      EventPublisher events, List<LifecycleListener> listeners) {
    this(name, graph, settings, drain, events, listeners, new RetryPolicy[graph.size()], null);
  }

  /**
   * The engine of the components of {@code graph}, some of which heal themselves.
   *
   * @param retries the retry policy in force for each component, by index ({@link RetrySettings#resolve}),
   *     {@code null} where none is
   * @param recoveryClock the clock retries are scheduled by, for tests; {@code null} for the real one
   */
  public Engine(String name, ComponentGraph graph, RuntimeSettings settings, Drain drain,
      EventPublisher events, List<LifecycleListener> listeners, RetryPolicy[] retries, RecoveryClock recoveryClock) {
    this.name = name;
    this.graph = graph;
    this.nodes = new ComponentNode[graph.size()];
    this.timeline = new RunTimeline(graph.size());
    this.stops = new StopRecords(graph.size());
    for (int i = 0; i < graph.size(); i++) {
      ComponentDescriptor d = graph.controllers[i].descriptor();
      if (!d.healthChecks().isEmpty()) {
        checked.put(d, i);
      }
    }
    for (int i = 0; i < nodes.length; i++) {
      nodes[i] = new ComponentNode(i, graph.controllers[i]);
    }
    this.settings = settings;
    this.drain = drain;
    this.events = events;
    this.states = new ApplicationStateMachine(lock, new ListenerQueues(name + "-listener-", callbacks));
    for (LifecycleListener l : listeners) {
      states.addListener(l);
    }
    if (events.enabled()) {
      states.addObserver(events.lifecycleListener());
    }
    this.recovery = Recovery.needed(retries)
        ? new Recovery(name, callbacks, graph, nodes, stops, retries.clone(), recoveryClock, transitions,
            Nanos.of(settings.startupTimeout), Nanos.of(settings.componentShutdownTimeout))
        : null;
  }

  /** A new application's name, {@code ordo-N}: the prefix of its threads' names. */
  public static String nextName() {
    return "ordo-" + INSTANCES.incrementAndGet();
  }

  /** The application's name in thread names and logs ({@code ordo-N}). */
  public String name() {
    return name;
  }

  /** The token that marks this application's callback threads (give it to {@link LifecycleThreads}). */
  public Object callbackOwner() {
    return callbacks;
  }

  /** Adds a user listener: notified on its own serial queue, off the engine's threads. */
  public void addListener(LifecycleListener listener) {
    states.addListener(listener);
  }

  /**
   * Adds one of the runtime's own observers (health, events): called inline, in order, outside
   * the engine's state lock; it must neither block nor call back into the engine's shutdown.
   */
  public void addObserver(LifecycleListener observer) {
    states.addObserver(observer);
  }

  /**
   * Adds an observer like {@link #addObserver} that hears the application's transitions but, of
   * the components', only failures and skips: nothing is built for it on the others.
   */
  public void addFailureObserver(LifecycleListener observer) {
    states.addFailureObserver(observer);
  }

  /** Runs {@code action} at {@link #start()}, before any component starts (the health probes). */
  public void onStart(Runnable action) {
    onStart.add(action);
  }

  /**
   * Delivers one call to every listener (health changes come this way); a check that turns DOWN may
   * also restart its component ({@link Recovery}, which only schedules here).
   */
  public void notifyListeners(java.util.function.Consumer<LifecycleListener> call) {
    if (recovery != null) {
      call.accept(recovery.healthListener());
    }
    states.tellListeners(call);
  }

  // ---------------------------------------------------------------------------------------------
  // Startup

  /** See {@code Ordo.start()}. */
  public void start() {
    start(false);
  }

  /**
   * See {@code Ordo.start()} and {@code Ordo.run()}.
   *
   * @param signalsUnlessRefused handle SIGTERM and SIGINT unless {@code ordo.shutdown.on-signal}
   *     was set to false (by {@code run()}); otherwise only when it was set to true
   */
  public void start(boolean signalsUnlessRefused) {
    if (settings.gracePeriod != null && states.state() == ApplicationState.NEW) {
      GracePeriodCheck.check(graph, settings); // immutable data; logs (outside the lock) at most one line
    }
    StartupScheduler run;
    Deadlines watch;
    synchronized (lock) {
      if (states.state() != ApplicationState.NEW || shutdown != null) {
        throw new IllegalStateException("Application " + name + " cannot start: it is " + states.state()
            + (shutdown != null ? " (a shutdown was requested)" : " (it was started before)"));
      }
      for (Runnable r : onStart) {
        r.run(); // the probes answer from here on, through startup and shutdown
      }
      startTime = Instant.now();
      startNanos = System.nanoTime();
      timeline.begin(startNanos, startTime);
      deadlines = new Deadlines();
      pool = new WorkerPool(name + "-worker-", Math.max(1, Math.min(settings.threads(), graph.size())), callbacks,
          this::engineFailed, deadlines::wakeDrivers);
      deadlines.watchStalls(pool);
      invoker = new HookInvoker(deadlines);
      run = new StartupScheduler(graph, nodes, pool, invoker, deadlines, Nanos.of(settings.startupTimeout),
          transitions, timeline);
      startup = run;
      watch = deadlines;
      startDriving = true;
      if (signalsUnlessRefused ? settings.shutdownOnSignalUnlessRefused() : settings.shutdownOnSignal()) {
        signals = SignalHandling.install(name, callbacks, this::onJvmExit, this::onSignal);
      }
      states.setLocked(ApplicationState.NEW, ApplicationState.STARTING);
    }
    states.observe(ApplicationState.NEW, ApplicationState.STARTING);
    run.begin();
    String interruptedWhy = null;
    while (true) {
      Deadlines.Outcome o = watch.drive(() -> run.settled() || run.criticalFailed() || shutdownRequested(),
          Nanos.NO_LIMIT);
      if (o != Deadlines.Outcome.INTERRUPTED) {
        break;
      }
      interruptedWhy = "the thread in start() was interrupted";
      run.abandon(interruptedWhy);
      requestShutdown(ShutdownReason.STARTUP_FAILURE);
    }
    watch.purgeEnded();
    timeline.phase(RunTimeline.STARTUP_ENDED, System.nanoTime());
    boolean runSequence;
    boolean byShutdown;
    CompletableFuture<ShutdownReport> f;
    synchronized (lock) {
      startDriving = false;
      if (shutdown == null && run.settled() && !run.criticalFailed()) {
        states.setLocked(ApplicationState.STARTING, ApplicationState.RUNNING);
        f = null;
        runSequence = false;
        byShutdown = false;
      } else {
        byShutdown = shutdown != null && shutdownReason != ShutdownReason.STARTUP_FAILURE;
        f = requestLocked(ShutdownReason.STARTUP_FAILURE);
        runSequence = !sequenceClaimed;
        sequenceClaimed = true;
      }
    }
    if (f == null) {
      if (recovery != null) {
        // RUNNING: what failed at startup is retried from now on (a shutdown requested meanwhile
        // has closed the recovery, and this does nothing). Before the observers hear of RUNNING,
        // so that the first health results, which may restart a component, find it active.
        recovery.activate(pool(), invoker(), watch);
      }
      states.observe(ApplicationState.STARTING, ApplicationState.RUNNING);
      if (interruptedWhy != null) {
        Thread.currentThread().interrupt();
      }
      LOG.log(Level.INFO, () -> "Started " + nodes.length + " components in " + Durations.format(uptime())
          + (degraded.get() == 0 ? "" : "; degraded: " + degradedNames()));
      writeReport("startup");
      return;
    }
    deadlines.wakeDrivers();
    if (runSequence) {
      runSequence(f);
    }
    ShutdownReport report = joinUninterruptibly(f);
    if (interruptedWhy != null) {
      Thread.currentThread().interrupt();
    }
    Map<String, Throwable> failures = failures();
    String rollback = describeRollback(report);
    if (byShutdown) {
      throw new StartupFailedException("Startup was interrupted by a shutdown (" + report.reason() + "); "
          + rollback + (failures.isEmpty() ? "" : " " + describeFailures(failures)), failures, true, report);
    }
    if (interruptedWhy != null) {
      throw new StartupFailedException("Startup was interrupted (" + interruptedWhy + ") and nothing more"
          + " was started; " + rollback + (failures.isEmpty() ? "" : " " + describeFailures(failures)),
          failures, false, report);
    }
    LOG.log(Level.ERROR, "Startup failed; rolled back: " + report);
    throw new StartupFailedException("Startup failed; " + rollback + " " + describeFailures(failures),
        failures, false, report);
  }

  private Map<String, Throwable> failures() {
    Map<String, Throwable> failures = new LinkedHashMap<>();
    for (int i : graph.order) {
      ComponentStatus s = nodes[i].snapshot(stops);
      if (s.state() == ComponentState.FAILED
          || (s.state() == ComponentState.SKIPPED && s.component().critical())) {
        failures.put(s.name(), s.failure());
      }
    }
    return failures;
  }

  private static String describeFailures(Map<String, Throwable> failures) {
    StringBuilder s = new StringBuilder();
    s.append(failures.size() == 1 ? "1 component failed:" : failures.size() + " components failed:");
    failures.forEach((component, cause) -> s.append("\n  ").append(component).append(": ").append(cause));
    return s.toString();
  }

  private static String describeRollback(ShutdownReport report) {
    if (report.clean() && !report.budgetExceeded()) {
      return "every started component was stopped again.";
    }
    StringBuilder s = new StringBuilder("the rollback did not stop everything cleanly");
    if (!report.abandoned().isEmpty()) {
      s.append(" (abandoned: ").append(String.join(", ", report.abandoned())).append(")");
    }
    if (!report.failed().isEmpty()) {
      s.append(" (stop failed: ").append(String.join(", ", report.failed())).append(")");
    }
    return s.append("; see rollbackReport().").toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Shutdown requests

  /** See {@code Ordo.stop()}: {@code null} when called on a thread of this application's callbacks. */
  public ShutdownReport stop() {
    CompletableFuture<ShutdownReport> f = requestShutdown(ShutdownReason.MANUAL);
    if (LifecycleThreads.isCallbackThreadOf(callbacks)) {
      runSequenceElsewhereIfUnclaimed(f);
      return f.getNow(null);
    }
    if (claimSequence()) {
      runSequence(f);
    }
    return joinUninterruptibly(f);
  }

  /** See {@code Ordo.stopAsync()}. */
  public CompletableFuture<ShutdownReport> stopAsync() {
    CompletableFuture<ShutdownReport> f = requestShutdown(ShutdownReason.MANUAL);
    runSequenceElsewhereIfUnclaimed(f);
    return f;
  }

  /** See {@code Ordo.awaitShutdown()}. */
  public ShutdownReport awaitShutdown() throws InterruptedException {
    if (LifecycleThreads.isCallbackThreadOf(callbacks)) {
      throw new IllegalStateException("awaitShutdown() on a thread that runs this application's hooks or"
          + " listeners would wait for itself; use stopAsync() or a thread of your own");
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
    } catch (ExecutionException e) {
      throw new IllegalStateException("The shutdown failed", e.getCause());
    }
  }

  /**
   * The engine itself failed (a throwable escaped its own code, not a hook's): nothing it does
   * from here can be trusted to finish, so the application shuts down with reason ERROR.
   */
  void engineFailed(Throwable error) {
    LOG.log(Level.ERROR, "Unrecoverable error in the Ordo engine; shutting down", error);
    runSequenceElsewhereIfUnclaimed(requestShutdown(ShutdownReason.ERROR));
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
        + Durations.format(settings.shutdownTimeout()));
    exitAfterSignal = true;
    CompletableFuture<ShutdownReport> f = requestShutdown(ShutdownReason.SIGNAL);
    if (claimSequence()) {
      runSequence(f);
    }
    System.exit(joinUninterruptibly(f).exitCode());
  }

  /** The JVM began to exit (System.exit, last thread, or a signal not handled directly). */
  private void onJvmExit() {
    if (exitAfterSignal) {
      return;
    }
    CompletableFuture<ShutdownReport> f = requestShutdown(ShutdownReason.SIGNAL);
    if (claimSequence()) {
      runSequence(f);
    }
    joinUninterruptibly(f);
  }

  private boolean shutdownRequested() {
    synchronized (lock) {
      return shutdown != null;
    }
  }

  /** Requests the shutdown once; later calls get the first one's future. */
  private CompletableFuture<ShutdownReport> requestShutdown(ShutdownReason reason) {
    CompletableFuture<ShutdownReport> f;
    boolean neverStarted;
    Deadlines watch;
    synchronized (lock) {
      if (shutdown != null) {
        return shutdown;
      }
      neverStarted = states.state() == ApplicationState.NEW;
      f = requestLocked(reason);
      if (neverStarted) {
        sequenceClaimed = true;
        states.setSilently(ApplicationState.STOPPED); // told, after the report, in stopNeverStarted()
      }
      watch = deadlines;
    }
    if (neverStarted) {
      stopNeverStarted(f, reason);
    } else if (watch != null) {
      watch.wakeDrivers(); // the thread in start() notices, and no further component starts
    }
    return f;
  }

  @GuardedBy("lock")
  private CompletableFuture<ShutdownReport> requestLocked(ShutdownReason reason) {
    if (shutdown == null) {
      shutdown = new CompletableFuture<>();
      shutdownReason = reason;
      shutdownBegan = System.nanoTime();
      if (recovery != null) {
        recovery.close(); // no retry or restart from now on; never blocks
      }
      if (startup != null) {
        startup.abandon(reason == ShutdownReason.STARTUP_FAILURE
            ? "a critical component failed" : "shutdown requested (" + reason + ")");
      }
      lock.notifyAll();
    }
    return shutdown;
  }

  /** Whether the caller is the one to run the sequence (false while start() will run it). */
  private boolean claimSequence() {
    synchronized (lock) {
      if (sequenceClaimed || startDriving) {
        return false;
      }
      sequenceClaimed = true;
      return true;
    }
  }

  private void runSequenceElsewhereIfUnclaimed(CompletableFuture<ShutdownReport> f) {
    if (claimSequence()) {
      Thread t = new Thread(LifecycleThreads.marked(callbacks, () -> runSequence(f)), name + "-shutdown");
      t.setDaemon(false);
      t.start();
    }
  }

  private void stopNeverStarted(CompletableFuture<ShutdownReport> f, ShutdownReason reason) {
    long deadline = Nanos.deadline(System.nanoTime(), Nanos.of(settings.shutdownTimeout));
    events.finish(ApplicationState.NEW, ApplicationState.STOPPED, reason, Duration.ZERO,
        deadline == Nanos.NO_LIMIT ? System.nanoTime() + Long.MAX_VALUE / 4 : deadline);
    drain.startDraining();
    ShutdownReport report = new ShutdownReport(reason, Duration.ZERO, settings.shutdownTimeout(), false,
        components(), List.of(), List.of(), 0, 0);
    // The report first, the final state last, as after any shutdown.
    states.tellListeners(l -> l.shutdownCompleted(report));
    states.tellListeners(l -> l.applicationStateChanged(ApplicationState.NEW, ApplicationState.STOPPED));
    states.observeShutdown(report);
    states.observe(ApplicationState.NEW, ApplicationState.STOPPED);
    states.awaitListenersAndClose(deadline, Nanos.earlier(deadline, System.nanoTime() + ShutdownSequence.GRACE_NANOS));
    synchronized (lock) {
      sequenceOver = true;
    }
    f.complete(report);
  }

  private void runSequence(CompletableFuture<ShutdownReport> f) {
    try {
      ShutdownReport report = shutdownSequence();
      writeReport("shutdown");
      f.complete(report);
    } catch (Throwable t) {
      LOG.log(Level.ERROR, "Shutdown failed", t);
      f.completeExceptionally(t);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The shutdown sequence and the views

  private ShutdownReport shutdownSequence() {
    ShutdownSequence sequence;
    synchronized (lock) {
      sequence = new ShutdownSequence(shutdownReason, shutdownBegan, settings, graph, nodes, stops, startup, recovery,
          deadlines, pool, invoker, drain, events, states, transitions, new ShutdownSequence.Application() {
            @Override
            public void stopPhaseBegan(StopScheduler stop) {
              synchronized (lock) {
                stopPhase = stop;
              }
            }

            @Override
            public void sequenceOver() {
              sequenceOver = true; // under the monitor, with the final state
            }

            @Override
            public List<ComponentStatus> components() {
              return Engine.this.components();
            }

            @Override
            public SignalHandling signals() {
              synchronized (lock) {
                return signals;
              }
            }
          }, timeline);
    }
    return sequence.run();
  }

  @Override
  public ApplicationState state() {
    return states.state();
  }

  /** A snapshot of the run's timeline (see {@code Ordo.timeline()}); takes no lock. */
  public dev.ordo.runtime.Timeline timeline() {
    return timeline.snapshot(graph, nodes);
  }

  /**
   * Where to write the timeline after startup and after shutdown ({@code null}: nowhere). Called
   * once, by the facade that builds the application, before {@link #start()}.
   */
  public void reportTo(ReportFile file) {
    this.reportFile = file;
  }

  /**
   * Records the first run of {@code component}'s health checks. The health monitor calls it on its
   * check threads, after each run; lock-free, and only the first run of each component counts
   * (first write wins).
   */
  @Override
  public void healthCheckRan(ComponentDescriptor component, long beganNanos, long endedNanos, boolean up,
      boolean timedOut) {
    Integer found = checked.get(component);
    int index = found == null ? -1 : found;
    if (index < 0 || !timeline.begun() || timeline.hasEnded(index, RunTimeline.CHECK)) {
      return;
    }
    timeline.ready(index, RunTimeline.CHECK, beganNanos, -1);
    timeline.began(index, RunTimeline.CHECK, beganNanos);
    timeline.ended(index, RunTimeline.CHECK, endedNanos, up ? dev.ordo.runtime.Timeline.Outcome.OK
        : timedOut ? dev.ordo.runtime.Timeline.Outcome.TIMED_OUT : dev.ordo.runtime.Timeline.Outcome.FAILED);
  }

  /**
   * Writes the timeline to the report file, if one is configured: on the thread in {@code start()}
   * once RUNNING, and on the thread that ran the shutdown sequence before the shutdown's future
   * completes. Never throws: a failure to write is logged ({@link ReportFile#write}).
   */
  private void writeReport(String after) {
    ReportFile file = reportFile;
    if (file != null) {
      file.write(timeline(), after);
    }
  }

  @Override
  public List<ComponentStatus> components() {
    List<ComponentStatus> list = new ArrayList<>(nodes.length);
    for (int i : graph.order) {
      list.add(snapshot(i));
    }
    return Collections.unmodifiableList(list);
  }

  private ComponentStatus snapshot(int i) {
    return recovery == null ? nodes[i].snapshot(stops) : nodes[i].snapshot(stops, recovery.status(i));
  }

  /** The status of every instance of class {@code type}, in startup order (empty: none). */
  public List<ComponentStatus> components(Class<?> type) {
    List<ComponentStatus> list = new ArrayList<>(1);
    for (int i : graph.order) {
      if (nodes[i].descriptor().type() == type) {
        list.add(snapshot(i));
      }
    }
    return list;
  }

  /**
   * The status of the instance of class {@code type} with the instance key {@code key}
   * ({@code null}: the one without a key), or {@code null}.
   */
  public ComponentStatus component(Class<?> type, String key) {
    for (ComponentNode n : nodes) {
      ComponentDescriptor d = n.descriptor();
      if (d.type() == type && java.util.Objects.equals(d.instanceKey(), key)) {
        return snapshot(n.index);
      }
    }
    return null;
  }

  /** The components in the order they are started: each after all its dependencies. */
  public List<ComponentDescriptor> startupOrder() {
    List<ComponentDescriptor> list = new ArrayList<>(nodes.length);
    for (int i : graph.order) {
      list.add(nodes[i].descriptor());
    }
    return Collections.unmodifiableList(list);
  }

  /** Whether some optional component failed or was skipped, or is being retried or restarted. */
  public boolean isDegraded() {
    return degraded.get() > 0;
  }

  private List<String> degradedNames() {
    List<String> names = new ArrayList<>();
    for (ComponentNode n : nodes) {
      ComponentStatus s = n.snapshot(stops);
      if (s.degraded()) {
        names.add(s.name() + " " + s.state());
      }
    }
    return names;
  }

  /** The most hooks that may run at once. */
  public int parallelism() {
    return Math.max(1, Math.min(settings.threads(), graph.size()));
  }

  @Override
  public long inFlight() {
    return drain.inFlight();
  }

  public Instant startTime() {
    return startTime;
  }

  @Override
  public Duration uptime() {
    return startTime == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - startNanos);
  }

  public RuntimeSettings settings() {
    return settings;
  }

  private static ShutdownReport joinUninterruptibly(CompletableFuture<ShutdownReport> f) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          throw new IllegalStateException("The shutdown failed", e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "Ordo[" + name + ", " + states.state() + ", " + nodes.length + " components]";
  }

  private WorkerPool pool() {
    synchronized (lock) {
      return pool;
    }
  }

  private HookInvoker invoker() {
    synchronized (lock) {
      return invoker;
    }
  }

  /** Logs the schedulers' decisions and passes them to observers and listeners. */
  private final class EngineTransitions implements Transitions {
    @Override
    public void componentChanged(
        ComponentNode node, ComponentState from, ComponentState to, long tookNanos, Throwable cause) {
      boolean failure = to == ComponentState.FAILED || to == ComponentState.SKIPPED;
      if (failure) {
        ComponentDescriptor d = node.descriptor();
        if (to == ComponentState.FAILED) {
          LOG.log(Level.WARNING, d.name() + " failed to start"
              + (d.critical() ? " (critical)" : recovery != null && recovery.status(node.index) != null
                  ? " (optional: the application degrades while it is retried)"
                  : " (optional: the application degrades)"), cause);
        } else {
          LOG.log(Level.WARNING, d.name() + " skipped: " + cause.getMessage());
        }
      }
      report(node, from, to, tookNanos, cause);
    }

    @Override
    public void recoveryChanged(
        ComponentNode node, ComponentState from, ComponentState to, long tookNanos, Throwable cause) {
      report(node, from, to, tookNanos, cause);
    }

    private void report(ComponentNode node, ComponentState from, ComponentState to, long tookNanos, Throwable cause) {
      ComponentDescriptor d = node.descriptor();
      if (!d.critical()) {
        // A restart's stop (the only RUNNING -> STOPPING a recovery decides) degrades as a failure does.
        boolean down = to == ComponentState.FAILED || to == ComponentState.SKIPPED
            || (to == ComponentState.STOPPING && states.state() == ApplicationState.RUNNING && recovery != null);
        if (down) {
          if (node.markDegraded(true)) {
            degraded.incrementAndGet();
          }
        } else if (to == ComponentState.RUNNING && degraded.get() > 0 && node.markDegraded(false)) {
          degraded.decrementAndGet();
        }
      }
      if (recovery != null && (to == ComponentState.FAILED || to == ComponentState.SKIPPED)) {
        recovery.unavailable(node, to, cause);
      }
      states.componentChanged(d, from, to, tookNanos, cause);
    }

    @Override
    public void componentRecovered(ComponentNode node, ComponentRecovery recovery) {
      states.componentRecovered(recovery);
    }

    @Override
    public void startEndedLate(ComponentNode node, Throwable error) {
      if (recovery != null && recovery.startEndedLate(node, error)) {
        return;
      }
      node.startHookReturned();
      if (error == null && node.markLateStarted()) {
        // The stop phase has passed it already: the hook did complete, so what it opened is
        // closed now rather than never.
        lateStartAfterStopPhase(node);
      }
    }

    @Override
    public void startSettledForStop(ComponentNode node) {
      StopScheduler s;
      synchronized (lock) {
        s = stopPhase;
      }
      if (s != null) {
        s.startSettled(node);
      }
    }

    @Override
    public void lateStartAfterStopPhase(ComponentNode node) {
      ComponentDescriptor d = node.descriptor();
      long own = d.shutdownTimeout() != null ? Nanos.of(d.shutdownTimeout()) : Nanos.of(settings.componentShutdownTimeout);
      LOG.log(Level.WARNING, () -> d.name() + " finished starting after its timeout and after the shutdown"
          + " passed it; stopping it now");
      HookInvoker.Outcome log = (error, tookNanos, timedOut) -> {
        if (timedOut || error != null) {
          LOG.log(Level.WARNING, "Stopping " + d.name() + " after its late start "
              + (timedOut ? "did not finish in time" : "failed"), error);
        }
      };
      boolean watched;
      HookInvoker hooks;
      WorkerPool workers;
      long stopDeadline;
      synchronized (lock) {
        watched = !sequenceOver && stopPhase != null;
        hooks = invoker;
        workers = pool;
        stopDeadline = stopPhase == null ? Nanos.NO_LIMIT : stopPhase.deadline();
      }
      if (watched) {
        long deadline = Nanos.earlier(Nanos.deadline(System.nanoTime(), own), stopDeadline);
        HookContext context = new HookContext(d.name(), LifecycleContext.Phase.SHUTDOWN, deadline, () -> false);
        workers.execute(() -> hooks.invoke(() -> ResourceHooks.stop(node.controller, context), deadline, log, d.name(),
            LifecycleContext.Phase.SHUTDOWN));
      } else {
        // The shutdown is over: nobody watches a deadline any more. The thread that completed the
        // start, which is no longer the engine's, closes what it opened.
        HookContext context = new HookContext(d.name(), LifecycleContext.Phase.SHUTDOWN, HookContext.NO_LIMIT, () -> false);
        HookInvoker.invokeUnwatched(() -> ResourceHooks.stop(node.controller, context), log);
      }
    }
  }
}
