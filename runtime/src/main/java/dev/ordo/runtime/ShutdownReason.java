package dev.ordo.runtime;

/**
 * Why an application shut down.
 *
 * @since 0.1
 */
public enum ShutdownReason {
  /** The process received SIGTERM or SIGINT (or the JVM began to exit). */
  SIGNAL,
  /** {@link Ordo#stop()} was called. */
  MANUAL,
  /** A critical component could not start; what had started was rolled back. */
  STARTUP_FAILURE,
  /** The runtime met an error it cannot recover from. */
  ERROR
}
