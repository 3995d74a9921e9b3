package dev.ordo.runtime.health;

import dev.ordo.runtime.LifecycleContext;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** The {@link LifecycleContext} a health check method receives. */
final class CheckContext implements LifecycleContext {
  private final String componentName;
  private final Instant deadline;
  private final BooleanSupplier cancelled;

  CheckContext(String componentName, Instant deadline, BooleanSupplier cancelled) {
    this.componentName = componentName;
    this.deadline = deadline;
    this.cancelled = cancelled;
  }

  @Override
  public String componentName() {
    return componentName;
  }

  @Override
  public Phase phase() {
    return Phase.HEALTH_CHECK;
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
    return "health check of " + componentName + " (deadline " + deadline + ")";
  }
}
