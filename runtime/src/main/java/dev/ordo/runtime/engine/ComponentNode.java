package dev.ordo.runtime.engine;

import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.ComponentState;
import dev.ordo.runtime.ComponentStatus;
import dev.ordo.runtime.LifecycleController;
import java.time.Duration;

/**
 * The mutable record of one component in one application; every field is guarded by the node's
 * own monitor, which is never held while calling anything else (but {@link StopRecords}, which
 * calls nothing). Kept small, 32 bytes: a large graph holds one per component. How its stop ended
 * is kept in the application's {@link StopRecords}, which a running application has not
 * allocated, under this node's monitor all the same.
 */
final class ComponentNode {
  final int index;
  final LifecycleController<?> controller;

  /** The {@link ComponentState}'s ordinal: a byte, not a reference, which keeps the node at 32 bytes. */
  @GuardedBy("this") private byte state;
  /**
   * The failure (a {@link Throwable}: why it failed or was skipped) and the start hook's expiry
   * (ends the start hook in flight early, see {@link HookInvoker.Outcome#began}; {@code null} when
   * none runs) in one field, since they rarely coexist (only while a failed component is retried):
   * {@code null}, the failure alone, the expiry alone (a {@link Runnable} that is not a
   * {@code Throwable}), or both in a {@link FailureAndExpiry}. Read and written only through
   * {@link #failureField}, {@link #expiryField} and {@link #setFailureAndExpiry}.
   */
  @GuardedBy("this") private Object failureOrExpiry;
  /**
   * Microseconds (at most {@value #MAX_MICROS}, about 35 minutes), or -1: an int, not an object or
   * a long, which keeps the node at 32 bytes.
   */
  @GuardedBy("this") private int startupMicros = -1;

  private static final int MAX_MICROS = Integer.MAX_VALUE;

  private static int micros(long nanos) {
    return nanos < 0 ? -1 : (int) Math.min(MAX_MICROS, nanos / 1000);
  }

  private static Duration duration(int micros) {
    return micros < 0 ? null : Duration.ofNanos(micros * 1000L);
  }
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

  private static final ComponentState[] STATES = ComponentState.values();

  ComponentNode(int index, LifecycleController<?> controller) {
    this.index = index;
    this.controller = controller;
    this.state = (byte) ComponentState.PENDING.ordinal();
  }

  /** A failure and an expiry at once: a retry's start hook runs while the last failure is kept. */
  private static final class FailureAndExpiry {
    final Throwable failure;
    final Runnable expiry;

    FailureAndExpiry(Throwable failure, Runnable expiry) {
      this.failure = failure;
      this.expiry = expiry;
    }
  }

  @GuardedBy("this")
  private ComponentState stateField() {
    return STATES[state];
  }

  @GuardedBy("this")
  private void stateField(ComponentState to) {
    state = (byte) to.ordinal();
  }

  @GuardedBy("this")
  private Throwable failureField() {
    Object o = failureOrExpiry;
    return o instanceof Throwable ? (Throwable) o
        : o instanceof FailureAndExpiry ? ((FailureAndExpiry) o).failure : null;
  }

  @GuardedBy("this")
  private Runnable expiryField() {
    Object o = failureOrExpiry;
    return o == null || o instanceof Throwable ? null
        : o instanceof FailureAndExpiry ? ((FailureAndExpiry) o).expiry : (Runnable) o;
  }

  @GuardedBy("this")
  private void setFailureAndExpiry(Throwable failure, Runnable expiry) {
    failureOrExpiry = expiry == null ? failure
        : failure == null && !(expiry instanceof Throwable) ? expiry
        : new FailureAndExpiry(failure, expiry);
  }

  ComponentDescriptor descriptor() {
    return controller.descriptor();
  }

  synchronized ComponentState state() {
    return stateField();
  }

  /** Moves from {@code expected} to {@code to}; false (and no change) if the state was another. */
  synchronized boolean transition(ComponentState expected, ComponentState to) {
    if (stateField() != expected) {
      return false;
    }
    stateField(to);
    return true;
  }

