package dev.ordo.runtime.resources;

/**
 * One use of one version of a {@link ManagedResource}: the version stays loaded until the lease
 * is closed. Get one for each request and close it when the request is done:
 *
 * <pre>{@code
 * try (Lease<OrtSession> lease = model.acquire()) {
 *   OrtSession session = lease.get();
 *   String version = lease.version();
 *   ...
 * }
 * }</pre>
 *
 * <p>A lease belongs to the code that acquired it: it is not meant to be shared by threads that
 * run at the same time (hand it over, with a happens-before, if another thread is to close it).
 * Closing it twice does nothing the second time. Do not keep the value past {@link #close()}: the
 * version may be unloaded as soon as its last lease is closed.
 *
 * @param <T> the resource's type
 * @since 0.1
 */
public final class Lease<T> implements AutoCloseable {
  private final ManagedResource.Version<T> version;
  private final int stripe;
  private boolean released;

  Lease(ManagedResource.Version<T> version, int stripe) {
    this.version = version;
    this.stripe = stripe;
  }

  /**
   * The value of the leased version.
   *
   * @throws IllegalStateException if the lease is closed
   */
  public T get() {
    if (released) {
      throw new IllegalStateException("The lease of " + version.owner.name() + " " + version.id
          + " is closed; acquire another one");
    }
    return version.value;
  }

  /** The version this lease holds, such as {@code "v1"}. */
  public String version() {
    return version.id;
  }

  /** Releases the version: once its last lease is released, a retired version is unloaded. */
  @Override
  public void close() {
    if (released) {
      return;
    }
    released = true;
    version.release(stripe);
  }

  @Override
  public String toString() {
    return "Lease[" + version.owner.name() + " " + version.id + (released ? ", closed]" : "]");
  }
}
