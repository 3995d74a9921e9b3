package dev.ordo.runtime;

/**
 * An application cannot be built or started as configured: a setting does not parse, a hard
 * dependency's instance is missing, the same component was given twice, the components form a
 * cycle, or a component that cannot be left out was ({@code without(...)}). The message names what
 * is wrong and what to do.
 *
 * @since 0.1
 */
public final class ConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with its message. */
  public ConfigurationException(String message) {
    super(message);
  }
}
