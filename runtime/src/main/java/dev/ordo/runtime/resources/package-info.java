/**
 * Managed resources: versioned values (ML models, pools, index snapshots) used through cheap
 * leases, swapped atomically after load, warm-up and check, the old version closed when its last
 * lease ends, failed swaps leaving the current version serving, idle versions unloaded, usage
 * tracked per version. Start at {@link dev.ordo.runtime.resources.ManagedResource}.
 *
 * @since 0.1
 */
package dev.ordo.runtime.resources;
