package dev.ordo.runtime.engine;

import java.time.Duration;

/**
 * Saturating arithmetic on {@link System#nanoTime()} values. A duration longer than the nanosecond
 * range (about 292 years) means "no limit": {@link #NO_LIMIT}. Nothing here overflows, so a
 * timeout of {@code 3000000h} or {@code ChronoUnit.FOREVER} is simply a deadline that never comes.
 */
public final class Nanos {
  /** A duration or deadline that never ends. */
  public static final long NO_LIMIT = Long.MAX_VALUE;

  private Nanos() {}

  /** {@code d} in nanoseconds, or {@link #NO_LIMIT} when it does not fit. */
  public static long of(Duration d) {
    if (d.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L - 1) {
      return NO_LIMIT;
    }
    return d.toNanos();
  }

  /** The deadline {@code nanos} after {@code now}, or {@link #NO_LIMIT}. */
  public static long deadline(long now, long nanos) {
    if (nanos == NO_LIMIT) {
      return NO_LIMIT;
    }
    long d = now + nanos;
    // nanoTime values may be negative; a real deadline is never allowed to land on NO_LIMIT.
    if (((now ^ d) & (nanos ^ d)) < 0 || d == NO_LIMIT) {
      return NO_LIMIT;
    }
    return d;
  }

  /** The earlier of two deadlines. */
  public static long earlier(long a, long b) {
    if (a == NO_LIMIT) {
      return b;
    }
    if (b == NO_LIMIT) {
      return a;
    }
    return a - b <= 0 ? a : b;
  }

  /** The later of two deadlines. */
  public static long later(long a, long b) {
    if (a == NO_LIMIT || b == NO_LIMIT) {
      return NO_LIMIT;
    }
    return a - b >= 0 ? a : b;
  }

  /** Nanoseconds left until {@code deadline} (never negative; {@link #NO_LIMIT} for none). */
  public static long left(long deadline, long now) {
    if (deadline == NO_LIMIT) {
      return NO_LIMIT;
    }
    return Math.max(0, deadline - now);
  }

  /** Whether {@code deadline} has passed at {@code now}. */
  public static boolean passed(long deadline, long now) {
    return deadline != NO_LIMIT && deadline - now <= 0;
  }

  /** {@code a + b} for non-negative amounts, saturating at {@link #NO_LIMIT}. */
  public static long add(long a, long b) {
    long s = a + b;
    return s < 0 || a == NO_LIMIT || b == NO_LIMIT ? NO_LIMIT : s;
  }

  /** The amount as a duration, {@code null} when it is {@link #NO_LIMIT}. */
  public static Duration toDuration(long nanos) {
    return nanos == NO_LIMIT ? null : Duration.ofNanos(nanos);
  }
}