  /** PENDING -> STARTING, unless the stop phase has already passed the component. */
  synchronized boolean beginStart() {
    if (stateField() != ComponentState.PENDING || (flags & STOP_PASSED) != 0) {
      return false;
    }
    stateField(ComponentState.STARTING);
    return true;
  }

  synchronized void startHookBegan(Runnable expire) {
    setFailureAndExpiry(failureField(), expire);
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
    Runnable r = expiryField();
    setFailureAndExpiry(failureField(), null);
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
    if (stateField() != ComponentState.STARTING) {
      return false;
    }
    stateField(to);
    startupMicros = micros(tookNanos);
    setFailureAndExpiry(why, null);
    return true;
  }

  /**
   * A retry: FAILED -> STARTING (or, after a dependency recovered, SKIPPED -> STARTING), unless the
   * stop phase has passed the component or a start hook of it still runs.
   */
  synchronized boolean beginRetry(ComponentState from) {
    if (stateField() != from || (flags & (STOP_PASSED | START_HOOK_RUNNING | LATE_STARTED)) != 0) {
      return false;
    }
    stateField(ComponentState.STARTING);
    return true;
  }

  /**
   * A start that passed its timeout completed after all, and the component is to run: FAILED ->
   * RUNNING, unless the stop phase has passed it. Its late start no longer needs a stop of its own.
   */
  synchronized boolean recoverLateStart() {
    if (stateField() != ComponentState.FAILED || (flags & LATE_STARTED) == 0 || (flags & STOP_PASSED) != 0) {
      return false;
    }
    flags &= ~LATE_STARTED;
    stateField(ComponentState.RUNNING);
    setFailureAndExpiry(null, expiryField());
    return true;
  }

  /** A restart begins: RUNNING -> STOPPING, and the stop phase waits for the restart to settle. */
  synchronized boolean beginRestart() {
    if (stateField() != ComponentState.RUNNING || (flags & STOP_PASSED) != 0) {
      return false;
    }
    stateField(ComponentState.STOPPING);
    flags |= RESTARTING;
    return true;
  }

  /**
   * The restart's stop ended and its start begins: STOPPED -> STARTING, unless the stop phase took
   * the component meanwhile. Either way the restart is no longer between its stop and its start.
   */
  synchronized boolean continueRestart(boolean start) {
    flags &= ~RESTARTING;
    if (!start || stateField() != ComponentState.STOPPED || (flags & STOP_PASSED) != 0) {
      return false;
    }
    stateField(ComponentState.STARTING);
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
    if (stateField() != ComponentState.PENDING) {
      return false;
    }
    stateField(ComponentState.SKIPPED);
    setFailureAndExpiry(why, expiryField());
    return true;
  }

  synchronized Throwable failure() {
    return failureField();
  }

  /**
   * Records how this component's stop ended in {@code stops}: what it took ({@code tookNanos}, or
   * negative: abandoned or never called) and its failure, or {@code null}.
   */
  synchronized void stopEnded(StopRecords stops, long tookNanos, Throwable stopFailure) {
    stops.set(index, tookNanos, stopFailure);
  }

  synchronized Throwable shutdownFailure(StopRecords stops) {
    return stops.failure(index);
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
    if (stateField() == ComponentState.STARTING || (flags & RESTARTING) != 0) {
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
    ComponentState s = stateField();
    return s == ComponentState.RUNNING
        || (s == ComponentState.FAILED && (flags & LATE_STARTED) != 0);
  }

  /** The status, how its stop ended read from {@code stops}. */
  synchronized ComponentStatus snapshot(StopRecords stops) {
    return snapshot(stops, null);
  }

  /** The status, with {@code retry} (computed apart, under the recovery's lock) when it has a policy. */
  synchronized ComponentStatus snapshot(StopRecords stops, dev.ordo.runtime.RetryStatus retry) {
    return new ComponentStatus(controller.descriptor(), stateField(), failureField(),
        duration(startupMicros),
        stops.duration(index),
        stops.failure(index), retry);
  }
}
