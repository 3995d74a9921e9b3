package dev.ordo.runtime.events;

/**
 * Told of every declared operation as it ends, synchronously, on the thread that ran it, whether
 * or not events are delivered anywhere. {@link dev.ordo.runtime.metrics.OrdoMetrics} times
 * operations with it. Must be quick and must not throw (a throw is logged and ignored).
 *
 * @since 0.1
 */
@FunctionalInterface
public interface OperationObserver {
  /**
   * An operation ended.
   *
   * @param component the component's name
   * @param operation the operation's name, such as {@code checkout}
   * @param durationNanos how long it ran
   * @param failure what it threw, or {@code null} when it completed
   */
  void operationEnded(String component, String operation, long durationNanos, Throwable failure);
}
