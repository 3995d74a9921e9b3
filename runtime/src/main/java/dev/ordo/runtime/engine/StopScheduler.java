package dev.ordo.runtime.engine;

import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.HookTimeoutException;
import dev.ordo.runtime.LifecycleContext;
import dev.ordo.runtime.Timeline;
import dev.ordo.runtime.internal.HookContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One stop phase: the startup scheduler run backwards. A component stops once every component
 * that depends on it has stopped (or never ran); independent ones stop in parallel; each stop
 * hook runs within its own timeout, cut to what is left of the phase. A component that is still
 * starting when the phase reaches it is waited for (its start ends, or the shutdown abandons it),
 * while everything that does not need it stops meanwhile. When the phase's deadline passes,
 * {@link #close} freezes the outcome: whatever has not stopped is abandoned.
 *
 * <p>Threads: {@link #begin} and {@link #close} on the thread running the shutdown; stops on
 * worker threads; ends on whatever thread ends a hook. An end is decided by one compare-and-set on
 * the component's slot of {@link #ended} (which {@link #close} also claims, for the stops it
 * abandons) and reported after it; {@link #close} waits for the reports in flight, so that none is
 * made after it. Components whose stops become ready together
 * go to the pool as one {@link WorkerPool.Batch}; a worker whose stop released a dependency stops
 * that one next itself.
 */
final class StopScheduler {
  private final ComponentGraph graph;
  private final ComponentNode[] nodes;
  /** Where each component's stop is recorded ({@link ComponentNode#stopEnded}). */
  private final StopRecords stops;
  private final WorkerPool pool;
  private final HookInvoker invoker;
  private final Deadlines deadlines;
  private final long defaultTimeout;
  private final long deadline;
  private final Engine.Transitions transitions;
  private final RunTimeline timeline;

  private final AtomicIntegerArray unstoppedDependents;
  /**
   * Per component: {@link #OPEN}, then {@link #ENDING} while its end is being reported and
   * {@link #ENDED} after (stopped, failed, timed out, or not needed), or {@link #ABANDONED} by
   * {@link #close}. One compare-and-set from OPEN decides who ends it.
   */
  private final AtomicIntegerArray ended;
  private static final int OPEN = 0;
  private static final int ENDING = 1;
  private static final int ENDED = 2;
  private static final int ABANDONED = 3;
  private final AtomicInteger endedCount = new AtomicInteger();
  /** A stop was cut short by the end of the budget rather than by its own timeout. */
  private volatile boolean budgetCut;
  /** Stops that ended with a failure (threw, timed out, abandoned): none means a clean phase. */
  private final AtomicInteger failures = new AtomicInteger();
  /** The deadline passed and the report is being taken: nothing more is started or reported. */
  private volatile boolean closed;
  /**
   * Per component, while its stop hook runs: what ends the call as if its deadline had passed
   * (interrupting the hook's thread). Set by the worker that calls the hook, before the call;
   * taken by {@link #close} for the stops it abandons, so that a hook cut at the budget's end is
   * interrupted there even when nothing drives the deadlines any more.
   */
  private final AtomicReferenceArray<Runnable> expiries;

  StopScheduler(ComponentGraph graph, ComponentNode[] nodes, StopRecords stops, WorkerPool pool, HookInvoker invoker,
      Deadlines deadlines, long defaultTimeout, long deadline, Engine.Transitions transitions, RunTimeline timeline) {
    this.graph = graph;
    this.nodes = nodes;
    this.stops = stops;
    this.pool = pool;
    this.invoker = invoker;
    this.deadlines = deadlines;
    this.defaultTimeout = defaultTimeout;
    this.deadline = deadline;
    this.transitions = transitions;
    this.timeline = timeline;
    this.unstoppedDependents = new AtomicIntegerArray(graph.size());
    this.ended = new AtomicIntegerArray(graph.size());
    this.expiries = new AtomicReferenceArray<>(graph.size());
  }

  void begin() {
    int n = graph.size();
    int[] leaves = new int[n];
    int count = 0;
    for (int i = 0; i < n; i++) {
      int dependents = graph.dependents[i].length;
      if (dependents == 0) {
        leaves[count++] = i;
      } else {
        unstoppedDependents.set(i, dependents);
      }
    }
    // The components nothing depends on are released by the workers that take them (recorded
    // ready, claimed, stopped there), so that this thread hands them all over at once.
    long now = System.nanoTime();
    if (count == 1) {
      int only = leaves[0];
      pool.execute(() -> releaseLeaf(only, now));
    } else if (count > 1) {
      pool.execute(new WorkerPool.Batch(pool, count, k -> releaseLeaf(leaves[k], now)));
    }
  }

  /** On a worker: releases a component nothing depends on, ready since {@code readyAt}, and stops it here if needed. */
  private void releaseLeaf(int i, long readyAt) {
    ComponentNode node = nodes[i];
    if (isClosed()) {
      node.claimStop();
      return;
    }
    timeline.ready(i, RunTimeline.STOP, readyAt, -1);
    switch (node.claimStop()) {
      case STOP:
        stop(node);
        break;
      case NOTHING:
        timeline.ended(i, RunTimeline.STOP, System.nanoTime(), Timeline.Outcome.SKIPPED);
        Walk walk = new Walk(null);
        walk.nothingToStop(node);
        walk.finish();
        break;
      case WAIT_FOR_START:
        break; // startSettled() resumes here
      default:
        throw new AssertionError();
    }
  }

  /** Whether every component's stop has ended. */
  boolean done() {
    return endedCount.get() == graph.size();
  }

  /** The deadline of this phase. */
  long deadline() {
    return deadline;
  }

  /** A component the phase waited for has settled its start: the phase goes on with it. */
  void startSettled(ComponentNode node) {
    Walk walk = new Walk(null);
    release(node, walk, -1);
    walk.finish();
  }

  /** Stops the failures counted so far (a clean phase has none). */
  int failures() {
    return failures.get();
  }

  /**
   * One walk from components whose stops ended to the ones this releases: those that need no stop
   * end at once (a work list, never recursion); those that do are collected and handed to the pool
   * together at {@link #finish}, the first kept for {@code inline}'s worker when one is given.
   */
  private final class Walk {
    private final Attempt inline;
    private ArrayDeque<ComponentNode> work;
    private ComponentNode[] ready;
    private int readyCount;

    Walk(Attempt inline) {
      this.inline = inline;
    }

    void nothingToStop(ComponentNode node) {
      if (work == null) {
        work = new ArrayDeque<>();
      }
      work.add(node);
    }

    void toStop(ComponentNode node) {
      if (inline != null && inline.next == null) {
        inline.next = node;
        return;
      }
      if (ready == null) {
        ready = new ComponentNode[4];
      } else if (readyCount == ready.length) {
        ready = java.util.Arrays.copyOf(ready, readyCount * 2);
      }
      ready[readyCount++] = node;
    }

    void finish() {
      if (work != null) {
        ComponentNode node;
        while ((node = work.poll()) != null) {
          if (ended.compareAndSet(node.index, OPEN, ENDED)) {
            releaseDependencies(node, this);
          }
        }
      }
      if (readyCount == 1) {
        ComponentNode only = ready[0];
        pool.execute(() -> stop(only));
      } else if (readyCount > 1) {
        ComponentNode[] batch = ready;
        pool.execute(new WorkerPool.Batch(pool, readyCount, k -> stop(batch[k])));
      }
    }
  }

  /**
   * Ends the phase: returns, for each component, whether its stop had ended. Components still
   * stopping are reported STOPPED with the budget's timeout as their failure; listeners hear it
   * before the application's end, and nothing after.
   */
  boolean[] close(Duration budget, long waitForReportsUntil) {
    boolean interrupted = false;
    closed = true;
    int n = graph.size();
    boolean[] endedAtClose = new boolean[n];
    for (int i = 0; i < n; i++) {
      endedAtClose[i] = ended.get(i) != OPEN || !ended.compareAndSet(i, OPEN, ABANDONED);
    }
    // Ends being reported now (decided before the close) are waited for, so that none is heard
    // after the application's end: each sets ENDED and, seeing the close, wakes this thread.
    synchronized (this) {
      waiting:
      for (int i = 0; i < n; i++) {
        while (ended.get(i) == ENDING) {
          long left = Nanos.left(waitForReportsUntil, System.nanoTime());
          if (left == 0) {
            break waiting; // an observer that hangs: its report may come late, the shutdown does not
          }
          try {
            if (left == Nanos.NO_LIMIT) {
              wait();
            } else {
              java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
            }
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    for (int i = 0; i < n; i++) {
      if (endedAtClose[i]) {
        continue;
      }
      ComponentNode node = nodes[i];
      node.claimStop();
      if (node.needsStop() || node.state() == ComponentState.STOPPING) {
        timeline.ended(i, RunTimeline.STOP, System.nanoTime(), Timeline.Outcome.CANCELLED);
      }
      if (node.transition(ComponentState.STOPPING, ComponentState.STOPPED)) {
        ComponentDescriptor d = node.descriptor();
        HookTimeoutException why = new HookTimeoutException(d.name(), d.shutdownHook(), budget, "the shutdown budget of");
        node.stopEnded(stops, -1, why);
        failures.incrementAndGet();
        transitions.componentChanged(node, ComponentState.STOPPING, ComponentState.STOPPED, 0, why);
      } else if (node.transition(ComponentState.RUNNING, ComponentState.STOPPED)) {
        // Never reached: its dependents were still stopping when the budget ran out, so its stop
        // hook was never called. It ends STOPPED like every component of a stopped application,
        // and its failure says that the hook was not called (not that it did not finish).
        ComponentDescriptor d = node.descriptor();
        HookTimeoutException why = HookTimeoutException.notCalled(d.name(), d.shutdownHook(), budget,
            "the shutdown budget of");
        node.stopEnded(stops, -1, why);
        failures.incrementAndGet();
        transitions.componentChanged(node, ComponentState.RUNNING, ComponentState.STOPPED, 0, why);
      }
    }
    // The abandoned stops whose hooks still run are ended now, as at their deadline: their threads
    // are interrupted (a hook that answers the interrupt ends, and its worker with it). Their
    // outcome, decided already by the abandon, changes nothing that is reported.
    for (int i = 0; i < n; i++) {
      if (!endedAtClose[i]) {
        Runnable expire = expiries.getAndSet(i, null);
        if (expire != null) {
          expire.run();
        }
      }
    }
    return endedAtClose;
  }

  /** Whether some stop was cut short by the end of the shutdown budget. */
  boolean budgetCut() {
    return budgetCut;
  }

  private boolean isClosed() {
    return closed;
  }

  /** Stops {@code node} on the pool when it needs a stop; else counts it as ended at once. */
  private void release(ComponentNode node, Walk walk, int after) {
    if (isClosed()) {
      node.claimStop();
      return;
    }
    timeline.ready(node.index, RunTimeline.STOP, System.nanoTime(), after);
    switch (node.claimStop()) {
      case STOP:
        walk.toStop(node);
        break;
      case NOTHING:
        timeline.ended(node.index, RunTimeline.STOP, System.nanoTime(), Timeline.Outcome.SKIPPED);
        walk.nothingToStop(node);
        break;
      case WAIT_FOR_START:
        break; // startSettled() resumes here
      default:
        throw new AssertionError();
    }
  }

  /**
   * Stops {@code first} on this worker, then, while a stop settled on this thread and released a
   * dependency that needs a stop, that one (the others it released are queued before).
   */
  private void stop(ComponentNode first) {
    ComponentNode next = first;
    while (next != null) {
      next = stopOne(next);
    }
  }

  /** Stops {@code node}; returns a dependency to stop next on this thread, or {@code null}. */
  private ComponentNode stopOne(ComponentNode node) {
    if (isClosed()) {
      return null;
    }
    boolean running = node.transition(ComponentState.RUNNING, ComponentState.STOPPING);
    if (running) {
      transitions.componentChanged(node, ComponentState.RUNNING, ComponentState.STOPPING, 0, null);
    }
    ComponentDescriptor d = node.descriptor();
    long own = d.shutdownTimeout() != null ? Nanos.of(d.shutdownTimeout()) : defaultTimeout;
    long now = System.nanoTime();
    long left = Nanos.left(deadline, now);
    boolean cutByBudget = left < own;
    long timeout = Math.min(own, left);
    if (timeout == 0) {
      budgetCut = true;
      timeline.ended(node.index, RunTimeline.STOP, now, d.shutdownHook() == null ? Timeline.Outcome.OK
          : Timeline.Outcome.CANCELLED);
      // No time is left: a component that declares no stop hook has nothing to abandon.
      complete(node, running, -1, d.shutdownHook() == null ? null
          : new HookTimeoutException(d.name(), d.shutdownHook(), Nanos.toDuration(own),
              "what was left of the shutdown budget, not its own"), null);
      return null;
    }
    long hookDeadline = Nanos.deadline(now, timeout);
    Attempt attempt = new Attempt(node, running, cutByBudget, timeout, now);
    attempt.context = new HookContext(d.name(), LifecycleContext.Phase.SHUTDOWN, hookDeadline, attempt);
    timeline.began(node.index, RunTimeline.STOP, now);
    attempt.runner = Thread.currentThread();
    try {
      invoker.invoke(attempt, hookDeadline, attempt, d.name(), LifecycleContext.Phase.SHUTDOWN, now);
    } finally {
      attempt.runner = null; // an end that comes later, on any thread, queues what it releases
    }
    if (attempt.next != null) {
      WorkerPool.progressed();
    }
    return attempt.next;
  }

  /**
   * One stop of one component: the hook, how it ended, and whether the hook should give up (one
   * object per stop rather than four).
   */
  private final class Attempt implements HookInvoker.Hook, HookInvoker.Outcome, java.util.function.BooleanSupplier {
    private final ComponentNode node;
    private final boolean running;
    private final boolean cutByBudget;
    private final long timeout;
    HookContext context;
    /** The worker inside {@link #stopOne} for this attempt, while it is there (see the startup's). */
    Thread runner;
    /** A dependency released by this stop for {@link #runner} to stop next, or {@code null}. */
    ComponentNode next;
    /** When the hook was called ({@link System#nanoTime()}): its end is this plus what it took. */
    private final long began;

    Attempt(ComponentNode node, boolean running, boolean cutByBudget, long timeout, long began) {
      this.began = began;
      this.node = node;
      this.running = running;
      this.cutByBudget = cutByBudget;
      this.timeout = timeout;
    }

    @Override
    public java.util.concurrent.CompletionStage<?> call() throws Exception {
      return ResourceHooks.stop(node.controller, context);
    }

    /** Cancelled: this stop was decided (it timed out, or the phase ended). */
    @Override
    public boolean getAsBoolean() {
      return ended.get(node.index) != OPEN;
    }

    @Override
    public void ended(Throwable error, long tookNanos, boolean timedOut) {
      expiries.set(node.index, null);
      if (closed && ended.get(node.index) == ABANDONED) {
        return; // decided and reported by close()
      }
      timeline.ended(node.index, RunTimeline.STOP, began + Math.max(0, tookNanos), timedOut
          ? (cutByBudget ? Timeline.Outcome.CANCELLED : Timeline.Outcome.TIMED_OUT)
          : error != null ? Timeline.Outcome.FAILED : Timeline.Outcome.OK);
      if (timedOut) {
        if (cutByBudget) {
          budgetCut = true;
        }
        ComponentDescriptor d = node.descriptor();
        complete(node, running, -1, new HookTimeoutException(d.name(), d.shutdownHook(), Nanos.toDuration(timeout)),
            null);
      } else {
        complete(node, running, tookNanos, error, runner == Thread.currentThread() ? this : null);
      }
    }

    /**
     * Called by the worker about to call the hook. When the phase closed meanwhile (its check in
     * {@link #close} may have missed this expiry), the call is ended at once.
     */
    @Override
    public void began(Runnable expire) {
      expiries.set(node.index, expire);
      if (closed && ended.get(node.index) == ABANDONED) {
        Runnable mine = expiries.getAndSet(node.index, null);
        if (mine != null) {
          mine.run();
        }
      }
    }

    @Override
    public void threadHeld() {
      if (!closed) {
        pool.compensate(); // after the close, nothing waits for a thread any more
      }
    }
  }

  /** @param inline the attempt whose worker may stop a released dependency next, or {@code null} */
  private void complete(ComponentNode node, boolean wasRunning, long tookNanos, Throwable error, Attempt inline) {
    // Decided by the compare-and-set that close() also makes: either this end wins, and is
    // reported before close() goes on, or the close abandoned the stop and this end changes
    // nothing that is reported.
    if (closed || !ended.compareAndSet(node.index, OPEN, ENDING)) {
      return;
    }
    node.stopEnded(stops, tookNanos, error);
    if (error != null) {
      failures.incrementAndGet();
    }
    // Reported outside any lock (observers and listener queues are told here); close() waits for
    // reports in flight, so that none lands after the application's end.
    try {
      if (error != null) {
        Engine.LOG.log(System.Logger.Level.WARNING,
            (error instanceof HookTimeoutException ? "Abandoned the stop of " : "Stop hook of ")
                + node.descriptor().name()
                + (error instanceof HookTimeoutException ? ": " + error.getMessage() : " failed"),
            error instanceof HookTimeoutException ? null : error);
      }
      if (wasRunning && node.transition(ComponentState.STOPPING, ComponentState.STOPPED)) {
        transitions.componentChanged(node, ComponentState.STOPPING, ComponentState.STOPPED,
            Math.max(0, tookNanos), error);
      }
    } finally {
      ended.set(node.index, ENDED);
      if (closed) {
        synchronized (this) {
          notifyAll(); // close() may wait for this report
        }
      }
    }
    if (graph.dependencies[node.index].length == 0) {
      countEnded(); // most components of a large flat graph: no work list needed
      return;
    }
    Walk walk = new Walk(inline);
    releaseDependencies(node, walk);
    walk.finish();
  }

  private void releaseDependencies(ComponentNode node, Walk walk) {
    for (int d : graph.dependencies[node.index]) {
      if (unstoppedDependents.decrementAndGet(d) == 0) {
        release(nodes[d], walk, node.index);
      }
    }
    countEnded();
  }

  private void countEnded() {
    if (endedCount.incrementAndGet() == graph.size()) {
      deadlines.wakeDrivers();
      pool.retireIdle();
    }
  }
}
