package dev.ordo.runtime.engine;

import java.time.Duration;

/**
 * How the last stop of each component ended (what it took, and its failure), for
 * {@link dev.ordo.runtime.ComponentStatus#shutdownDuration()} and
 * {@link dev.ordo.runtime.ComponentStatus#shutdownFailure()}: kept apart from the
 * {@link ComponentNode}s so that a running application, which has stopped nothing, does not pay
 * for them. The durations' array is allocated by the first stop recorded (the stop phase's, or a
 * self-healing component's restart), the failures' by the first stop that failed; one object per
 * application until then.
 *
 * <p>Element {@code i} of either array is written and read only under the monitor of component
 * {@code i}'s node (see {@link ComponentNode#stopEnded} and {@link ComponentNode#snapshot}), which
 * orders it with the component's state. The arrays are published through volatile fields; the
 * first writer allocates each under this object's own monitor, which is taken inside a node's
 * monitor, never the other way round, and holds no call to anything else.
 */
final class StopRecords {
  private final int size;
  /** Per component: microseconds the last stop took (at most {@link Integer#MAX_VALUE} - 1) plus one; 0: none. */
  private volatile int[] micros;
  /** Per component: what its last stop threw, or why it was abandoned; {@code null} until a stop failed. */
  private volatile Throwable[] failures;

  StopRecords(int size) {
    this.size = size;
  }

  /**
   * Records component {@code i}'s stop: what it took ({@code tookNanos}, or negative when it has no
   * duration: it was abandoned or never called) and its failure ({@code null}: none). Called under
   * the monitor of node {@code i}, by whatever thread ended the stop; never blocks but for the
   * allocation below, never throws.
   */
  void set(int i, long tookNanos, Throwable failure) {
    int[] m = micros;
    if (m == null) {
      m = allocateMicros();
    }
    m[i] = tookNanos < 0 ? 0 : (int) Math.min(Integer.MAX_VALUE - 1, tookNanos / 1000) + 1;
    Throwable[] f = failures;
    if (failure != null) {
      if (f == null) {
        f = allocateFailures();
      }
      f[i] = failure;
    } else if (f != null) {
      f[i] = null;
    }
  }

  /** What component {@code i}'s last stop took, or {@code null}; under the monitor of node {@code i}. */
  Duration duration(int i) {
    int[] m = micros;
    int v = m == null ? 0 : m[i];
    return v == 0 ? null : Duration.ofNanos((v - 1) * 1000L);
  }

  /** What component {@code i}'s last stop threw (or why it was abandoned), or {@code null}; under the monitor of node {@code i}. */
  Throwable failure(int i) {
    Throwable[] f = failures;
    return f == null ? null : f[i];
  }

  private synchronized int[] allocateMicros() {
    if (micros == null) {
      micros = new int[size];
    }
    return micros;
  }

  private synchronized Throwable[] allocateFailures() {
    if (failures == null) {
      failures = new Throwable[size];
    }
    return failures;
  }
}
