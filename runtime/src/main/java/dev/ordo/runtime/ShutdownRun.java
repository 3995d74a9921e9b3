package dev.ordo.runtime;

import dev.ordo.runtime.internal.HookContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * One stop phase: the startup scheduler run backwards. A component stops once every component
 * that depends on it has stopped (or never ran); independent ones stop in parallel; each stop hook
 * runs within its own timeout, cut to what is left of the shutdown budget. When the budget ends,
 * whatever has not stopped is abandoned and {@link #await} returns.
 */
final class ShutdownRun {
  private final ComponentGraph graph;
  private final ComponentNode[] nodes;
  private final WorkerPool pool;
  private final HookDeadlines deadlines;
  private final Duration defaultTimeout;
  private final long deadlineNanos;
  private final StartupRun.TransitionSink sink;

  private final AtomicIntegerArray unstoppedDependents;
  private final AtomicInteger settled = new AtomicInteger();
  private final CountDownLatch done = new CountDownLatch(1);
  /** Per component: its stop has ended (stopped, failed, timed out or was not needed). */
  private final AtomicBoolean[] ended;
  /** A stop was cut short by the end of the budget rather than by its own timeout. */
  private volatile boolean budgetCut;
  /**
   * The budget ended and the report was taken: from now on nothing more is started, and stops that
   * still end are recorded but change no state and tell no listener, so that nothing is reported
   * after the application's own end.
   */
  private volatile boolean closed;
  /** Stops reporting their end right now; {@link #close} waits for them (briefly) to keep order. */
  private final AtomicInteger reporting = new AtomicInteger();

  ShutdownRun(
      ComponentGraph graph,
      ComponentNode[] nodes,
      WorkerPool pool,
      HookDeadlines deadlines,
      Duration defaultTimeout,
      long deadlineNanos,
      StartupRun.TransitionSink sink) {
    this.graph = graph;
    this.nodes = nodes;
    this.pool = pool;
    this.deadlines = deadlines;
    this.defaultTimeout = defaultTimeout;
    this.deadlineNanos = deadlineNanos;
    this.sink = sink;
    this.unstoppedDependents = new AtomicIntegerArray(graph.size());
    this.ended = new AtomicBoolean[graph.size()];
  }

  void begin() {
    int n = graph.size();
    if (n == 0) {
      done.countDown();
      return;
    }
    for (int i = 0; i < n; i++) {
      unstoppedDependents.set(i, graph.dependents[i].length);
      ended[i] = new AtomicBoolean();
    }
    ArrayDeque<ComponentNode> work = new ArrayDeque<>();
    for (int i = 0; i < n; i++) {
      if (graph.dependents[i].length == 0) {
        release(nodes[i], work);
      }
    }
    drain(work);
  }

  /** Waits until every component's stop ended, or the budget's deadline; true if all ended. */
  boolean await() throws InterruptedException {
    long left = deadlineNanos - System.nanoTime();
    return done.await(Math.max(0, left), TimeUnit.NANOSECONDS);
  }

  /**
   * Ends the run at the end of the budget: returns, for each component, whether its stop had ended.
   * Components the phase never reached count as passed, so that a start completing later is stopped.
   */
  boolean[] close(Duration budget) {
    closed = true;
    // A stop that ended just before is still reporting: let it finish (a listener is quick, or
    // is given up on after a second), so that nothing it reports lands after the end.
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (reporting.get() > 0 && System.nanoTime() - giveUp < 0) {
      Thread.onSpinWait();
    }
    boolean[] endedAtClose = new boolean[ended.length];
    for (int i = 0; i < ended.length; i++) {
      endedAtClose[i] = ended[i] != null && ended[i].get();
      if (endedAtClose[i]) {
        continue;
      }
      ComponentNode node = nodes[i];
      node.claimStop();
      if (node.transition(ComponentState.STOPPING, ComponentState.STOPPED)) {
        // Its hook still runs; the component is given up, and listeners hear it before the end.
        HookTimeoutException why = new HookTimeoutException(
            node.descriptor.name(), node.descriptor.shutdownHook(), budget, "the shutdown budget of");
        node.abandoned(why);
        sink.componentChanged(node, ComponentState.STOPPING, ComponentState.STOPPED, Duration.ZERO, why);
      }
    }
    return endedAtClose;
  }

  /** Stops {@code node} on the pool when it needs a stop; else counts it as ended at once. */
  private void release(ComponentNode node, ArrayDeque<ComponentNode> work) {
    if (closed) {
      node.claimStop();
      return;
    }
    if (node.claimStop()) {
      pool.execute(() -> stop(node));
    } else {
      work.add(node);
    }
  }

  private void stop(ComponentNode node) {
    if (closed) {
      return;
    }
    ComponentState from = node.state();
    boolean running = from == ComponentState.RUNNING;
    if (running) {
      if (!node.transition(ComponentState.RUNNING, ComponentState.STOPPING)) {
        end(node);
        return;
      }
      sink.componentChanged(node, ComponentState.RUNNING, ComponentState.STOPPING, Duration.ZERO, null);
    }
    Duration own = node.descriptor.shutdownTimeout() != null ? node.descriptor.shutdownTimeout() : defaultTimeout;
    long left = deadlineNanos - System.nanoTime();
    Duration timeout = Duration.ofNanos(Math.min(own.toNanos(), Math.max(0, left)));
    boolean cutByBudget = timeout.compareTo(own) < 0;
    long begin = System.nanoTime();
    if (timeout.isZero()) {
      budgetCut = true;
      // No time is left: a component that declares no stop hook has nothing to abandon.
      complete(node, running, null, begin, node.descriptor.shutdownHook() == null ? null
          : new HookTimeoutException(node.descriptor.name(), node.descriptor.shutdownHook(), own,
              "what was left of the shutdown budget, not its own"), node.descriptor.shutdownHook() != null);
      return;
    }
    HookContext context = new HookContext(
        node.descriptor.name(),
        LifecycleContext.Phase.SHUTDOWN,
        System.nanoTime() + timeout.toNanos(),
        () -> ended[node.index].get());
    // The runner is known before the watchdog can fire, so that a timeout always interrupts it.
    node.runBy(Thread.currentThread());
    HookDeadlines.Deadline watchdog = deadlines.add(timeout.toNanos(), () -> {
      HookTimeoutException late =
          new HookTimeoutException(node.descriptor.name(), node.descriptor.shutdownHook(), timeout);
      if (cutByBudget) {
        budgetCut = true;
      }
      // Record the timeout first: the interrupt wakes the hook, whose own ending must not win.
      complete(node, running, null, begin, late, true);
      if (node.interruptRunner()) {
        pool.compensate();
      }
    });
    CompletionStage<?> stage;
    try {
      stage = node.controller.stop(context);
    } catch (Throwable t) {
      node.runBy(null);
      Thread.interrupted();
      complete(node, running, watchdog, begin, t, false);
      return;
    }
    node.runBy(null);
    Thread.interrupted();
    if (stage == null) {
      complete(node, running, watchdog, begin, null, false);
    } else if (stage instanceof CompletableFuture && ((CompletableFuture<?>) stage).isDone()) {
      complete(node, running, watchdog, begin, StartupRun.outcome((CompletableFuture<?>) stage), false);
    } else {
      stage.whenComplete((v, e) -> complete(node, running, watchdog, begin, StartupRun.unwrap(e), false));
    }
  }

  private void complete(
      ComponentNode node, boolean wasRunning, HookDeadlines.Deadline watchdog, long begin, Throwable error,
      boolean abandoned) {
    if (!ended[node.index].compareAndSet(false, true)) {
      return;
    }
    if (watchdog != null) {
      watchdog.done();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - begin);
    node.stoppedIn(abandoned ? null : took, error);
    reporting.incrementAndGet();
    try {
      // Read after the increment, written before close() reads the count: either this stop
      // reports before the end, or it sees the run closed and reports nothing.
      if (closed) {
        return;
      }
      reportEnd(node, wasRunning, took, error, abandoned);
    } finally {
      reporting.decrementAndGet();
    }
    ArrayDeque<ComponentNode> work = new ArrayDeque<>();
    releaseDependencies(node, work);
    drain(work);
  }

  private void reportEnd(ComponentNode node, boolean wasRunning, Duration took, Throwable error, boolean abandoned) {
    if (error != null) {
      System.getLogger(Ordo.class.getName()).log(System.Logger.Level.WARNING,
          (abandoned ? "Abandoned the stop of " : "Stop hook of ") + node.descriptor.name()
              + (abandoned ? ": " + error.getMessage() : " failed"), abandoned ? null : error);
    }
    if (wasRunning && node.transition(ComponentState.STOPPING, ComponentState.STOPPED)) {
      sink.componentChanged(node, ComponentState.STOPPING, ComponentState.STOPPED, took, error);
    }
  }

  /** Nodes whose stop is not needed end at once; walking them needs no stack. */
  private void drain(ArrayDeque<ComponentNode> work) {
    ComponentNode node;
    while ((node = work.poll()) != null) {
      if (ended[node.index].compareAndSet(false, true)) {
        releaseDependencies(node, work);
      }
    }
  }

  private void end(ComponentNode node) {
    ArrayDeque<ComponentNode> work = new ArrayDeque<>();
    work.add(node);
    drain(work);
  }

  private void releaseDependencies(ComponentNode node, ArrayDeque<ComponentNode> work) {
    for (int d : graph.dependencies[node.index]) {
      if (unstoppedDependents.decrementAndGet(d) == 0) {
        release(nodes[d], work);
      }
    }
    if (settled.incrementAndGet() == graph.size()) {
      done.countDown();
    }
  }

  /** Whether some stop was cut short by the end of the shutdown budget. */
  boolean budgetCut() {
    return budgetCut;
  }
}
