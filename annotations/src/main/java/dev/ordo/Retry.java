package dev.ordo;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How an optional component heals: when its start fails, Ordo starts it again, and again, with
 * exponential backoff, while the application runs degraded without it. Given as the
 * {@code retry} of {@link OnStartup}:
 *
 * <pre>{@code
 * @OnStartup(timeout = "5s", retry = @Retry(initial = "1s", max = "1m"))
 * void connect() { client.connect(); }
 * }</pre>
 *
 * <p>The first attempt comes {@link #initial()} after the failure; each further one doubles the
 * delay, up to {@link #max()}, and every delay is varied by up to 20% so that many instances that
 * failed together do not retry in step (never past {@code max}). When an attempt succeeds, the
 * component is running, the components that hard-depend on it (skipped so far) start in
 * dependency order, and the application's health returns to UP. Retries stop when the shutdown
 * begins. {@link HealthCheck#restart()} restarts a running component whose check fails, with the
 * same backoff.
 *
 * <p>A {@link Critical} component cannot retry: its failure fails the startup. The runtime setting
 * {@code ordo.retry.<component>} overrides or turns off what is declared here.
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface Retry {
  /**
   * The delay before the first attempt, as a duration such as {@code "500ms"}, {@code "1s"} or
   * {@code "2m"}; each further attempt waits twice as long as the one before, up to {@link #max()}.
   */
  String initial() default "1s";

  /** The longest delay between two attempts, as a duration; not shorter than {@link #initial()}. */
  String max() default "1m";

  /**
   * How many attempts at most (retries and restarts in a row, without a recovery in between), after
   * which Ordo gives up and the component stays FAILED; {@code 0} (the default) retries until the
   * application stops.
   */
  int attempts() default 0;
}
