package dev.ordo.runtime.resources;

/**
 * The state of a {@link ManagedResource}.
 *
 * @since 0.1
 */
public enum ResourceState {
  /**
   * No version is loaded: a lazy resource before its first {@link ManagedResource#acquire()}, an
   * eager one before its component starts, one whose first load failed, or one unloaded when idle.
   */
  UNLOADED,
  /** The first version is loading; nothing serves yet. */
  LOADING,
  /** A version serves. */
  READY,
  /** A version serves while another one loads, warms up and is checked. */
  SWAPPING,
  /** {@link ManagedResource#close()} was called: {@link ManagedResource#acquire()} is refused. */
  CLOSED
}
