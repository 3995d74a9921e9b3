package dev.ordo.runtime.health;

/**
 * The probes, with their HTTP paths and their Kubernetes meaning.
 *
 * @since 0.1
 */
public enum HealthProbe {
  /** Everything: UP when live, started and ready. */
  HEALTH("/health"),
  /**
   * The process is not wedged: the health engine's own thread keeps ticking. DOWN only for a
   * FAILED application or a stalled engine; a failing dependency never makes it DOWN, so that
   * Kubernetes does not restart a pod for what a restart cannot fix.
   */
  LIVE("/health/live"),
  /**
   * The application takes traffic: RUNNING (not DRAINING), every check of a critical component
   * has reported and is UP. A DEGRADED application is ready.
   */
  READY("/health/ready"),
  /** Startup finished: the application reached RUNNING (degraded or not). */
  STARTED("/health/started");

  private final String path;

  HealthProbe(String path) {
    this.path = path;
  }

  /** The HTTP path, such as {@code /health/ready}. */
  public String path() {
    return path;
  }

  /** The probe served at {@code path}, or {@code null}. */
  static HealthProbe forPath(String path) {
    for (HealthProbe p : values()) {
      if (p.path.equals(path)) {
        return p;
      }
    }
    return null;
  }
}
