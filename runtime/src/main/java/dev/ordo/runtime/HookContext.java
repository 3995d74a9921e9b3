package dev.ordo.runtime;

import java.time.Instant;
import java.util.function.BooleanSupplier;

/** The {@link LifecycleContext} the runtime passes to hooks. */
final class HookContext implements LifecycleContext {
  private final String componentName;
  private final Phase phase;
  private final Instant deadline;
  private final BooleanSupplier cancelled;

  HookContext(String componentName, Phase phase, Instant deadline, BooleanSupplier cancelled) {
    this.componentName = componentName;
    this.phase = phase;
    this.deadline = deadline;
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
    return deadline;
  }

  @Override
  public boolean isCancelled() {
    return cancelled.getAsBoolean() || !Instant.now().isBefore(deadline);
  }

  @Override
  public String toString() {
    return phase + " of " + componentName + " (deadline " + deadline + ")";
  }
}
