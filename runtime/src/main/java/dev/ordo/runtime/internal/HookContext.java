package dev.ordo.runtime.internal;

import dev.ordo.runtime.LifecycleContext;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.BooleanSupplier;

/**
 * The {@link LifecycleContext} the runtime passes to hooks and health checks. The deadline is kept as a
 * {@link System#nanoTime()} value and turned into an {@link Instant} only when a hook asks: most
 * never do, and reading the wall clock per hook would cost more than many hooks.
 */
public final class HookContext implements LifecycleContext {
  /** A deadline that never comes: the hook has no time limit ({@link Instant#MAX} as a deadline). */
  public static final long NO_LIMIT = Long.MAX_VALUE;

  private final String componentName;
  private final Phase phase;
  private final long deadlineNanos;
  private final BooleanSupplier cancelled;

  /**
   * A context for one call of {@code componentName}'s hook in {@code phase}, which the runtime waits
   * for until {@code deadlineNanos} ({@link System#nanoTime()}); {@code cancelled} says whether it
   * stopped waiting earlier.
   */
  public HookContext(String componentName, Phase phase, long deadlineNanos, BooleanSupplier cancelled) {
    this.componentName = componentName;
    this.phase = phase;
    this.deadlineNanos = deadlineNanos;
    this.cancelled = cancelled;
  }

  @Override
  public String componentName() {
    return componentName;
  }

  @Override
  public Phase phase() {
    return phase;
  }

  @Override
  public Instant deadline() {
    if (deadlineNanos == NO_LIMIT) {
      return Instant.MAX;
    }
    return Instant.now().plusNanos(deadlineNanos - System.nanoTime());
  }

  @Override
  public java.time.Duration remaining() {
    if (deadlineNanos == NO_LIMIT) {
      return ChronoUnit.FOREVER.getDuration();
    }
    long left = deadlineNanos - System.nanoTime();
    return java.time.Duration.ofNanos(Math.max(0, left));
  }

  @Override
  public boolean isCancelled() {
    return cancelled.getAsBoolean() || (deadlineNanos != NO_LIMIT && deadlineNanos - System.nanoTime() <= 0);
  }

  @Override
  public String toString() {
    return phase + " of " + componentName + " (deadline " + deadline() + ")";
  }
}
