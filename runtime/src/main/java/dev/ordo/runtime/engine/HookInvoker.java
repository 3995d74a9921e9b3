package dev.ordo.runtime.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one hook — a start, a stop, the stop of a start that completed late, a health check —
 * within a deadline. The one place that knows how a hook ends:
 *
 * <ul>
 *   <li>a synchronous hook returns or throws; an asynchronous one's stage completes later;
 *   <li>the deadline passes first: the hook is decided TIMED OUT, and its thread, if it is still
 *       inside the hook's method, is interrupted and reported held ({@link Outcome#threadHeld}),
 *       so that its pool can add a thread in its place;
 *   <li>which of the two came first is decided by one compare-and-set, so an end that races the
 *       deadline is reported exactly once, either way, and never both;
 *   <li>an end that arrives after the timeout is reported separately ({@link Outcome#endedLate}),
 *       so that a start which completed late can still be stopped, and a held thread released;
 *   <li>no interrupt meant for a hook outlives its method: the thread leaves with its flag clear.
 * </ul>
 *
 * <p>The {@link Outcome} runs on the thread where the decision was made: the hook's own thread,
 * the thread that completed its stage, or the thread that fired the deadline. It must not block.
 * Internal to the runtime; public only for its health package.
 */
public final class HookInvoker {
  private final Timer timer;

  /** Where deadlines are kept: the lifecycle's {@link Deadlines}, or the health checks' scheduler. */
  public interface Timer {
    /** Runs {@code action} at {@code deadline} ({@link System#nanoTime()}) unless cancelled first. */
    Scheduled schedule(long deadline, Runnable action);
  }

  /** A deadline kept by a {@link Timer}. */
  public interface Scheduled {
    /** The hook ended: the action will not run. */
    void cancel();

    /**
     * The hook's method returned a stage that has not completed: the deadline must now outlive
     * what the calling thread does next. Returns the deadline to keep (this one by default; a
     * deadline kept in the calling thread's own slot moves elsewhere, see {@link Deadlines}).
     * Called on the thread that called the hook, before anything can complete it.
     */
    default Scheduled keepBeyondThisThread() {
      return this;
    }
  }

  /** The hook itself: returns {@code null} or a stage for an asynchronous hook. */
  public interface Hook {
    CompletionStage<?> call() throws Exception;
  }

  /** How a hook ended. */
  public interface Outcome {
    /**
     * Called exactly once.
     *
     * @param error what the hook threw or its stage failed with; {@code null} when it succeeded or timed out
     * @param tookNanos from the call to the end (or to the timeout)
     * @param timedOut whether the deadline came first
     */
    void ended(Throwable error, long tookNanos, boolean timedOut);

    /** After a timeout: the hook's own end arrived after all ({@code error} as above). */
    default void endedLate(Throwable error) {}

    /**
     * Before the hook is called: {@code expire} ends it early as if its deadline had passed
     * (interrupting its thread), for the shutdown to reclaim a start it can no longer wait for.
     */
    default void began(Runnable expire) {}

    /**
     * At the timeout, the hook's thread was still inside its method (and was interrupted): its
     * pool may add a thread in its place. Called before {@link #endedLate}, never concurrently
     * with the method's return; must be quick.
     */
    default void threadHeld() {}
  }

  /** An invoker whose deadlines {@code timer} keeps. */
  public HookInvoker(Timer timer) {
    this.timer = timer;
  }

  /** Calls {@code hook} on this thread; {@code outcome} hears how it ended. */
  public void invoke(Hook hook, long deadline, Outcome outcome) {
    invoke(hook, deadline, outcome, null, null);
  }

  /**
   * Like {@link #invoke(Hook, long, Outcome)}, and records the execution as a
   * {@code dev.ordo.Hook} Flight Recorder event when a recording wants it.
   *
   * @param component the component whose hook it is
   * @param phase which hook it is ({@code STARTUP} or {@code SHUTDOWN})
   */
  void invoke(Hook hook, long deadline, Outcome outcome, String component,
      dev.ordo.runtime.LifecycleContext.Phase phase) {
    invoke(hook, deadline, outcome, component, phase, System.nanoTime());
  }

  /**
   * Like {@link #invoke(Hook, long, Outcome, String, dev.ordo.runtime.LifecycleContext.Phase)},
   * with the call counted from {@code began} ({@link System#nanoTime()}, read just before by the
   * caller, which saves reading the clock again).
   */
  void invoke(Hook hook, long deadline, Outcome outcome, String component,
      dev.ordo.runtime.LifecycleContext.Phase phase, long began) {
    invoke(new Delegating(hook, outcome, began), deadline, component, phase);
  }

  /**
   * Calls {@code call}'s hook on this thread, within {@code deadline}; the call hears how it
   * ended. For callers whose one object per hook is the hook, its outcome and its call at once
   * (a startup's attempt): a large graph makes one per component.
   *
   * @param component the component whose hook it is, for the Flight Recorder event ({@code null}: none)
   * @param phase which hook it is ({@code STARTUP} or {@code SHUTDOWN})
   */
  void invoke(Call call, long deadline, String component, dev.ordo.runtime.LifecycleContext.Phase phase) {
    call.enter(Thread.currentThread());
    FlightRecorderEvents.Hook event =
        component == null || !FlightRecorderEvents.recorderUp() ? null : new FlightRecorderEvents.Hook();
    if (event != null && event.isEnabled()) {
      event.component = component;
      event.phase = phase.name();
      event.begin();
      call.event = event;
    }
    call.deadline = deadline == Nanos.NO_LIMIT ? null : timer.schedule(deadline, call);
    call.began(call);
    CompletionStage<?> stage;
    try {
      stage = call.call();
    } catch (Throwable t) {
      call.leave();
      call.end(t);
      return;
    }
    call.leave();
    if (stage == null) {
      call.end(null);
    } else if (stage instanceof CompletableFuture && ((CompletableFuture<?>) stage).isDone()) {
      call.end(outcome((CompletableFuture<?>) stage));
    } else {
      Scheduled d = call.deadline;
      if (d != null) {
        call.deadline = d.keepBeyondThisThread(); // before the stage can end the call
      }
      stage.whenComplete((value, error) -> call.end(unwrap(error)));
    }
  }

  /** Calls {@code hook} with no deadline at all (a stop owed after the shutdown's end). */
  static void invokeUnwatched(Hook hook, Outcome outcome) {
    Call call = new Delegating(hook, outcome, System.nanoTime());
    CompletionStage<?> stage;
    try {
      stage = call.call();
    } catch (Throwable t) {
      call.end(t);
      return;
    }
    if (stage == null) {
      call.end(null);
    } else {
      stage.whenComplete((value, error) -> call.end(unwrap(error)));
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

  /**
   * One call of a hook, and its timeout action: the hook ({@link #call}) and how it ended
   * ({@link #ended} and the rest, as in {@link Outcome}) are the subclass's. It extends
   * {@link AtomicInteger} (its state) so that a caller whose attempt extends it makes one object
   * per hook rather than four: a large graph makes one per component.
   */
  abstract static class Call extends AtomicInteger implements Runnable {
    private static final long serialVersionUID = 1L;
    private static final int RUNNING = 0;
    private static final int ENDED = 1;
    private static final int TIMED_OUT = 2;

    /** When the hook was called ({@link System#nanoTime()}). */
    final long calledAt;
    transient Scheduled deadline;
    /** The Flight Recorder event of this call, or {@code null}; committed once, by the one who decides the end. */
    transient FlightRecorderEvents.Hook event;
    /**
     * The thread inside the hook's method, while it is there. Set by that thread before the
     * deadline is scheduled (which publishes it) and cleared by it ({@link #leave}); read by the
     * timeout action under this object's monitor.
     */
    private transient volatile Thread runner;

    /** A call counted from {@code calledAt} ({@link System#nanoTime()}, read just before by the caller). */
    Call(long calledAt) {
      this.calledAt = calledAt;
    }

    /** The hook itself: returns {@code null} or a stage for an asynchronous hook. */
    abstract CompletionStage<?> call() throws Exception;

    /** See {@link Outcome#ended}: called exactly once, on the thread that decided the end. */
    abstract void ended(Throwable error, long tookNanos, boolean timedOut);

    /** See {@link Outcome#endedLate}. */
    void endedLate(Throwable error) {}

    /** See {@link Outcome#began}. */
    void began(Runnable expire) {}

    /** See {@link Outcome#threadHeld}. */
    void threadHeld() {}

    /** The calling thread is about to call the hook. */
    final void enter(Thread t) {
      runner = t;
    }

    /**
     * The hook's method returned: no interrupt meant for it can reach this thread any more. No
     * lock unless the call timed out: the runner is cleared before the state is read, and the
     * timeout action decides the state before it reads the runner, so either that action sees the
     * runner gone (and interrupts nobody), or this thread sees TIMED_OUT and waits on the monitor
     * for the interrupt (and {@link #threadHeld}) to be over before it clears the flag.
     */
    final void leave() {
      runner = null;
      if (get() == TIMED_OUT) {
        synchronized (this) {
          // Only to wait for a timeout action inside the monitor.
        }
        Thread.interrupted(); // the timeout's interrupt, delivered or not
      }
    }

    final void end(Throwable error) {
      if (compareAndSet(RUNNING, ENDED)) {
        Scheduled d = deadline;
        if (d != null) {
          d.cancel();
        }
        commit(error == null ? "OK" : "FAILED", error);
        ended(error, System.nanoTime() - calledAt, false);
      } else {
        endedLate(error);
      }
    }

    private void commit(String how, Throwable error) {
      FlightRecorderEvents.Hook e = event;
      if (e != null) {
        e.end();
        if (e.shouldCommit()) {
          e.outcome = how;
          e.error = error == null ? null : error.getClass().getName();
          e.commit();
        }
      }
    }

    /** The deadline passed. */
    @Override
    public final void run() {
      if (!compareAndSet(RUNNING, TIMED_OUT)) {
        return;
      }
      // Decided first, reported first: the interrupt below wakes the hook, whose end must lose.
      commit("TIMED_OUT", null);
      ended(null, System.nanoTime() - calledAt, true);
      synchronized (this) {
        // Read once: leave() clears it without the monitor. A thread read just before it left is
        // interrupted all the same, and leave(), seeing TIMED_OUT, waits for this monitor and
        // clears that interrupt.
        Thread r = runner;
        if (r != null) {
          r.interrupt();
          threadHeld(); // under the monitor: before leave(), so before any endedLate()
        }
      }
    }
  }

  /** A call of a {@link Hook} that tells an {@link Outcome}. */
  private static final class Delegating extends Call {
    private static final long serialVersionUID = 1L;
    private final transient Hook hook;
    private final transient Outcome outcome;

    Delegating(Hook hook, Outcome outcome, long calledAt) {
      super(calledAt);
      this.hook = hook;
      this.outcome = outcome;
    }

    @Override
    CompletionStage<?> call() throws Exception {
      return hook.call();
    }

    @Override
    void ended(Throwable error, long tookNanos, boolean timedOut) {
      outcome.ended(error, tookNanos, timedOut);
    }

    @Override
    void endedLate(Throwable error) {
      outcome.endedLate(error);
    }

    @Override
    void began(Runnable expire) {
      outcome.began(expire);
    }

    @Override
    void threadHeld() {
      outcome.threadHeld();
    }
  }
}
