package dev.ordo.runtime.resources;

import java.time.Duration;
import java.util.Objects;

/**
 * What a successful {@link ManagedResource#swap(String)} or {@link ManagedResource#rollback()} did.
 *
 * @param resource the resource's name
 * @param previousVersion the version that served before, or {@code null} when none did
 * @param version the version that serves now
 * @param loaded whether the version was loaded, warmed up and checked by this swap; false when it
 *     was already loaded (a kept version, or the current one)
 * @param loadDuration how long its loader took ({@link Duration#ZERO} when not loaded now)
 * @param warmUpDuration how long its warm-up and check took ({@link Duration#ZERO} when not
 *     loaded now)
 * @since 0.1
 */
public record SwapResult(String resource, String previousVersion, String version, boolean loaded,
    Duration loadDuration, Duration warmUpDuration) {
  /** Checks for nulls. */
  public SwapResult {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(loadDuration, "loadDuration");
    Objects.requireNonNull(warmUpDuration, "warmUpDuration");
  }

  /** Whether the current version changed. */
  public boolean changed() {
    return !version.equals(previousVersion);
  }
}
