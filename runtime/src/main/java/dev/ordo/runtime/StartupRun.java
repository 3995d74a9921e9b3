package dev.ordo.runtime;

import dev.ordo.runtime.internal.HookContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * One startup of an application: a dependency-counting scheduler. Each component waits for a
 * count of unsettled dependencies; when the count reaches zero it is started on the worker pool,
 * or skipped when a hard dependency is not running (or the startup was abandoned). Settling a
 * component walks its dependents with an explicit work list, never by recursion.
 */
final class StartupRun {
  private final ComponentGraph graph;
  private final ComponentNode[] nodes;
  private final WorkerPool pool;
  private final HookDeadlines deadlines;
  private final Duration defaultTimeout;
  private final TransitionSink sink;

  private final AtomicIntegerArray unsettledDependencies;
  private final AtomicInteger settled = new AtomicInteger();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile String abandonedBecause;

  /** Receives transitions; implemented by {@link Ordo}. */
  interface TransitionSink {
    void componentChanged(ComponentNode node, ComponentState from, ComponentState to, Duration d, Throwable cause);

    void criticalFailure(ComponentNode node);

    /** A start completed after its timeout, once the stop phase had passed the component. */
    void lateStartAfterStopPhase(ComponentNode node);
  }

  StartupRun(
      ComponentGraph graph,
      ComponentNode[] nodes,
      WorkerPool pool,
      HookDeadlines deadlines,
      Duration defaultTimeout,
      TransitionSink sink) {
    this.graph = graph;
    this.nodes = nodes;
    this.pool = pool;
    this.deadlines = deadlines;
    this.defaultTimeout = defaultTimeout;
    this.sink = sink;
    this.unsettledDependencies = new AtomicIntegerArray(graph.size());
  }

  void begin() {
    int n = graph.size();
    if (n == 0) {
      done.countDown();
      return;
    }
    for (int i = 0; i < n; i++) {
      unsettledDependencies.set(i, graph.dependencies[i].length);
    }
    for (int i = 0; i < n; i++) {
      if (graph.dependencies[i].length == 0) {
        pool.execute(new StartTask(i));
      }
    }
  }

  /** Stops starting new components; those starting now finish (or time out). */
  void abandon(String because) {
    if (abandonedBecause == null) {
      abandonedBecause = because;
    }
  }

  boolean abandoned() {
    return abandonedBecause != null;
  }

