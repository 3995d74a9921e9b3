package dev.ordo.runtime.engine;

import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.DependencyNotRunningException;
import dev.ordo.runtime.HookTimeoutException;
import dev.ordo.runtime.LifecycleContext;
import dev.ordo.runtime.Timeline;
import dev.ordo.runtime.internal.HookContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * One startup of an application: a dependency-counting scheduler. Each component waits for a
 * count of unsettled dependencies; when the count reaches zero it is started on the worker pool,
 * or skipped when a hard dependency is not running (or the startup was abandoned). Settling a
 * component walks its dependents with an explicit work list, never by recursion.
 *
 * <p>Threads: {@link #begin} on the thread in {@code start()}; everything else on worker threads,
 * on the threads that complete asynchronous hooks, and on the threads driving the deadlines. The
 * only shared mutable state is the per-component dependency counts (atomic), the nodes (each its
 * own monitor) and the abandon reason (volatile, first writer wins).
 */
final class StartupScheduler {
  private final ComponentGraph graph;
  private final ComponentNode[] nodes;
  private final WorkerPool pool;
  private final HookInvoker invoker;
  private final long defaultTimeout;
  private final Engine.Transitions transitions;
  private final Deadlines deadlines;
  private final RunTimeline timeline;

  private final AtomicIntegerArray unsettledDependencies;
  /**
   * Components settled on threads other than the pool's workers (timeouts on the drivers, stages
   * completed elsewhere); the workers count theirs on their own counters
   * ({@link WorkerPool#countHere}), so that no cache line is written by every worker per hook.
   */
  private final AtomicInteger settledElsewhere = new AtomicInteger();
  private volatile String abandonedBecause;
  private volatile boolean criticalFailed;
  /** Some start in progress was abandoned by the shutdown. */
  private volatile boolean startsAbandoned;
  /**
   * A stop phase has begun, and may wait for a start ({@link ComponentNode#takeStopWaiter}); until
   * then a settling start need not look. Set before the stop phase claims its first component:
   * a claim that found a start in progress is ordered (by the node's monitor) before that start
   * settles, so the settling thread then sees this flag set.
   */
  private volatile boolean stopPhaseBegun;

  StartupScheduler(ComponentGraph graph, ComponentNode[] nodes, WorkerPool pool, HookInvoker invoker,
      Deadlines deadlines, long defaultTimeout, Engine.Transitions transitions, RunTimeline timeline) {
    this.graph = graph;
    this.nodes = nodes;
    this.pool = pool;
    this.invoker = invoker;
    this.deadlines = deadlines;
    this.defaultTimeout = defaultTimeout;
    this.transitions = transitions;
    this.timeline = timeline;
    this.unsettledDependencies = new AtomicIntegerArray(graph.size());
  }

  void begin() {
    // A worker's settles reach the sum when it next finds nothing to do, and the one that finds
    // the sum complete wakes the thread in start() (and a shutdown waiting for the starts).
    pool.whenIdle(onWorkers -> settledElsewhere.get() + onWorkers >= graph.size());
    int n = graph.size();
    int[] roots = new int[n];
    int count = 0;
    for (int i = 0; i < n; i++) {
      int dependencies = graph.dependencies[i].length;
      if (dependencies == 0) {
        roots[count++] = i;
      } else {
        unsettledDependencies.set(i, dependencies);
      }
    }
    // The roots are ready now; each is recorded so by the worker that takes it, so that this
    // thread hands them all over at once and the first hook runs without waiting for the rest.
    long now = System.nanoTime();
    if (count == 1) {
      int only = roots[0];
      pool.execute(() -> {
        timeline.ready(only, RunTimeline.START, now, -1);
        start(only);
      });
    } else if (count > 1) {
      pool.execute(new WorkerPool.Batch(pool, count, k -> {
        timeline.ready(roots[k], RunTimeline.START, now, -1);
        start(roots[k]);
      }));
    }
  }

  /**
   * Hands {@code count} ready components to the pool: one task for one, a {@link WorkerPool.Batch}
   * for more (one queue hand-off instead of one per component).
   */
  private void dispatch(int[] ready, int count) {
    if (count == 1) {
      int only = ready[0];
      pool.execute(() -> start(only));
    } else if (count > 1) {
      pool.execute(new WorkerPool.Batch(pool, count, k -> start(ready[k])));
    }
  }

  /**
   * Whether every component has settled (RUNNING, FAILED or SKIPPED). Takes the pool's monitor
   * (to sum the workers' counts): for the threads that wait for the startup, not per hook.
   */
  boolean settled() {
    return settledElsewhere.get() + pool.counted() >= graph.size();
  }

  /** Whether a component is STARTING: its start hook (or an asynchronous one's stage) is in progress. */
  boolean anyStarting() {
    for (ComponentNode node : nodes) {
      if (node.state() == ComponentState.STARTING) {
        return true;
      }
    }
    return false;
  }

  /** Stops starting new components; those starting now finish (or time out). First reason wins. */
  void abandon(String because) {
    if (abandonedBecause == null) {
      abandonedBecause = because;
    }
  }


  /** A stop phase begins now (before it claims any component): settling starts look for its waiters from now on. */
  void stopPhaseBegins() {
    stopPhaseBegun = true;
  }

  /** Whether the shutdown abandoned a start in progress. */
  boolean startsAbandoned() {
    return startsAbandoned;
  }

  /** Whether a critical component failed or was skipped. */
  boolean criticalFailed() {
    return criticalFailed;
  }

  /**
   * Starts component {@code i} on this worker, then, while its start settled on this thread and
   * released a dependent that can start, that dependent: a chain runs on one thread without a
   * hand-off through the pool (the other dependents it released are queued before, so nothing
   * waits on this thread's hooks).
   */
  private void start(int i) {
    int next = i;
    while (next >= 0) {
      next = startOne(next);
    }
  }

  /** Starts component {@code i}; returns a dependent to start next on this thread, or -1. */
  private int startOne(int i) {
    ComponentNode node = nodes[i];
    if (abandonedBecause != null || !node.beginStart()) {
      skip(node, whyAbandoned());
      return -1;
    }
    transitions.componentChanged(node, ComponentState.PENDING, ComponentState.STARTING, 0, null);
    ComponentDescriptor d = node.descriptor();
    long timeout = d.startupTimeout() != null ? Nanos.of(d.startupTimeout()) : defaultTimeout;
    long now = System.nanoTime();
    long deadline = Nanos.deadline(now, timeout);
    Attempt attempt = new Attempt(node, timeout, now, deadline);
    timeline.began(i, RunTimeline.START, now);
    attempt.worker = Thread.currentThread();
    try {
      invoker.invoke(attempt, deadline, d.name(), LifecycleContext.Phase.STARTUP);
    } finally {
      attempt.worker = null; // an end that comes later, on any thread, queues what it releases
    }
    if (attempt.next >= 0) {
      WorkerPool.progressed();
    }
    return attempt.next;
  }

  /**
   * One start of one component: the call of its hook, the hook's {@link LifecycleContext}, and how
   * it ended — one object per start rather than three.
   */
  private final class Attempt extends HookInvoker.Call implements LifecycleContext {
    private static final long serialVersionUID = 1L;
    private final transient ComponentNode node;
    private final long timeout;
    /** The hook's deadline ({@link System#nanoTime()}), or {@link HookContext#NO_LIMIT}. */
    private final long deadlineNanos;
    /**
     * The worker inside {@link #startOne} for this attempt, while it is there: an end decided on
     * that thread (the hook returned) may hand it a dependent to run next ({@link #next}). Written
     * and cleared by that thread; any other thread reads a value that is not itself.
     */
    transient Thread worker;
    /** A dependent released by this start for {@link #worker} to start next, or -1. */
    int next = -1;

    Attempt(ComponentNode node, long timeout, long began, long deadlineNanos) {
      super(began);
      this.node = node;
      this.timeout = timeout;
      this.deadlineNanos = deadlineNanos;
    }

    @Override
    java.util.concurrent.CompletionStage<?> call() throws Exception {
      return ResourceHooks.start(node.controller, this);
    }

    // The hook's context (as HookContext, without a second object).

    @Override
    public String componentName() {
      return node.descriptor().name();
    }

    @Override
    public Phase phase() {
      return Phase.STARTUP;
    }

    @Override
    public java.time.Instant deadline() {
      if (deadlineNanos == HookContext.NO_LIMIT) {
        return java.time.Instant.MAX;
      }
      return java.time.Instant.now().plusNanos(deadlineNanos - System.nanoTime());
    }

    @Override
    public Duration remaining() {
      if (deadlineNanos == HookContext.NO_LIMIT) {
        return java.time.temporal.ChronoUnit.FOREVER.getDuration();
      }
      return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    /** Cancelled: the startup was abandoned, this start was decided (timed out), or its deadline passed. */
    @Override
    public boolean isCancelled() {
      return abandonedBecause != null || node.state() != ComponentState.STARTING
          || (deadlineNanos != HookContext.NO_LIMIT && deadlineNanos - System.nanoTime() <= 0);
    }

    @Override
    public String toString() {
      return Phase.STARTUP + " of " + componentName() + " (deadline " + deadline() + ")";
    }

    @Override
    void ended(Throwable error, long tookNanos, boolean timedOut) {
      // After abandonStarting() this changes nothing: the first end recorded (CANCELLED) wins.
      timeline.ended(node.index, RunTimeline.START, calledAt + Math.max(0, tookNanos),
          timedOut ? Timeline.Outcome.TIMED_OUT : error != null ? Timeline.Outcome.FAILED : Timeline.Outcome.OK);
      Attempt inline = worker == Thread.currentThread() ? this : null;
      if (timedOut) {
        ComponentDescriptor d = node.descriptor();
        fail(node, tookNanos, new HookTimeoutException(d.name(), d.startupHook(), Nanos.toDuration(timeout)), false,
            null);
      } else if (error != null) {
        fail(node, tookNanos, error, true, inline);
      } else if (node.settleStart(ComponentState.RUNNING, tookNanos, null, true)) {
        transitions.componentChanged(node, ComponentState.STARTING, ComponentState.RUNNING, tookNanos, null);
        settle(node, inline);
      } else {
        endedLate(null); // the shutdown abandoned it first
      }
    }

    @Override
    void threadHeld() {
      pool.compensate();
    }

    @Override
    void began(Runnable expire) {
      node.startHookBegan(expire);
    }

    @Override
    void endedLate(Throwable error) {
      // Stopped at the shutdown, or at once if the stop phase has passed it; a component that
      // heals itself may run after all (Recovery).
      transitions.startEndedLate(node, error);
    }
  }

  /**
   * @param hookReturned whether the hook has ended, rather than passed its timeout or been abandoned
   * @param inline the attempt whose worker may run a released dependent next, or {@code null}
   */
  private void fail(ComponentNode node, long tookNanos, Throwable error, boolean hookReturned, Attempt inline) {
    if (node.settleStart(ComponentState.FAILED, tookNanos, error, hookReturned)) {
      abandonIfCritical(node);
      transitions.componentChanged(node, ComponentState.STARTING, ComponentState.FAILED, tookNanos, error);
      settle(node, inline);
    }
  }

  /**
   * The part of the shutdown budget that starts may use has passed: components still starting
   * are FAILED now and their threads interrupted (through their hook's own timeout action, which
   * a hook cannot tell apart from its timeout). A start completing later is stopped then.
   */
  void abandonStarting(Duration allowed, String limit) {
    abandon("the shutdown began");
    for (ComponentNode node : nodes) {
      if (node.state() == ComponentState.STARTING) {
        startsAbandoned = true;
        timeline.ended(node.index, RunTimeline.START, System.nanoTime(), Timeline.Outcome.CANCELLED);
        ComponentDescriptor d = node.descriptor();
        Runnable expire = node.takeStartExpiry();
        fail(node, -1, new HookTimeoutException(d.name(), d.startupHook(), allowed, limit), false, null);
        if (expire != null) {
          expire.run(); // interrupts the hook's thread; its end, when it comes, is a late one
        }
      }
    }
  }

  private DependencyNotRunningException whyAbandoned() {
    String why = abandonedBecause;
    return new DependencyNotRunningException(
        "startup was abandoned: " + (why != null ? why : "the shutdown began"));
  }

  private void skip(ComponentNode node, DependencyNotRunningException why) {
    if (node.skip(why)) {
      timeline.ended(node.index, RunTimeline.START, System.nanoTime(), Timeline.Outcome.SKIPPED);
      abandonIfCritical(node);
      transitions.componentChanged(node, ComponentState.PENDING, ComponentState.SKIPPED, 0, why);
    }
    settle(node, null);
  }

  /**
   * Counts {@code first} as settled and releases its dependents. Dependents that must be skipped
   * settle here too, through the work list, so that a long chain of skips needs no stack. Of the
   * dependents that can start, {@code inline} (when given) keeps the first for its worker to start
   * next; the others go to the pool first.
   */
  private void settle(ComponentNode first, Attempt inline) {
    ArrayDeque<ComponentNode> work = null;
    int[] ready = null;
    int readyCount = 0;
    ComponentNode node = first;
    while (node != null) {
      for (int d : graph.dependents[node.index]) {
        if (unsettledDependencies.decrementAndGet(d) == 0) {
          timeline.ready(d, RunTimeline.START, System.nanoTime(), node.index);
          DependencyNotRunningException why = whyNotStartable(d);
          if (why == null) {
            if (inline != null && inline.next < 0) {
              inline.next = d;
            } else {
              if (ready == null) {
                ready = new int[graph.dependents[node.index].length];
              } else if (readyCount == ready.length) {
                ready = java.util.Arrays.copyOf(ready, ready.length * 2);
              }
              ready[readyCount++] = d;
            }
          } else {
            ComponentNode dependent = nodes[d];
            if (dependent.skip(why)) {
              timeline.ended(d, RunTimeline.START, System.nanoTime(), Timeline.Outcome.SKIPPED);
              abandonIfCritical(dependent);
              transitions.componentChanged(dependent, ComponentState.PENDING, ComponentState.SKIPPED, 0, why);
            }
            if (work == null) {
              work = new ArrayDeque<>();
            }
            work.add(dependent);
          }
        }
      }
      if (stopPhaseBegun && node.takeStopWaiter()) {
        transitions.startSettledForStop(node);
      }
      if (!pool.countHere()) {
        settledElsewhere.incrementAndGet();
        if (settled()) {
          deadlines.wakeDrivers();
        }
      }
      node = work == null ? null : work.poll();
    }
    dispatch(ready, readyCount);
  }

  /**
   * A critical component that will not run ends the startup: nothing else is started. Done
   * before listeners hear of the failure, so that what they do next sees the startup abandoned.
   */
  private void abandonIfCritical(ComponentNode node) {
    if (node.descriptor().critical()) {
      abandon(node.descriptor().name() + " (critical) is " + node.state());
      criticalFailed = true;
      deadlines.wakeDrivers();
    }
  }

  private DependencyNotRunningException whyNotStartable(int i) {
    if (abandonedBecause != null) {
      return whyAbandoned();
    }
    int[] deps = graph.dependencies[i];
    for (int k = 0; k < graph.hardCount[i]; k++) {
      ComponentState s = nodes[deps[k]].state();
      if (s != ComponentState.RUNNING) {
        return new DependencyNotRunningException(
            "hard dependency " + nodes[deps[k]].descriptor().name() + " is " + s);
      }
    }
    return null;
  }
}
