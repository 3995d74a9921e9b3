package dev.ordo.runtime.resources;

import java.time.Duration;
import java.util.Objects;

/**
 * Something that happened to a {@link ManagedResource}, as its {@link ResourceListener}s hear it.
 * The runtime turns these into the CloudEvents {@code resource.loaded}, {@code resource.swapped},
 * {@code resource.swap-failed} and {@code resource.unloaded}, and into metrics.
 *
 * @param kind what happened
 * @param resource the resource's name
 * @param version the version loaded, swapped to, that failed, or unloaded
 * @param previousVersion for {@link Kind#SWAPPED} and {@link Kind#SWAP_FAILED}: the version that
 *     served before (and still serves after a failure); else {@code null}
 * @param loadDuration for {@link Kind#LOADED}: how long the loader took; else {@link Duration#ZERO}
 * @param warmUpDuration for {@link Kind#LOADED}: how long the warm-up and check took; else
 *     {@link Duration#ZERO}
 * @param reason for {@link Kind#SWAP_FAILED}: why; else {@code null}
 * @param error for {@link Kind#SWAP_FAILED}, and {@link Kind#UNLOADED} when the unloader failed or
 *     the version was force-closed: a description; else {@code null}
 * @param forced for {@link Kind#UNLOADED}: whether the version was closed while leases still held
 *     it (the shutdown's budget or the lease timeout ran out)
 * @param totalUses for {@link Kind#UNLOADED}: how many leases of it were acquired; else 0
 * @since 0.1
 */
public record ResourceEvent(Kind kind, String resource, String version, String previousVersion,
    Duration loadDuration, Duration warmUpDuration, SwapFailedException.Reason reason, String error,
    boolean forced, long totalUses) {
  /** Checks for nulls. */
  public ResourceEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(loadDuration, "loadDuration");
    Objects.requireNonNull(warmUpDuration, "warmUpDuration");
  }

  /** What happened. */
  public enum Kind {
    /** A version was loaded, warmed up and checked. */
    LOADED,
    /** The current version changed. */
    SWAPPED,
    /** A swap (or a first load) failed; what served before still serves. */
    SWAP_FAILED,
    /** A version was unloaded. */
    UNLOADED
  }
}
