package dev.ordo.runtime.resources;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The usage of one loaded version of a {@link ManagedResource}, as {@link
 * ManagedResource#versions()} reads it.
 *
 * @param version the version, such as {@code "v1"}
 * @param role whether it serves, is kept for a rollback, or waits for its leases to be unloaded
 * @param loadedAt when its load ended (by the resource's clock)
 * @param loadDuration how long its loader took
 * @param warmUpDuration how long its warm-up and check took
 * @param totalUses how many leases of it were acquired
 * @param inUse how many of its leases are held now
 * @param lastUsed when it was last used, or {@code null} if it never was: when a lease of it was last
 *     released — except for the current version of a resource that does not unload it when idle,
 *     whose releases do not read the clock (that would double the cost of a lease): for it, the
 *     time of the first statistics read that saw its latest uses
 * @since 0.1
 */
public record VersionStats(String version, Role role, Instant loadedAt, Duration loadDuration,
    Duration warmUpDuration, long totalUses, long inUse, Instant lastUsed) {
  /** Checks for nulls. */
  public VersionStats {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(loadedAt, "loadedAt");
    Objects.requireNonNull(loadDuration, "loadDuration");
    Objects.requireNonNull(warmUpDuration, "warmUpDuration");
  }

  /** What a loaded version is for. */
  public enum Role {
    /** It serves: {@link ManagedResource#acquire()} leases it. */
    CURRENT,
    /** It is kept loaded for {@link ManagedResource#rollback()} (the keep policy). */
    KEPT,
    /** It was retired (by the keep policy, idle unload or close) and is unloaded when its last lease ends. */
    RETIRED
  }
}
