package dev.ordo.runtime.engine;

/**
 * The time by which retries and restarts are scheduled: by default {@link System#nanoTime()} and
 * the engine's {@link Deadlines}, driven by the recovery thread. Tests give one they advance by
 * hand, so that a backoff of minutes takes no time and no test sleeps. Hook timeouts are not
 * scheduled here: they stay on the real clock. Internal to the runtime.
 */
public interface RecoveryClock {
  /** Now, on this clock's scale (comparable with the values given to {@link #schedule}). */
  long nanoTime();

  /**
   * Runs {@code action} once {@link #nanoTime()} reaches {@code at}, unless cancelled first. The
   * action is short (it hands the work to the worker pool) and must not be run under a lock the
   * caller of {@code cancel} could hold.
   */
  HookInvoker.Scheduled schedule(long at, Runnable action);
}
