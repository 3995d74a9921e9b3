package dev.ordo.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * How an optional component heals: after a failed start, Ordo starts it again after
 * {@link #initial()}, then after twice as long, and so on, up to {@link #max()} between two
 * attempts, at most {@link #attempts()} times in a row ({@code 0}: until the application stops).
 * Each delay is varied by up to 20%, never past {@code max}, so that many instances that failed
 * together do not retry in step. A restart on a failed health check ({@code @HealthCheck(restart =
 * true)}) is an attempt of the same sequence.
 *
 * <p>Declared with {@code @OnStartup(retry = @Retry(initial = "1s", max = "1m"))}; set or
 * overridden per component with {@link Ordo.Builder#retry(String, RetryPolicy)}, the system property
 * {@code ordo.retry.<component>} or the environment variable {@code ORDO_RETRY_<COMPONENT>}, whose
 * value {@link #parse} reads: {@code off}, {@code on}, or {@code initial=1s, max=1m, attempts=10}.
 *
 * <pre>{@code
 * Ordo.builder()
 *     .components(pool, store, cache)
 *     .retry(Cache.class, RetryPolicy.backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)).attempts(20))
 *     .build();
 * }</pre>
 *
 * <p>Immutable.
 *
 * @since 0.1
 */
public final class RetryPolicy {
  /** The delay before the first attempt when none is given: 1s. */
  public static final Duration DEFAULT_INITIAL = Duration.ofSeconds(1);
  /** The longest delay between attempts when none is given: 1m. */
  public static final Duration DEFAULT_MAX = Duration.ofMinutes(1);

  private static final RetryPolicy NONE = new RetryPolicy(null, null, 0);
  private static final RetryPolicy DEFAULTS = new RetryPolicy(DEFAULT_INITIAL, DEFAULT_MAX, 0);

  /** The form {@link #parse} reads, for error messages. */
  public static final String SETTING_FORM = "off, on, or comma-separated initial=<duration>, max=<duration>,"
      + " attempts=<whole number, 0 for no limit> (such as initial=1s, max=1m, attempts=10), with max no"
      + " shorter than initial";

  private final Duration initial;
  private final Duration max;
  private final int attempts;

  private RetryPolicy(Duration initial, Duration max, int attempts) {
    this.initial = initial;
    this.max = max;
    this.attempts = attempts;
  }

  /**
   * Retries after {@code initial}, doubling the delay each time up to {@code max}, without a limit
   * on the attempts ({@link #attempts(int)} sets one).
   *
   * @throws IllegalArgumentException if a duration is not positive, or {@code max} is shorter than
   *     {@code initial}
   */
  public static RetryPolicy backoff(Duration initial, Duration max) {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (initial.isNegative() || initial.isZero() || max.isNegative() || max.isZero()) {
      throw new IllegalArgumentException("The delays of a retry must be positive: initial " + Durations.format(initial)
          + ", max " + Durations.format(max));
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("The longest delay of a retry (max " + Durations.format(max)
          + ") is shorter than the first (initial " + Durations.format(initial) + ")");
    }
    return new RetryPolicy(initial, max, 0);
  }

  /** Retries after {@link #DEFAULT_INITIAL} (1s), doubling up to {@link #DEFAULT_MAX} (1m), without a limit. */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /** No retry: a failed start is final. Given to the builder, it turns off a component's declared retry. */
  public static RetryPolicy none() {
    return NONE;
  }

  /**
   * This policy with at most {@code limit} attempts in a row; {@code 0} means no limit.
   *
   * @throws IllegalArgumentException if {@code limit} is negative
   * @throws IllegalStateException on {@link #none()}
   */
  public RetryPolicy attempts(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("The attempts of a retry are 0 (no limit) or more, not " + limit);
    }
    if (!enabled()) {
      throw new IllegalStateException("RetryPolicy.none() has no attempts");
    }
    return new RetryPolicy(initial, max, limit);
  }

  /** Whether this policy retries at all ({@code false} only for {@link #none()}). */
  public boolean enabled() {
    return initial != null;
  }

  /** The delay before the first attempt; {@code null} for {@link #none()}. */
  public Duration initial() {
    return initial;
  }

  /** The longest delay between two attempts; {@code null} for {@link #none()}. */
  public Duration max() {
    return max;
  }

  /** The most attempts in a row before Ordo gives up; {@code 0} for no limit. */
  public int attempts() {
    return attempts;
  }

  /**
   * The delay before attempt {@code attempt} (1 is the first), before the variation of up to 20%:
   * {@code min(max, initial × 2^(attempt − 1))}.
   *
   * @throws IllegalArgumentException if {@code attempt} is less than 1
   * @throws IllegalStateException on {@link #none()}
   */
  public Duration delay(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("Attempts are counted from 1, not " + attempt);
    }
    if (!enabled()) {
      throw new IllegalStateException("RetryPolicy.none() never retries");
    }
    Duration d = initial;
    for (int i = 1; i < attempt && d.compareTo(max) < 0; i++) {
      if (d.getSeconds() > Long.MAX_VALUE / 4) {
        return max; // doubling would pass what a Duration holds; max is no longer than that
      }
      d = d.multipliedBy(2); // a few dozen doublings at most before reaching max
    }
    return d.compareTo(max) > 0 ? max : d;
  }

  /**
   * Reads the value of the setting {@code ordo.retry.<component>}: {@code off} (no retry), {@code on}
   * ({@code base}, or {@link #defaults()} when {@code base} does not retry), or comma-separated
   * {@code initial=<duration>}, {@code max=<duration>} and {@code attempts=<n>}, each at most once,
   * whitespace around them ignored; one not given keeps the value of {@code base} (the component's
   * own {@code @Retry}), else the default. Durations follow Ordo's grammar ({@code 500ms},
   * {@code 10s}, {@code 2m}, {@code 1h}).
   *
   * @param base the component's own policy, {@link #none()} when it declares none
   * @throws IllegalArgumentException if the text is not of this form, or {@code max} would be
   *     shorter than {@code initial}
   */
  public static RetryPolicy parse(String text, RetryPolicy base) {
    Objects.requireNonNull(base, "base");
    String t = Objects.requireNonNull(text, "text").strip();
    if (t.equals("off")) {
      return NONE;
    }
    RetryPolicy start = base.enabled() ? base : DEFAULTS;
    if (t.equals("on")) {
      return start;
    }
    Duration initial = null;
    Duration max = null;
    Integer attempts = null;
    for (String part : t.split(",", -1)) {
      String p = part.strip();
      int eq = p.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("'" + p + "' is not name=value");
      }
      String name = p.substring(0, eq).strip();
      String value = p.substring(eq + 1).strip();
      switch (name) {
        case "initial":
          if (initial != null) {
            throw new IllegalArgumentException("initial given twice");
          }
          initial = Durations.parse(value);
          break;
        case "max":
          if (max != null) {
            throw new IllegalArgumentException("max given twice");
          }
          max = Durations.parse(value);
          break;
        case "attempts":
          if (attempts != null) {
            throw new IllegalArgumentException("attempts given twice");
          }
          attempts = wholeNumber(value);
          break;
        default:
          throw new IllegalArgumentException("unknown name '" + name + "'");
      }
    }
    return backoff(initial != null ? initial : start.initial, max != null ? max : start.max)
        .attempts(attempts != null ? attempts : start.attempts);
  }

  private static int wholeNumber(String value) {
    if (value.isEmpty() || value.length() > 9) {
      throw new IllegalArgumentException("'" + value + "' is not a whole number");
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        throw new IllegalArgumentException("'" + value + "' is not a whole number");
      }
    }
    return Integer.parseInt(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryPolicy
        && Objects.equals(initial, ((RetryPolicy) o).initial)
        && Objects.equals(max, ((RetryPolicy) o).max)
        && attempts == ((RetryPolicy) o).attempts;
  }

  @Override
  public int hashCode() {
    return Objects.hash(initial, max, attempts);
  }

  /** The form {@link #parse} reads back: {@code initial=1s, max=1m, attempts=0}, or {@code off}. */
  @Override
  public String toString() {
    return enabled()
        ? "initial=" + Durations.format(initial) + ", max=" + Durations.format(max) + ", attempts=" + attempts
        : "off";
  }
}
