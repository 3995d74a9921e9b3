package dev.ordo.runtime.resources;

/**
 * {@link ManagedResource#acquire()} found no version to lease: the resource is closed, it has no
 * version to load (no initial version and no swap yet), or its load on demand failed or did not
 * end within the acquire timeout. The load's failure, if any, is the {@linkplain #getCause() cause}.
 *
 * @since 0.1
 */
public final class ResourceUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ResourceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
