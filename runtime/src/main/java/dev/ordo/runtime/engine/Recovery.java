package dev.ordo.runtime.engine;

import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.ComponentDescriptor.HealthCheckDescriptor;
import dev.ordo.runtime.ComponentRecovery;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.Durations;
import dev.ordo.runtime.Health;
import dev.ordo.runtime.HealthCheckFailedException;
import dev.ordo.runtime.HookTimeoutException;
import dev.ordo.runtime.LifecycleContext;
import dev.ordo.runtime.LifecycleListener;
import dev.ordo.runtime.RetryPolicy;
import dev.ordo.runtime.RetryStatus;
import dev.ordo.runtime.health.CheckResult;
import dev.ordo.runtime.internal.HookContext;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * Heals an application's optional components while it runs: it retries failed starts with
 * exponential backoff ({@link RetryPolicy}), starts the components that were skipped for a
 * component once it recovers (in dependency order), and restarts a running component whose
 * {@code restart} health check turned DOWN (its stop hook, then its start hook, with the same
 * backoff). Exists only when some component has a retry policy; costs nothing otherwise.
 *
 * <h2>When</h2>
 * Nothing is retried while the application starts: the first retries are scheduled when it is
 * RUNNING ({@link #activate}), each due {@code initial} after its failure (at once when that has
 * passed). The shutdown's request {@linkplain #close closes} it: no attempt is scheduled or begun
 * from then on, pending ones are cancelled, and attempts in progress see
 * {@link LifecycleContext#isCancelled()} at once; the shutdown treats them as it treats starts in
 * progress during a startup (the stop phase waits for them until the time a shutdown leaves starts,
 * then {@link #abandonStarting abandons} them), and a component that recovered is stopped in
 * reverse order like any other.
 *
 * <h2>One attempt at a time</h2>
 * An attempt never begins while a start hook of the component still runs (one that passed its
 * timeout and ignored the interrupt): it waits until that hook ends. Such a hook that ends in
 * success makes the component RUNNING after all (FAILED → RUNNING): it did start, and starting it a
 * second time would open what it opened twice.
 *
 * <h2>Threads and locks</h2>
 * <ul>
 *   <li>{@link #activate} runs on the thread in {@code start()}, after the application is RUNNING;
 *       {@link #close} under the engine's monitor when a shutdown is requested (it takes only this
 *       object's monitor and never blocks); {@link #abandonStarting} on the thread that drives
 *       the shutdown's deadlines.
 *   <li>Attempts, restarts and the starts of skipped dependents run on the application's
 *       {@link WorkerPool}, never on the caller's thread; their ends arrive on whatever thread ends a
 *       hook. Due attempts are handed to the pool by whoever drives the {@link Deadlines}: the
 *       recovery thread ({@code ordo-N-recovery-1}), started only while some attempt is pending or
 *       in progress and ended when none is, or at the shutdown, which waits for it to be gone.
 *   <li>{@link #heardHealth} runs on the health monitor's thread that delivers a check's change
 *       (under the monitor's delivery lock): it only schedules. {@link #unavailable} runs on the
 *       thread that decided a failure or a skip; {@link #status} on any thread that reads
 *       {@code components()}.
 *   <li>This object's monitor guards the per-component records and is held only for bookkeeping,
 *       and for the node changes that must be atomic with the shutdown's request (node monitors
 *       are taken inside it, never the other way round). It is never held while calling a hook,
 *       a listener or observer (transitions), the logger, the pool or the clock; under it the
 *       drivers of the deadlines are at most unparked. So no lock of the engine, the health
 *       monitor or a listener is ever taken while it is held, and a hook or listener that blocks
 *       or throws holds up nothing here.
 * </ul>
 */
final class Recovery {
  private static final System.Logger LOG = Engine.LOG;
  private static final long NONE = Long.MIN_VALUE;
  /** Each delay is varied by up to this fraction either way, never past the policy's max. */
  static final double JITTER = 0.2;

  /** What a scheduled attempt does. */
  private enum Kind {
    /** Start a FAILED (or SKIPPED) component again. */
    RETRY,
    /** Stop a RUNNING component, then start it. */
    RESTART
  }

  /** One component's self-healing; guarded by the recovery's monitor. */
  private static final class Record {
    final RetryPolicy policy;
    /** The names of its checks that restart it (empty: none). */
    final Set<String> restartChecks;
    /** Of those, the ones DOWN now. */
    final Set<String> downChecks = new HashSet<>(2);
    /** Since when every restart check has been UP ({@link #NONE}: one is DOWN, or none reported). */
    long healthySince = NONE;
    /** Attempts in the current row (retries and restarts). */
    int attempts;
    boolean exhausted;
    int recoveries;
    Kind kind;
    /** A timer is pending for {@link #dueAt}. */
    boolean scheduled;
    long dueAt;
    HookInvoker.Scheduled timer;
    /** Due, but a start hook of the component still runs: the attempt begins when it ends. */
    boolean waitingForHook;
    /** An attempt, a restart or a start after a dependency's recovery runs now. */
    boolean inProgress;
    /** Counted in {@link #busy}. */
    boolean busy;
    /** The unavailability being healed: since when, why, how it began, how many starts so far. */
    long downSince = NONE;
    Throwable downCause;
    ComponentRecovery.Reason reason;
    int startAttempts;
    Throwable restartCause;

    Record(RetryPolicy policy, Set<String> restartChecks) {
      this.policy = policy;
      this.restartChecks = restartChecks;
    }
  }

  private final ComponentGraph graph;
  private final ComponentNode[] nodes;
  /** Where a restart's stop is recorded ({@link ComponentNode#stopEnded}). */
  private final StopRecords stops;
  private final Engine.Transitions transitions;
  private final RecoveryClock testClock;
  private final long defaultStartTimeout;
  private final long defaultStopTimeout;
  /** Makes the recovery thread; the shutdown waits until it is gone. */
  private final OwnedThreads threads;
  /** The components with restart checks, by name. */
  private final Map<String, Integer> restartable = new HashMap<>();
  private final LifecycleListener healthListener = new LifecycleListener() {
    @Override
    public void healthCheckChanged(Health.Status from, CheckResult to) {
      heardHealth(to);
    }
  };

  @GuardedBy("this") private final Record[] records;
  @GuardedBy("this") private boolean active;
  /** Written under the monitor; read without it by hooks' contexts and the recovery thread. */
  private volatile boolean closed;
  /** Records at work (an attempt pending or in progress): the recovery thread runs while any is. */
  private volatile int busy;
  @GuardedBy("this") private boolean driving;
  /** Components still SKIPPED: once none is, a recovery looks for no dependent to start. */
  @GuardedBy("this") private int skipped;
  private volatile boolean startsAbandoned;
  @GuardedBy("this") private WorkerPool pool;
  @GuardedBy("this") private HookInvoker invoker;
  @GuardedBy("this") private Deadlines deadlines;

  /**
   * @param policies the policy of each component, {@code null} where none is in force
   * @param testClock the clock of a test, or {@code null} for the real one
   */
  Recovery(String name, Object owner, ComponentGraph graph, ComponentNode[] nodes, StopRecords stops, RetryPolicy[] policies,
      RecoveryClock testClock, Engine.Transitions transitions, long defaultStartTimeout, long defaultStopTimeout) {
    this.graph = graph;
    this.nodes = nodes;
    this.stops = stops;
    this.transitions = transitions;
    this.testClock = testClock;
    this.defaultStartTimeout = defaultStartTimeout;
    this.defaultStopTimeout = defaultStopTimeout;
    this.threads = new OwnedThreads(name + "-recovery-", owner);
    this.records = new Record[nodes.length];
    for (int i = 0; i < nodes.length; i++) {
      if (policies[i] == null) {
        continue;
      }
      Set<String> checks = new HashSet<>();
      for (HealthCheckDescriptor c : nodes[i].descriptor().healthChecks()) {
        if (c.restart()) {
          checks.add(c.name());
        }
      }
      records[i] = new Record(policies[i], checks);
      if (!checks.isEmpty()) {
        restartable.put(nodes[i].descriptor().name(), i);
      }
    }
  }

  /** Whether any component of {@code policies} has a policy: else no recovery is needed. */
  static boolean needed(RetryPolicy[] policies) {
    for (RetryPolicy p : policies) {
      if (p != null) {
        return true;
      }
    }
    return false;
  }

  private long now() {
    return testClock != null ? testClock.nanoTime() : System.nanoTime();
  }

  /** The listener of health changes that restarts components (called inline, never blocks). */
  LifecycleListener healthListener() {
    return healthListener;
  }

  // ---------------------------------------------------------------------------------------------
  // What the engine tells

  /**
   * A component became unavailable (FAILED or SKIPPED), at startup or later: an unavailability
   * begins unless one is being healed already. Called outside every lock, on the thread that
   * decided the change.
   */
  void unavailable(ComponentNode node, ComponentState to, Throwable cause) {
    long now = now();
    synchronized (this) {
      Record r = recordOf(node.index);
      if (r.downSince == NONE) {
        r.downSince = now;
        r.downCause = cause;
        r.reason = to == ComponentState.SKIPPED ? ComponentRecovery.Reason.DEPENDENCY : ComponentRecovery.Reason.RETRY;
        r.startAttempts = to == ComponentState.FAILED ? 1 : 0;
      } else if (to == ComponentState.FAILED && r.reason == ComponentRecovery.Reason.DEPENDENCY) {
        r.reason = ComponentRecovery.Reason.RETRY; // its own start failed since
      }
    }
  }

  /**
   * The application is RUNNING: schedules the first retry of every component whose start failed
   * (due {@code initial} after its failure, at once when that has passed), and recovers those whose
   * start completed after its timeout.
   */
  void activate(WorkerPool pool, HookInvoker invoker, Deadlines deadlines) {
    List<Integer> lateStarted = new ArrayList<>();
    List<Runnable> schedule = new ArrayList<>();
    synchronized (this) {
      if (closed || active) {
        return;
      }
      active = true;
      this.pool = pool;
      this.invoker = invoker;
      this.deadlines = deadlines;
      for (ComponentNode node : nodes) {
        if (node.state() == ComponentState.SKIPPED) {
          skipped++;
        }
      }
      for (int i = 0; i < records.length; i++) {
        Record r = records[i];
        if (r == null || r.policy == null || nodes[i].state() != ComponentState.FAILED) {
          continue;
        }
        if (nodes[i].recoverLateStart()) {
          lateStarted.add(i);
        } else {
          Runnable s = scheduleLocked(i, Kind.RETRY, r.downSince == NONE ? now() : r.downSince);
          if (s != null) {
            schedule.add(s);
          }
        }
      }
    }
    for (int i : lateStarted) {
      recoveredLate(i);
    }
    for (Runnable s : schedule) {
      s.run();
    }
    ensureDriver();
  }

  /**
   * The shutdown was requested: no attempt is scheduled or begun from now on, and pending ones are
   * cancelled. Attempts in progress see their context cancelled. Called under the engine's monitor.
   */
  void close() {
    List<HookInvoker.Scheduled> timers = new ArrayList<>();
    Deadlines watch;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      for (Record r : records) {
        if (r == null) {
          continue;
        }
        if (r.timer != null) {
          timers.add(r.timer);
          r.timer = null;
        }
        r.scheduled = false;
        r.waitingForHook = false;
        refreshBusy(r);
      }
      watch = deadlines;
    }
    for (HookInvoker.Scheduled t : timers) {
      t.cancel(); // a Deadline's cancel only clears a reference; a test clock's only forgets the action
    }
    if (watch != null) {
      watch.wakeDrivers(); // the recovery thread sees the close and ends
    }
  }

  /** Whether an attempt, a restart or a start of a dependent runs now. */
  synchronized boolean inProgress() {
    for (Record r : records) {
      if (r != null && r.inProgress) {
        return true;
      }
    }
    return false;
  }

  /** Whether the shutdown abandoned a start that this recovery began. */
  boolean startsAbandoned() {
    return startsAbandoned;
  }

  /**
   * The part of the shutdown budget that starts in progress may use has passed: the components
   * this recovery is starting are FAILED now and their hooks' threads interrupted, as the startup's
   * are ({@link StartupScheduler#abandonStarting}); a start that completes later is stopped then.
   */
  void abandonStarting(Duration allowed, String limit) {
    List<Integer> starting = new ArrayList<>();
    List<Integer> betweenStopAndStart = new ArrayList<>();
    synchronized (this) {
      for (int i = 0; i < records.length; i++) {
        if (records[i] == null || !records[i].inProgress) {
          continue;
        }
        ComponentState state = nodes[i].state();
        if (state == ComponentState.STARTING) {
          starting.add(i);
        } else if (state == ComponentState.STOPPED && nodes[i].abandonRestart()) {
          // A restart whose stop hook passed its timeout and has not returned: it never starts, and
          // the stop phase no longer waits for it.
          betweenStopAndStart.add(i);
        }
      }
    }
    for (int i : betweenStopAndStart) {
      resumeStop(nodes[i]);
    }
    for (int i : starting) {
      ComponentNode node = nodes[i];
      ComponentDescriptor d = node.descriptor();
      Runnable expire = node.takeStartExpiry();
      HookTimeoutException why = new HookTimeoutException(d.name(), d.startupHook(), allowed, limit);
      if (node.settleStart(ComponentState.FAILED, -1, why, false)) {
        startsAbandoned = true;
        transitions.recoveryChanged(node, ComponentState.STARTING, ComponentState.FAILED, 0, why);
        resumeStop(node);
      }
      if (expire != null) {
        expire.run(); // interrupts the hook's thread; its end, when it comes, is a late one
      }
    }
  }

  /** Waits until the recovery thread is gone, or {@code deadline}. */
  void awaitGone(long deadline) {
    threads.awaitGone(deadline);
  }

  /** Where component {@code i} stands, or {@code null} when it has no policy. */
  synchronized RetryStatus status(int i) {
    Record r = records[i];
    if (r == null || r.policy == null) {
      return null;
    }
    Instant next = null;
    if (r.scheduled) {
      next = Instant.now().plusNanos(Math.max(0, r.dueAt - now()));
    } else if (r.waitingForHook) {
      next = Instant.now();
    }
    return new RetryStatus(r.policy, r.attempts, next, r.inProgress, r.exhausted, r.recoveries);
  }

  /**
   * A start hook that had passed its timeout ended after all ({@code error}: how). Returns whether
   * this recovery took care of it (and marked the hook ended): a component with a policy, in a
   * running application, whose late success makes it RUNNING, or whose late failure lets a waiting
   * attempt begin. Otherwise the engine handles the late start as always (stopped at the shutdown).
   * The hook's end is recorded under this monitor, so that no attempt begins between it and the
   * decision.
   */
  boolean startEndedLate(ComponentNode node, Throwable error) {
    int i = node.index;
    boolean recovered = false;
    boolean dispatch = false;
    HookInvoker.Scheduled cancel = null;
    synchronized (this) {
      Record r = records[i];
      if (r == null || r.policy == null || !active || closed) {
        return false;
      }
      node.startHookReturned();
      if (error == null) {
        node.markLateStarted();
        if (!node.recoverLateStart()) {
          // Still STARTING: the timeout was decided but not yet reported; its report (failed())
          // finds the late start and recovers the component.
          return true;
        }
        recovered = true;
        cancel = r.timer;
        r.timer = null;
        r.scheduled = false;
        r.waitingForHook = false;
      } else if (r.waitingForHook) {
        r.waitingForHook = false;
        r.inProgress = true;
        dispatch = true;
      }
      refreshBusy(r);
    }
    if (cancel != null) {
      cancel.cancel();
    }
    if (recovered) {
      recoveredLate(i);
    }
    if (dispatch) {
      execute(i, Kind.RETRY);
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Scheduling

  @GuardedBy("this")
  private Record recordOf(int i) {
    Record r = records[i];
    if (r == null) {
      r = new Record(null, Set.of());
      records[i] = r;
    }
    return r;
  }

  /**
   * Counts the next attempt of component {@code i} and decides when it is due ({@code from} plus the
   * policy's delay for it); returns what logs and schedules it, to run outside the monitor (or only
   * logs that Ordo gives up, when the policy's attempts are spent), or {@code null} when the
   * recovery is closed.
   */
  @GuardedBy("this")
  private Runnable scheduleLocked(int i, Kind kind, long from) {
    Record r = records[i];
    if (closed || r.policy == null) {
      return null;
    }
    int attempt = r.attempts + 1;
    if (r.policy.attempts() > 0 && attempt > r.policy.attempts()) {
      r.exhausted = true;
      String what = kind == Kind.RESTART ? "restarting" : "retrying";
      int made = r.attempts;
      RetryPolicy policy = r.policy;
      return () -> LOG.log(Level.WARNING, () -> nodes[i].descriptor().name() + ": gave up " + what + " after " + made
          + " attempt" + (made == 1 ? "" : "s") + " in a row (" + policy + ")");
    }
    r.attempts = attempt;
    r.kind = kind;
    long delay = jittered(r.policy, attempt);
    long due = Nanos.deadline(from, delay);
    long now = now();
    if (due != Nanos.NO_LIMIT && due - now < 0) {
      due = now;
    }
    r.dueAt = due;
    r.scheduled = true;
    refreshBusy(r);
    long at = due;
    String name = nodes[i].descriptor().name();
    int limit = r.policy.attempts();
    return () -> {
      LOG.log(Level.INFO, () -> name + ": " + (kind == Kind.RESTART ? "restart" : "retry") + " " + attempt
          + (limit > 0 ? " of " + limit : "") + " in " + Durations.format(Duration.ofNanos(Math.max(0, at - now))));
      HookInvoker.Scheduled t = testClock != null ? testClock.schedule(at, () -> fire(i)) : deadlinesLocked().add(at, () -> fire(i));
      boolean cancel;
      synchronized (this) {
        cancel = closed || !r.scheduled || r.dueAt != at;
        if (!cancel) {
          r.timer = t;
        }
      }
      if (cancel) {
        t.cancel();
      }
    };
  }

  private synchronized Deadlines deadlinesLocked() {
    return deadlines;
  }

  /** The policy's delay before {@code attempt}, varied by up to {@link #JITTER} either way, never past its max. */
  static long jittered(RetryPolicy policy, int attempt) {
    long base = Nanos.of(policy.delay(attempt));
    long max = Nanos.of(policy.max());
    if (base == Nanos.NO_LIMIT) {
      return Nanos.NO_LIMIT;
    }
    double factor = 1 - JITTER + 2 * JITTER * ThreadLocalRandom.current().nextDouble();
    long varied = (long) Math.min((double) Long.MAX_VALUE / 2, base * factor);
    return Math.max(1, max == Nanos.NO_LIMIT ? varied : Math.min(max, varied));
  }

  /** The attempt of component {@code i} is due (on the thread that drives the clock): hand it to the pool. */
  private void fire(int i) {
    Kind kind;
    synchronized (this) {
      Record r = records[i];
      if (closed || !r.scheduled) {
        return;
      }
      r.scheduled = false;
      r.timer = null;
      kind = r.kind;
      if (kind == Kind.RETRY && nodes[i].startHookRunning()) {
        r.waitingForHook = true; // begins when that hook ends (startEndedLate)
        refreshBusy(r);
        return;
      }
      r.inProgress = true;
      refreshBusy(r);
    }
    execute(i, kind);
  }

  private void execute(int i, Kind kind) {
    WorkerPool workers;
    synchronized (this) {
      workers = pool;
    }
    workers.execute(kind == Kind.RESTART ? () -> restart(i) : () -> retry(i));
  }

  /** Whether record {@code r} is at work, counted in {@link #busy}; wakes the drivers when none is. */
  @GuardedBy("this")
  private void refreshBusy(Record r) {
    boolean b = r.scheduled || r.inProgress || r.waitingForHook;
    if (b != r.busy) {
      r.busy = b;
      busy += b ? 1 : -1;
      if (busy == 0 && deadlines != null) {
        deadlines.wakeDrivers(); // only unparks: the recovery thread sees nothing left and ends
      }
    }
  }

  /**
   * Starts the recovery thread when some record is at work and none runs: it drives the
   * {@link Deadlines} (the attempts' timers and the hooks' timeouts) until no record is at work or
   * the recovery is closed. A test clock schedules attempts itself, but the hooks' timeouts still
   * need the thread.
   */
  private void ensureDriver() {
    Deadlines watch;
    synchronized (this) {
      if (closed || driving || busy == 0 || deadlines == null) {
        return;
      }
      driving = true;
      watch = deadlines;
    }
    threads.newThread(() -> drive(watch)).start();
  }

  private void drive(Deadlines watch) {
    BooleanSupplier idle = () -> closed || busy == 0;
    while (true) {
      watch.drive(idle, Nanos.NO_LIMIT); // an interrupt only makes it look again
      synchronized (this) {
        if (closed || busy == 0) {
          driving = false;
          return;
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Retries and the starts of skipped dependents

  /** On a worker: starts component {@code i} again (FAILED, or SKIPPED whose dependencies recovered). */
  private void retry(int i) {
    ComponentNode node = nodes[i];
    ComponentState from;
    boolean go;
    boolean late = false;
    synchronized (this) {
      Record r = records[i];
      from = node.state();
      go = !closed && (from == ComponentState.FAILED || from == ComponentState.SKIPPED) && node.beginRetry(from);
      if (go) {
        r.startAttempts++;
        if (from == ComponentState.SKIPPED) {
          skipped--;
        }
      } else {
        // Closed, or it changed meanwhile; or its start, which had passed its timeout, completed
        // after all between the activation and now.
        late = !closed && from == ComponentState.FAILED && node.recoverLateStart();
        r.inProgress = false;
        refreshBusy(r);
      }
    }
    if (go) {
      transitions.recoveryChanged(node, from, ComponentState.STARTING, 0, null);
      start(i);
    } else if (late) {
      recoveredLate(i);
    }
  }

  /** Calls the start hook of component {@code i}, which is STARTING. */
  private void start(int i) {
    ComponentNode node = nodes[i];
    ComponentDescriptor d = node.descriptor();
    long timeout = d.startupTimeout() != null ? Nanos.of(d.startupTimeout()) : defaultStartTimeout;
    long deadline = Nanos.deadline(System.nanoTime(), timeout);
    StartAttempt attempt = new StartAttempt(i, timeout);
    attempt.context = new HookContext(d.name(), LifecycleContext.Phase.STARTUP, deadline, attempt);
    HookInvoker hooks;
    synchronized (this) {
      hooks = invoker;
    }
    hooks.invoke(attempt, deadline, attempt, d.name(), LifecycleContext.Phase.STARTUP); // a dev.ordo.Hook event too
  }

  /** One start by this recovery: a retry, a restart's start, or the start of a skipped dependent. */
  private final class StartAttempt implements HookInvoker.Hook, HookInvoker.Outcome, BooleanSupplier {
    private final int index;
    private final long timeout;
    HookContext context;

    StartAttempt(int index, long timeout) {
      this.index = index;
      this.timeout = timeout;
    }

    @Override
    public CompletionStage<?> call() throws Exception {
      return ResourceHooks.start(nodes[index].controller, context);
    }

    /** Cancelled: the shutdown began, or this start was decided (timed out, abandoned). */
    @Override
    public boolean getAsBoolean() {
      return closed || nodes[index].state() != ComponentState.STARTING;
    }

    @Override
    public void began(Runnable expire) {
      nodes[index].startHookBegan(expire);
    }

    @Override
    public void threadHeld() {
      WorkerPool workers;
      synchronized (Recovery.this) {
        workers = pool;
      }
      workers.compensate();
    }

    @Override
    public void ended(Throwable error, long tookNanos, boolean timedOut) {
      ComponentNode node = nodes[index];
      Throwable failure = null;
      if (!timedOut && error == null) {
        if (node.settleStart(ComponentState.RUNNING, tookNanos, null, true)) {
          transitions.recoveryChanged(node, ComponentState.STARTING, ComponentState.RUNNING, tookNanos, null);
          recovered(index, tookNanos);
          resumeStop(node);
        } else {
          endedLate(null); // the shutdown abandoned it first
        }
      } else {
        Throwable why = timedOut
            ? new HookTimeoutException(node.descriptor().name(), node.descriptor().startupHook(), Nanos.toDuration(timeout))
            : error;
        if (node.settleStart(ComponentState.FAILED, tookNanos, why, !timedOut)) {
          transitions.recoveryChanged(node, ComponentState.STARTING, ComponentState.FAILED, tookNanos, why);
          resumeStop(node);
          failure = why;
        }
      }
      // Reported first, then no longer in progress: what comes next (the next attempt, the
      // dependents' starts) follows the report.
      synchronized (Recovery.this) {
        Record r = records[index];
        r.inProgress = false;
        refreshBusy(r);
      }
      if (failure != null) {
        failed(index, failure);
      }
      startSkippedDependents();
    }

    @Override
    public void endedLate(Throwable error) {
      // The engine records the hook's end atomically with what follows (see startEndedLate).
      transitions.startEndedLate(nodes[index], error);
    }
  }

  /** Component {@code i}'s start by this recovery failed with {@code why}: the next attempt, if any. */
  private void failed(int i, Throwable why) {
    String name = nodes[i].descriptor().name();
    Runnable schedule = null;
    boolean late = false;
    boolean noPolicy = false;
    boolean restart = false;
    int attempt = 0;
    synchronized (this) {
      Record r = records[i];
      if (closed) {
        return;
      }
      if (r.policy == null) {
        noPolicy = true;
      } else if (nodes[i].recoverLateStart()) {
        late = true; // its hook, which had passed its timeout, completed just before this report
      } else {
        attempt = r.attempts;
        restart = r.reason == ComponentRecovery.Reason.RESTART && r.startAttempts == 1;
        schedule = scheduleLocked(i, Kind.RETRY, now());
      }
    }
    if (noPolicy) {
      LOG.log(Level.WARNING, name + " failed to start after the components it depends on recovered"
          + " (optional, without a retry policy: it stays FAILED)", why);
    } else if (late) {
      recoveredLate(i);
    } else {
      int made = attempt;
      boolean ofRestart = restart;
      LOG.log(Level.WARNING, () -> name + ": " + (ofRestart ? "the start of its restart"
          : made == 0 ? "the start" : "retry " + made) + " failed: " + why);
      LOG.log(Level.DEBUG, () -> name + ": the failure of the start", why);
      if (schedule != null) {
        schedule.run();
        ensureDriver();
      }
    }
  }

  /** Component {@code i} is RUNNING again after {@code tookNanos} in its start: report and reset. */
  private void recovered(int i, long tookNanos) {
    ComponentNode node = nodes[i];
    ComponentRecovery recovery;
    synchronized (this) {
      Record r = recordOf(i);
      long now = now();
      ComponentRecovery.Reason reason = r.reason != null ? r.reason : ComponentRecovery.Reason.RETRY;
      Duration down = r.downSince == NONE ? Duration.ZERO : Duration.ofNanos(Math.max(0, now - r.downSince));
      recovery = new ComponentRecovery(node.descriptor(), reason, Math.max(1, r.startAttempts), down, r.downCause);
      r.recoveries++;
      r.downSince = NONE;
      r.downCause = null;
      r.reason = null;
      r.startAttempts = 0;
      r.restartCause = null;
      if (r.restartChecks.isEmpty()) {
        // Nothing can fail it again: the row is over. With restart checks the row ends only once it
        // stayed healthy for the policy's max (see heardHealth), so that a component that breaks
        // again soon after each restart backs off.
        r.attempts = 0;
        r.exhausted = false;
      }
    }
    LOG.log(Level.INFO, () -> node.descriptor().name() + " recovered (" + recovery.reason() + ", "
        + recovery.attempts() + " attempt" + (recovery.attempts() == 1 ? "" : "s") + ", unavailable for "
        + Durations.format(recovery.downtime()) + ")");
    transitions.componentRecovered(node, recovery);
  }

  /** Component {@code i}'s start, which had passed its timeout, completed after all: it is RUNNING. */
  private void recoveredLate(int i) {
    ComponentNode node = nodes[i];
    transitions.recoveryChanged(node, ComponentState.FAILED, ComponentState.RUNNING, 0, null);
    recovered(i, 0);
    startSkippedDependents();
  }

  /** A start this recovery decided settled: if the stop phase waits for it, it goes on. */
  private void resumeStop(ComponentNode node) {
    if (node.takeStopWaiter()) {
      transitions.startSettledForStop(node);
    }
  }

  /**
   * Starts the SKIPPED components whose hard dependencies all run now, in dependency order: one is
   * started when each hard dependency is RUNNING and no dependency (hard or soft) is starting or
   * about to, so that the order of a startup holds. Called after each start this recovery decided;
   * the next call goes on with the components that wait for the ones started here.
   */
  private void startSkippedDependents() {
    List<Integer> start = null;
    synchronized (this) {
      if (closed || skipped == 0) {
        return;
      }
      for (int i : graph.order) {
        if (nodes[i].state() != ComponentState.SKIPPED || (records[i] != null && records[i].inProgress)) {
          continue;
        }
        if (ready(i)) {
          Record r = recordOf(i);
          r.inProgress = true; // seen as starting by the components after it in this pass
          refreshBusy(r);
          if (start == null) {
            start = new ArrayList<>();
          }
          start.add(i);
        }
      }
    }
    if (start != null) {
      for (int i : start) {
        execute(i, Kind.RETRY);
      }
      ensureDriver();
    }
  }

  @GuardedBy("this")
  private boolean ready(int i) {
    int[] deps = graph.dependencies[i];
    for (int k = 0; k < deps.length; k++) {
      int d = deps[k];
      ComponentState s = nodes[d].state();
      boolean busyDependency = (records[d] != null && records[d].inProgress) || s == ComponentState.STARTING
          || s == ComponentState.STOPPING;
      if (busyDependency || (k < graph.hardCount[i] && s != ComponentState.RUNNING)) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Restarts

  /** A check's damped status changed (on the health monitor's delivering thread): restart, or note the health. */
  private void heardHealth(CheckResult result) {
    Integer index = restartable.get(result.component());
    if (index == null) {
      return;
    }
    int i = index;
    Runnable schedule = null;
    synchronized (this) {
      Record r = records[i];
      if (!active || closed || !r.restartChecks.contains(result.name())) {
        return;
      }
      long now = now();
      if (result.isUp()) {
        r.downChecks.remove(result.name());
        if (r.downChecks.isEmpty() && r.healthySince == NONE) {
          r.healthySince = now;
        }
        return;
      }
      long healthySince = r.healthySince;
      r.healthySince = NONE;
      r.downChecks.add(result.name());
      if (r.scheduled || r.inProgress || r.waitingForHook || nodes[i].state() != ComponentState.RUNNING) {
        return; // at work already, or not running: a retry, not a restart, is what it needs
      }
      if (healthySince != NONE && now - healthySince >= Nanos.of(r.policy.max())) {
        r.attempts = 0; // healthy long enough since the last row: a new one begins
        r.exhausted = false;
      }
      Health last = result.last();
      Object reason = last == null ? null : last.details().get("reason");
      r.restartCause = new HealthCheckFailedException(result.component(), result.name(),
          result.error() != null ? String.valueOf(result.error())
              : reason != null ? reason.toString() : last == null ? null : last.toString());
      schedule = scheduleLocked(i, Kind.RESTART, now);
    }
    if (schedule != null) {
      schedule.run();
      ensureDriver();
    }
  }

  /** On a worker: stops component {@code i}, then starts it. */
  private void restart(int i) {
    ComponentNode node = nodes[i];
    Throwable cause;
    synchronized (this) {
      Record r = records[i];
      if (closed || !node.beginRestart()) {
        r.inProgress = false;
        refreshBusy(r);
        return;
      }
      r.downSince = now();
      r.downCause = r.restartCause;
      r.reason = ComponentRecovery.Reason.RESTART;
      r.startAttempts = 0;
      cause = r.restartCause;
    }
    ComponentDescriptor d = node.descriptor();
    LOG.log(Level.WARNING, () -> "Restarting " + d.name() + (cause == null ? "" : ": " + cause.getMessage()));
    transitions.recoveryChanged(node, ComponentState.RUNNING, ComponentState.STOPPING, 0, cause);
    long timeout = d.shutdownTimeout() != null ? Nanos.of(d.shutdownTimeout()) : defaultStopTimeout;
    long deadline = Nanos.deadline(System.nanoTime(), timeout);
    HookContext context = new HookContext(d.name(), LifecycleContext.Phase.SHUTDOWN, deadline, () -> false);
    HookInvoker hooks;
    synchronized (this) {
      hooks = invoker;
    }
    hooks.invoke(() -> ResourceHooks.stop(node.controller, context), deadline, new HookInvoker.Outcome() {
      @Override
      public void ended(Throwable error, long tookNanos, boolean timedOut) {
        Throwable why = timedOut ? new HookTimeoutException(d.name(), d.shutdownHook(), Nanos.toDuration(timeout)) : error;
        node.stopEnded(stops, timedOut ? -1 : tookNanos, why);
        if (why != null) {
          LOG.log(Level.WARNING, "The stop hook of " + d.name() + " " + (timedOut ? "did not finish in time" : "failed")
              + " during its restart; it is started " + (timedOut ? "once the hook returns" : "anyway"), timedOut ? null : why);
        }
        if (node.transition(ComponentState.STOPPING, ComponentState.STOPPED)) {
          transitions.recoveryChanged(node, ComponentState.STOPPING, ComponentState.STOPPED, Math.max(0, tookNanos), why);
        }
        if (!timedOut) {
          continueRestart(i);
        }
      }

      @Override
      public void endedLate(Throwable error) {
        continueRestart(i); // the stop hook that passed its timeout has returned: the start may begin
      }

      @Override
      public void threadHeld() {
        WorkerPool workers;
        synchronized (Recovery.this) {
          workers = pool;
        }
        workers.compensate();
      }
    }, d.name(), LifecycleContext.Phase.SHUTDOWN); // a dev.ordo.Hook event too
  }

  /** The restart's stop has ended: its start begins, unless the shutdown began meanwhile. */
  private void continueRestart(int i) {
    ComponentNode node = nodes[i];
    boolean go;
    synchronized (this) {
      Record r = records[i];
      go = node.continueRestart(!closed);
      if (go) {
        r.startAttempts++;
      } else {
        r.inProgress = false;
        refreshBusy(r);
      }
    }
    if (go) {
      transitions.recoveryChanged(node, ComponentState.STOPPED, ComponentState.STARTING, 0, null);
      start(i);
    } else {
      resumeStop(node);
    }
  }
}
