package dev.ordo.runtime;

import java.time.Duration;

/**
 * One change of a component's state, as {@link LifecycleListener}s see it.
 *
 * @param component the component's descriptor
 * @param from the state before
 * @param to the state after
 * @param duration how long the hook that ended here took ({@link Duration#ZERO} when no hook
 *     ended with this transition)
 * @param cause why the component failed or was skipped, else {@code null}
 * @since 0.1
 */
public record ComponentTransition(
    ComponentDescriptor component,
    ComponentState from,
    ComponentState to,
    Duration duration,
    Throwable cause) {

  /** The component's name. */
  public String name() {
    return component.name();
  }

  @Override
  public String toString() {
    String s = component.name() + ": " + from + " -> " + to;
    if (!duration.isZero()) {
      s += " (" + Durations.format(duration) + ")";
    }
    if (cause != null) {
      s += ": " + cause;
    }
    return s;
  }
}
