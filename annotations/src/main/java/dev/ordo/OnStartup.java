package dev.ordo;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method that starts a component. Ordo calls it once, after every hard
 * {@link DependsOn dependency} is running and every soft one has settled.
 *
 * <p>The method may be public, protected or package-private; it must not be private, static
 * or abstract. It takes no parameter, or one {@code dev.ordo.runtime.LifecycleContext}. It
 * returns {@code void} (the component is running when the method returns) or a
 * {@code CompletionStage<?>} (the component is running when the stage completes). A thrown
 * exception, an exceptionally completed stage or a passed timeout fails the component.
 *
 * <pre>{@code
 * @OnStartup(timeout = "10s")
 * void migrate() { flyway.migrate(); }
 * }</pre>
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface OnStartup {
  /**
   * How long the hook may take, as a duration such as {@code "500ms"}, {@code "10s"} or
   * {@code "2m"}. Empty means the application's default ({@code ordo.startup.timeout}).
   */
  String timeout() default "";
}
