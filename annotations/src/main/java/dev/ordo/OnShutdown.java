package dev.ordo;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method that stops a component. Ordo calls it once, in reverse dependency order:
 * a component is stopped only after every component that depends on it has stopped.
 *
 * <p>The same signature rules as {@link OnStartup} apply. A stop hook that throws or passes its
 * timeout is reported, and the shutdown goes on with the other components.
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface OnShutdown {
  /**
   * How long the hook may take, as a duration such as {@code "500ms"}, {@code "5s"}. Empty
   * means the application's default ({@code ordo.shutdown.hook-timeout}); the whole shutdown
   * never passes the application's shutdown budget whatever this says.
   */
  String timeout() default "";
}
