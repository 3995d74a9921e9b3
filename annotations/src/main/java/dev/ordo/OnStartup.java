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
 *
 * @OnStartup(timeout = "5s", retry = @Retry(initial = "1s", max = "1m"))
 * void connect() { cache.connect(); }          // an optional component that heals
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

  /**
   * How the start is retried when it fails: at most one {@link Retry}, such as
   * {@code retry = @Retry(initial = "1s", max = "1m")}; none (the default) means a failed start is
   * final and the component stays FAILED until the application stops. Only for optional components:
   * a {@link Critical} one that fails fails the startup.
   *
   * @since 0.1
   */
  Retry[] retry() default {};
}
