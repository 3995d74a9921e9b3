package dev.ordo.runtime.resources;

/**
 * Hears what happens to a {@link ManagedResource}. It is called on the thread that did it — the
 * thread of {@link ManagedResource#swap(String)} after the swap, the thread that unloaded a version
 * — never under the resource's locks; an exception it throws is logged and ignored. It should be
 * quick: a swap returns after its listeners.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ResourceListener {
  /** Called once for each event. */
  void onEvent(ResourceEvent event);
}
