package dev.ordo.runtime.engine;

import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.ComponentStatus;
import dev.ordo.runtime.LifecycleController;
import java.time.Duration;

/**
 * The mutable record of one component in one application; every field is guarded by the node's
 * own monitor, which is never held while calling anything else. Kept small: a large graph holds
 * one per component.
 */
final class ComponentNode {
  final int index;
  final LifecycleController<?> controller;

  @GuardedBy("this") private ComponentState state = ComponentState.PENDING;
  @GuardedBy("this") private Throwable failure;
  /**
   * Microseconds (at most {@value #MAX_MICROS}, about 35 minutes), or -1: ints, not objects or
   * longs, which keeps the node at 48 bytes.
   */
  @GuardedBy("this") private int startupMicros = -1;
  @GuardedBy("this") private int shutdownMicros = -1;

  private static final int MAX_MICROS = Integer.MAX_VALUE;

  private static int micros(long nanos) {
    return nanos < 0 ? -1 : (int) Math.min(MAX_MICROS, nanos / 1000);
  }

  private static Duration duration(int micros) {
    return micros < 0 ? null : Duration.ofNanos(micros * 1000L);
  }
  @GuardedBy("this") private Throwable shutdownFailure;
  /** Ends the start hook in flight early (see {@link HookInvoker.Outcome#began}); null when none runs. */
  @GuardedBy("this") private Runnable expireStart;
  /** Bits: the start completed after its timeout; the stop phase passed it; the stop phase waits for its start. */
  @GuardedBy("this") private byte flags;

  private static final byte LATE_STARTED = 1;
  private static final byte STOP_PASSED = 2;
  private static final byte STOP_WAITS = 4;

  ComponentNode(int index, LifecycleController<?> controller) {
    this.index = index;
    this.controller = controller;
  }

  ComponentDescriptor descriptor() {
    return controller.descriptor();
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

  /** PENDING -> STARTING, unless the stop phase has already passed the component. */
  synchronized boolean beginStart() {
    if (state != ComponentState.PENDING || (flags & STOP_PASSED) != 0) {
      return false;
    }
    state = ComponentState.STARTING;
    return true;
  }

  synchronized void startHookBegan(Runnable expire) {
    this.expireStart = expire;
  }

  /** The start hook's expiry, taken once (null if none runs). */
  synchronized Runnable takeStartExpiry() {
    Runnable r = expireStart;
    expireStart = null;
    return r;
  }

  /** STARTING -> {@code to} with what it took and why; false if it was decided otherwise. */
  synchronized boolean settleStart(ComponentState to, long tookNanos, Throwable why) {
    if (state != ComponentState.STARTING) {
      return false;
    }
    state = to;
    startupMicros = micros(tookNanos);
    failure = why;
    expireStart = null;
    return true;
  }

  /** PENDING -> SKIPPED because of {@code why}. */
  synchronized boolean skip(Throwable why) {
    if (state != ComponentState.PENDING) {
      return false;
    }
    state = ComponentState.SKIPPED;
    failure = why;
    return true;
  }

  synchronized Throwable failure() {
    return failure;
  }

  synchronized void stopEnded(long tookNanos, Throwable stopFailure) {
    this.shutdownMicros = micros(tookNanos);
    this.shutdownFailure = stopFailure;
  }

  synchronized Throwable shutdownFailure() {
    return shutdownFailure;
  }

  /**
   * Records that the start completed after its timeout; returns whether the stop phase has
   * already passed this component, so that whoever saw the late start must stop it now.
   */
  synchronized boolean markLateStarted() {
    flags |= LATE_STARTED;
    return (flags & STOP_PASSED) != 0;
  }

  /** What the stop phase does with a component it reaches. */
  enum StopClaim {
    /** Run its stop hook now. */
    STOP,
    /** Nothing to stop (it never ran); from now on it can no longer start. */
    NOTHING,
    /** It is still starting: the stop phase resumes when its start settles. */
    WAIT_FOR_START
  }

  /** The stop phase reached this component. */
  synchronized StopClaim claimStop() {
    if (state == ComponentState.STARTING) {
      flags |= STOP_WAITS;
      return StopClaim.WAIT_FOR_START;
    }
    flags &= ~STOP_WAITS;
    if (needsStop()) {
      return StopClaim.STOP;
    }
    flags |= STOP_PASSED;
    return StopClaim.NOTHING;
  }

  /** The start settled: whether the stop phase was waiting for it (and must resume now). */
  synchronized boolean takeStopWaiter() {
    if ((flags & STOP_WAITS) == 0) {
      return false;
    }
    flags &= ~STOP_WAITS;
    return true;
  }

  /** Whether a stop hook is owed: the component runs, or its late start completed. */
  synchronized boolean needsStop() {
    return state == ComponentState.RUNNING
        || (state == ComponentState.FAILED && (flags & LATE_STARTED) != 0);
  }

  synchronized ComponentStatus snapshot() {
    return new ComponentStatus(controller.descriptor(), state, failure,
        duration(startupMicros),
        duration(shutdownMicros),
        shutdownFailure);
  }
}
