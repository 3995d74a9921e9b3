package dev.ordo.runtime;

import java.time.Duration;

/** The mutable runtime record of one component; guarded by its own monitor. */
final class ComponentNode {
  final int index;
  final LifecycleController<?> controller;
  final ComponentDescriptor descriptor;

  private ComponentState state = ComponentState.PENDING;
  private Throwable failure;
  /** Nanoseconds, or -1: kept as numbers, not objects, since a large graph holds many nodes. */
  private long startupNanos = -1;
  private long shutdownNanos = -1;
  private Throwable shutdownFailure;
  /** The thread running a synchronous hook of this component, to interrupt it on timeout. */
  private Thread runner;
  /** The startup hook completed after its timeout had failed the component: it must be stopped. */
  private boolean lateStarted;
  /** The stop phase has passed this component without stopping it. */
  private boolean stopPhasePassed;

  ComponentNode(int index, LifecycleController<?> controller) {
    this.index = index;
    this.controller = controller;
    this.descriptor = controller.descriptor();
  }

  synchronized ComponentState state() {
    return state;
  }

  /** Moves from {@code expected} to {@code to}; false (and no change) if the state was another. */
  synchronized boolean transition(ComponentState expected, ComponentState to) {
    if (state != expected) {
      return false;
    }
    state = to;
    return true;
  }

  synchronized void failed(Throwable cause) {
    this.failure = cause;
  }

  synchronized Throwable failure() {
    return failure;
  }

  synchronized void startedIn(Duration d) {
    this.startupNanos = d.toNanos();
  }

  synchronized void stoppedIn(Duration d, Throwable stopFailure) {
    this.shutdownNanos = d == null ? -1 : d.toNanos();
    this.shutdownFailure = stopFailure;
  }

  synchronized void abandoned(Throwable why) {
    this.shutdownFailure = why;
  }

  synchronized Throwable shutdownFailure() {
    return shutdownFailure;
  }

  synchronized void runBy(Thread thread) {
    this.runner = thread;
  }

  /** Interrupts the thread still running a hook of this component; whether there was one. */
  synchronized boolean interruptRunner() {
    if (runner == null) {
      return false;
    }
    runner.interrupt();
    return true;
  }

  /**
   * Records that the startup hook completed after its timeout; returns whether the stop phase has
   * already passed this component, so that whoever saw the late start must stop it now.
   */
  synchronized boolean markLateStarted() {
    lateStarted = true;
    return stopPhasePassed;
  }

  /**
   * The stop phase reached this component: returns whether it needs its stop hook now; if not,
   * remembers that the phase passed it, so that a start completing later is stopped at once.
   */
  synchronized boolean claimStop() {
    if (needsStop()) {
      return true;
    }
    stopPhasePassed = true;
    return false;
  }

  /** Whether a stop hook is owed: the component runs, or its late start completed. */
  synchronized boolean needsStop() {
    return state == ComponentState.RUNNING || (state == ComponentState.FAILED && lateStarted);
  }

  synchronized ComponentStatus snapshot() {
    return new ComponentStatus(descriptor, state, failure,
        startupNanos < 0 ? null : Duration.ofNanos(startupNanos),
        shutdownNanos < 0 ? null : Duration.ofNanos(shutdownNanos),
        shutdownFailure);
  }
}
