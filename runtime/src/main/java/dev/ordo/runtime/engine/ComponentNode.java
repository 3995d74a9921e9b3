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
  /**
   * Bits: the start completed after its timeout; the stop phase passed it; the stop phase waits for
   * its start (or its restart); its start hook's method or stage has not ended yet; a restart is
   * between its stop and its start; it is optional and not running as it should (counted by the
   * engine's {@code isDegraded()}).
   */
  @GuardedBy("this") private byte flags;

  private static final byte LATE_STARTED = 1;
  private static final byte STOP_PASSED = 2;
  private static final byte STOP_WAITS = 4;
  private static final byte START_HOOK_RUNNING = 8;
  private static final byte RESTARTING = 16;
  private static final byte DEGRADED = 32;

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
    flags |= START_HOOK_RUNNING;
  }

  /** The start hook's method returned, or its stage completed, after its timeout (see {@link #settleStart}). */
  synchronized void startHookReturned() {
    flags &= ~START_HOOK_RUNNING;
  }

  /** Whether a start hook of this component has been called and has not ended yet (it passed its timeout). */
  synchronized boolean startHookRunning() {
    return (flags & START_HOOK_RUNNING) != 0;
  }

  /** The start hook's expiry, taken once (null if none runs). */
  synchronized Runnable takeStartExpiry() {
    Runnable r = expireStart;
    expireStart = null;
    return r;
  }

  /**
   * STARTING -> {@code to} with what it took and why; false if it was decided otherwise.
   *
   * @param hookReturned whether the hook has ended (it returned or its stage completed), rather
   *     than passed its timeout or been abandoned while it runs
   */
  synchronized boolean settleStart(ComponentState to, long tookNanos, Throwable why, boolean hookReturned) {
    if (hookReturned) {
      flags &= ~START_HOOK_RUNNING;
    }
    if (state != ComponentState.STARTING) {
      return false;
    }
    state = to;
    startupMicros = micros(tookNanos);
    failure = why;
    expireStart = null;
    return true;
  }

  /**
   * A retry: FAILED -> STARTING (or, after a dependency recovered, SKIPPED -> STARTING), unless the
   * stop phase has passed the component or a start hook of it still runs.
   */
  synchronized boolean beginRetry(ComponentState from) {
    if (state != from || (flags & (STOP_PASSED | START_HOOK_RUNNING | LATE_STARTED)) != 0) {
      return false;
    }
    state = ComponentState.STARTING;
    return true;
  }

  /**
   * A start that passed its timeout completed after all, and the component is to run: FAILED ->
   * RUNNING, unless the stop phase has passed it. Its late start no longer needs a stop of its own.
   */
  synchronized boolean recoverLateStart() {
    if (state != ComponentState.FAILED || (flags & LATE_STARTED) == 0 || (flags & STOP_PASSED) != 0) {
      return false;
    }
    flags &= ~LATE_STARTED;
    state = ComponentState.RUNNING;
    failure = null;
    return true;
  }

  /** A restart begins: RUNNING -> STOPPING, and the stop phase waits for the restart to settle. */
  synchronized boolean beginRestart() {
    if (state != ComponentState.RUNNING || (flags & STOP_PASSED) != 0) {
      return false;
    }
    state = ComponentState.STOPPING;
    flags |= RESTARTING;
    return true;
  }

  /**
   * The restart's stop ended and its start begins: STOPPED -> STARTING, unless the stop phase took
   * the component meanwhile. Either way the restart is no longer between its stop and its start.
   */
  synchronized boolean continueRestart(boolean start) {
    flags &= ~RESTARTING;
    if (!start || state != ComponentState.STOPPED || (flags & STOP_PASSED) != 0) {
      return false;
    }
    state = ComponentState.STARTING;
    return true;
  }

  /**
   * The shutdown gives up on a restart between its stop and its start (its stop hook passed its
   * timeout and has not returned): it will not start. Whether a restart was there to give up.
   */
  synchronized boolean abandonRestart() {
    boolean was = (flags & RESTARTING) != 0;
    flags &= ~RESTARTING;
    return was;
  }

  /**
   * Marks the component degraded (optional and not running as it should) or not; whether that
   * changed, so that the engine counts each component once.
   */
  synchronized boolean markDegraded(boolean degraded) {
    boolean was = (flags & DEGRADED) != 0;
    if (degraded) {
      flags |= DEGRADED;
    } else {
      flags &= ~DEGRADED;
    }
    return was != degraded;
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
    if (state == ComponentState.STARTING || (flags & RESTARTING) != 0) {
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
    return snapshot(null);
  }

  /** The status, with {@code retry} (computed apart, under the recovery's lock) when it has a policy. */
  synchronized ComponentStatus snapshot(dev.ordo.runtime.RetryStatus retry) {
    return new ComponentStatus(controller.descriptor(), state, failure,
        duration(startupMicros),
        duration(shutdownMicros),
        shutdownFailure, retry);
  }
}
