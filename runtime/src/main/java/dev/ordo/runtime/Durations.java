package dev.ordo.runtime;

import java.math.BigInteger;
import java.time.Duration;

/**
 * Reads and writes the duration strings Ordo uses in annotations and configuration.
 *
 * <p>The grammar, the same in the annotation processor and in the runtime: a whole number above
 * zero, written in the digits {@code 0-9}, directly followed by the unit {@code ms}, {@code s},
 * {@code m} or {@code h}. Whitespace around it (what {@link String#strip()} removes: spaces, tabs,
 * line breaks) is ignored, as configuration files and environment variables often carry some.
 * {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, {@code 007s} and {@code " 30s\n"} are
 * durations; {@code 10 s}, {@code 1.5s}, {@code 10S}, {@code 0s}, {@code -1s}, {@code +1s},
 * {@code 1h30m} and {@code PT10S} are not.
 *
 * <p>Any number of digits is read, without overflow: {@code 3000000h} is 3,000,000 hours. An amount
 * of {@link Long#MAX_VALUE} seconds (some 292 billion years) or more, which a {@link Duration}
 * cannot always hold, reads as {@link #LONGEST}. Wherever Ordo uses a duration as a timeout or a
 * budget, one longer than the nanosecond range of a {@code long} (about 292 years) means no limit.
 *
 * @since 0.1
 */
public final class Durations {
  /** The expected form, for error messages. */
  public static final String EXPECTED_FORM =
      "a positive duration such as 500ms, 10s, 2m or 1h";

  /**
   * What an amount too long for a {@link Duration} reads as: {@link Long#MAX_VALUE} seconds. A
   * whole number of seconds, so that it prints, and is written into generated code, exactly.
   */
  public static final Duration LONGEST = Duration.ofSeconds(Long.MAX_VALUE);

  private static final BigInteger THOUSAND = BigInteger.valueOf(1000);
  private static final BigInteger LONGEST_SECONDS = BigInteger.valueOf(Long.MAX_VALUE);
  /** More digits than this is past {@link #LONGEST} in any unit (its milliseconds have 22). */
  private static final int MAX_DIGITS = 24;

  private Durations() {}

  /**
   * Parses {@code text} by the grammar above.
   *
   * @throws IllegalArgumentException if it is not a positive duration of that form; the message
   *     quotes {@code text}
   */
  public static Duration parse(String text) {
    String t = text == null ? "" : text.strip();
    int digitsEnd = 0;
    while (digitsEnd < t.length() && t.charAt(digitsEnd) >= '0' && t.charAt(digitsEnd) <= '9') {
      digitsEnd++;
    }
    long millisPerUnit = millisPer(t.substring(digitsEnd));
    if (digitsEnd == 0 || millisPerUnit == 0) {
      throw new IllegalArgumentException("'" + text + "' is not " + EXPECTED_FORM);
    }
    String digits = t.substring(0, digitsEnd).replaceFirst("^0+", "");
    if (digits.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "' is zero; expected " + EXPECTED_FORM);
    }
    if (digits.length() > MAX_DIGITS) {
      return LONGEST; // and no BigInteger of a thousand digits
    }
    BigInteger[] seconds = new BigInteger(digits).multiply(BigInteger.valueOf(millisPerUnit))
        .divideAndRemainder(THOUSAND);
    return seconds[0].compareTo(LONGEST_SECONDS) >= 0
        ? LONGEST
        : Duration.ofSeconds(seconds[0].longValue(), seconds[1].longValue() * 1_000_000);
  }

  /** Milliseconds in {@code unit}, or 0 when it is not one of the grammar's. */
  private static long millisPer(String unit) {
    switch (unit) {
      case "ms":
        return 1;
      case "s":
        return 1000;
      case "m":
        return 60_000;
      case "h":
        return 3_600_000;
      default:
        return 0;
    }
  }

  /**
   * Formats {@code d} in the largest unit that keeps it exact to the millisecond: {@code 1500ms},
   * {@code 10s}, {@code 2m}, {@code 3000000h}; below a millisecond in microseconds
   * ({@code 250us}). Never overflows, however long {@code d} is.
   */
  public static String format(Duration d) {
    if (d.isNegative()) {
      return d.getSeconds() == Long.MIN_VALUE && d.getNano() == 0
          ? Long.MIN_VALUE + "s" // the one Duration whose negation does not exist
          : "-" + format(d.negated());
    }
    long seconds = d.getSeconds();
    long millis = d.getNano() / 1_000_000;
    if (seconds == 0 && millis == 0) {
      return d.isZero() ? "0ms" : d.getNano() / 1000 + "us";
    }
    if (millis != 0) {
      return BigInteger.valueOf(seconds).multiply(THOUSAND).add(BigInteger.valueOf(millis)) + "ms";
    }
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }
}
