package dev.ordo.runtime.health;

import dev.ordo.runtime.resources.ResourceState;
import java.util.List;
import java.util.Objects;

/**
 * A managed resource of a component as a {@link HealthReport} shows it: read when the report is
 * made (never cached), so that the probes show the version that serves now.
 *
 * @param component the component's name
 * @param resource the resource's name
 * @param state its state
 * @param version the version that serves, or {@code null} when none does
 * @param versions the loaded versions: the current one first, then the kept ones, then the retired
 *     ones still waiting for their leases
 * @param leasesInUse the leases held now, over every version
 * @param lastSwapError the message of the last failed swap or load, until a swap succeeds; or
 *     {@code null}
 * @since 0.1
 */
public record ResourceHealth(String component, String resource, ResourceState state, String version,
    List<String> versions, long leasesInUse, String lastSwapError) {
  /** Copies the list. */
  public ResourceHealth {
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(state, "state");
    versions = List.copyOf(versions);
  }
}
