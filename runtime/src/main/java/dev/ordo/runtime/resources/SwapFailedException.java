package dev.ordo.runtime.resources;

/**
 * A {@link ManagedResource#swap(String)} or {@link ManagedResource#rollback()} that did not
 * happen: the version that served before (if any) still serves, and {@link #reason()} says why.
 * The loader's, warm-up's or check's own exception is the {@linkplain #getCause() cause}.
 *
 * @since 0.1
 */
public final class SwapFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a swap failed. */
  public enum Reason {
    /** The loader threw. */
    LOAD_FAILED,
    /** The loader did not return within the load timeout. */
    LOAD_TIMED_OUT,
    /** The warm-up threw. */
    WARM_UP_FAILED,
    /** The warm-up and check did not end within the warm-up timeout. */
    WARM_UP_TIMED_OUT,
    /** The health check returned false or threw. */
    CHECK_FAILED,
    /** {@link ManagedResource#rollback()} found no previous version kept loaded. */
    NO_PREVIOUS_VERSION,
    /** The resource is closed (its component stopped, or the application shuts down). */
    CLOSED,
    /** The thread that asked for the swap was interrupted while it waited. */
    INTERRUPTED
  }

  private final String resource;
  private final String version;
  private final String currentVersion;
  private final Reason reason;

  SwapFailedException(String resource, String version, String currentVersion, Reason reason, String detail,
      Throwable cause) {
    super("Swap of " + resource + " to " + version + " failed: " + detail + "; "
        + (currentVersion == null ? "no version serves" : currentVersion + " keeps serving"), cause);
    this.resource = resource;
    this.version = version;
    this.currentVersion = currentVersion;
    this.reason = reason;
  }

  /** The resource's name. */
  public String resource() {
    return resource;
  }

  /** The version the swap was to ({@code null} for a rollback that found none). */
  public String version() {
    return version;
  }

  /** The version that serves after the failure, or {@code null} when none does. */
  public String currentVersion() {
    return currentVersion;
  }

  /** Why it failed. */
  public Reason reason() {
    return reason;
  }
}
