package dev.ordo;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that reports whether a running component is healthy.
 *
 * <p>The method returns {@code boolean} ({@code false} is DOWN), {@code dev.ordo.runtime.Health}
 * (a status with details), or {@code void} (returning normally is UP, a thrown exception is
 * DOWN). It takes no parameter, or one {@code dev.ordo.runtime.LifecycleContext}. A component may
 * have several checks; each is named after its method unless {@link #name()} says otherwise.
 *
 * <pre>{@code
 * @HealthCheck(timeout = "500ms")
 * boolean ping() { return dataSource.isValid(); }
 * }</pre>
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface HealthCheck {
  /** The name of the check in health reports; empty means the method's name. */
  String name() default "";

  /**
   * How long one run of the check may take before it counts as DOWN, as a duration such as
   * {@code "500ms"}. Empty means the application's default ({@code ordo.health.timeout}).
   */
  String timeout() default "";

  /**
   * How often the check runs in the background, as a duration such as {@code "10s"}. Empty
   * means the application's default ({@code ordo.health.interval}).
   */
  String interval() default "";

  /**
   * Whether Ordo restarts the component when this check turns DOWN (after the flap damping's
   * {@code ordo.health.failure-threshold} DOWN results in a row): its {@code @OnShutdown} method,
   * then its {@code @OnStartup} method, with the backoff of the startup hook's
   * {@link OnStartup#retry() retry}, which the component must declare. For a check of the
   * component itself (a broken connection), not of something a restart cannot fix (a database
   * that is down). The components that depend on it keep running meanwhile.
   *
   * @since 0.1
   */
  boolean restart() default false;
}