  /** Waits until every component has settled (RUNNING, FAILED or SKIPPED). */
  boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    return done.await(timeout, unit);
  }

  void await() throws InterruptedException {
    done.await();
  }

  private final class StartTask implements Runnable {
    private final int index;

    StartTask(int index) {
      this.index = index;
    }

    @Override
    public void run() {
      start(index);
    }
  }

  private void start(int i) {
    ComponentNode node = nodes[i];
    if (abandonedBecause != null) {
      skip(node, new DependencyNotRunningException("startup was abandoned: " + abandonedBecause));
      return;
    }
    if (!node.transition(ComponentState.PENDING, ComponentState.STARTING)) {
      return;
    }
    sink.componentChanged(node, ComponentState.PENDING, ComponentState.STARTING, Duration.ZERO, null);
    Duration timeout = node.descriptor.startupTimeout() != null ? node.descriptor.startupTimeout() : defaultTimeout;
    long begin = System.nanoTime();
    HookContext context = new HookContext(
        node.descriptor.name(),
        LifecycleContext.Phase.STARTUP,
        System.nanoTime() + timeout.toNanos(),
        () -> abandonedBecause != null || node.state() != ComponentState.STARTING);
    // The runner is known before the watchdog can fire, so that a timeout always interrupts it.
    node.runBy(Thread.currentThread());
    HookDeadlines.Deadline watchdog = deadlines.add(timeout.toNanos(), () -> timedOut(node, timeout, begin));
    CompletionStage<?> stage;
    try {
      stage = node.controller.start(context);
    } catch (Throwable t) {
      node.runBy(null);
      Thread.interrupted();
      finish(node, watchdog, begin, t);
      return;
    }
    node.runBy(null);
    Thread.interrupted();
    if (stage == null) {
      finish(node, watchdog, begin, null);
    } else if (stage instanceof CompletableFuture && ((CompletableFuture<?>) stage).isDone()) {
      finish(node, watchdog, begin, outcome((CompletableFuture<?>) stage));
    } else {
      stage.whenComplete((value, error) -> finish(node, watchdog, begin, unwrap(error)));
    }
  }

  /** How a completed stage ended: {@code null} normally, else what it failed with. */
  static Throwable outcome(CompletableFuture<?> done) {
    try {
      done.get();
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Throwable t) {
      return t;
    }
  }

  static Throwable unwrap(Throwable error) {
    while ((error instanceof CompletionException || error instanceof ExecutionException)
        && error.getCause() != null) {
      error = error.getCause();
    }
    return error;
  }

  private void finish(ComponentNode node, HookDeadlines.Deadline watchdog, long begin, Throwable error) {
    watchdog.done();
    Duration took = Duration.ofNanos(System.nanoTime() - begin);
    if (error == null) {
      if (node.transition(ComponentState.STARTING, ComponentState.RUNNING)) {
        node.startedIn(took);
        sink.componentChanged(node, ComponentState.STARTING, ComponentState.RUNNING, took, null);
        settle(node);
      } else if (node.markLateStarted()) {
        // The watchdog failed it first, and the stop phase has passed it already: the hook did
        // complete, so what it opened is closed now rather than never.
        sink.lateStartAfterStopPhase(node);
      }
    } else if (node.transition(ComponentState.STARTING, ComponentState.FAILED)) {
      node.failed(error);
      node.startedIn(took);
      abandonIfCritical(node);
      sink.componentChanged(node, ComponentState.STARTING, ComponentState.FAILED, took, error);
      settle(node);
    }
  }

  private void timedOut(ComponentNode node, Duration timeout, long begin) {
    if (!node.transition(ComponentState.STARTING, ComponentState.FAILED)) {
      return;
    }
    HookTimeoutException error =
        new HookTimeoutException(node.descriptor.name(), node.descriptor.startupHook(), timeout);
    node.failed(error);
    abandonIfCritical(node);
    if (node.interruptRunner()) {
      pool.compensate();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - begin);
    sink.componentChanged(node, ComponentState.STARTING, ComponentState.FAILED, took, error);
    settle(node);
  }

  /**
   * The shutdown budget ran out while components were still starting: they are FAILED now, their
   * threads interrupted, and the startup settles, so that {@code start()} returns. A hook that still
   * completes later is stopped then.
   */
  void abandonStarting(Duration budget) {
    abandon("the shutdown budget ran out");
    for (ComponentNode node : nodes) {
      if (node.transition(ComponentState.STARTING, ComponentState.FAILED)) {
        HookTimeoutException error = new HookTimeoutException(
            node.descriptor.name(), node.descriptor.startupHook(), budget, "the shutdown budget of");
        node.failed(error);
        node.interruptRunner();
        sink.componentChanged(node, ComponentState.STARTING, ComponentState.FAILED, Duration.ZERO, error);
        settle(node);
      }
    }
  }

  private void skip(ComponentNode node, DependencyNotRunningException why) {
    if (node.transition(ComponentState.PENDING, ComponentState.SKIPPED)) {
      node.failed(why);
      abandonIfCritical(node);
      sink.componentChanged(node, ComponentState.PENDING, ComponentState.SKIPPED, Duration.ZERO, why);
      settle(node);
    }
  }

  /**
   * Counts {@code first} as settled and releases its dependents. Dependents that must be skipped
   * settle here too, through the work list, so that a long chain of skips needs no stack.
   */
  private void settle(ComponentNode first) {
    ArrayDeque<ComponentNode> work = new ArrayDeque<>();
    work.add(first);
    ComponentNode node;
    while ((node = work.poll()) != null) {
      for (int d : graph.dependents[node.index]) {
        if (unsettledDependencies.decrementAndGet(d) == 0) {
          ComponentNode dependent = nodes[d];
          DependencyNotRunningException why = whyNotStartable(d);
          if (why == null) {
            pool.execute(new StartTask(d));
          } else if (dependent.transition(ComponentState.PENDING, ComponentState.SKIPPED)) {
            dependent.failed(why);
            abandonIfCritical(dependent);
            sink.componentChanged(dependent, ComponentState.PENDING, ComponentState.SKIPPED, Duration.ZERO, why);
            work.add(dependent);
          }
        }
      }
      if (settled.incrementAndGet() == graph.size()) {
        done.countDown();
      }
    }
  }

  /**
   * A critical component that will not run ends the startup: nothing else is started. Done
   * before listeners hear of the failure, so that what they do next sees the startup abandoned.
   */
  private void abandonIfCritical(ComponentNode node) {
    if (node.descriptor.critical()) {
      abandon(node.descriptor.name() + " (critical) is " + node.state());
      sink.criticalFailure(node);
    }
  }

  private DependencyNotRunningException whyNotStartable(int i) {
    if (abandonedBecause != null) {
      return new DependencyNotRunningException("startup was abandoned: " + abandonedBecause);
    }
    int[] deps = graph.dependencies[i];
    for (int k = 0; k < graph.hardCount[i]; k++) {
      ComponentState s = nodes[deps[k]].state();
      if (s != ComponentState.RUNNING) {
        return new DependencyNotRunningException(
            "hard dependency " + nodes[deps[k]].descriptor.name() + " is " + s);
      }
    }
    return null;
  }
}
