package dev.ordo.processor.model;

import java.math.BigInteger;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Reads the durations of Ordo's annotations by the grammar the runtime reads its configuration
 * with ({@code dev.ordo.runtime.Durations}): a whole number above zero in the digits {@code 0-9},
 * directly followed by {@code ms}, {@code s}, {@code m} or {@code h} ({@code "500ms"},
 * {@code "10s"}, {@code "2m"}, {@code "1h"}); whitespace around it is ignored. Everything else is
 * refused, so that a typo never becomes a default. Any number of digits is read without overflow;
 * {@link Long#MAX_VALUE} seconds or more reads as {@link #LONGEST}. Both implementations are
 * checked against one table of examples, {@code runtime/src/test/resources/duration-grammar.txt},
 * so that they cannot drift apart.
 */
public final class Durations {
  /** What an amount of {@link Long#MAX_VALUE} seconds or more reads as. */
  public static final Duration LONGEST = Duration.ofSeconds(Long.MAX_VALUE);

  private static final BigInteger THOUSAND = BigInteger.valueOf(1000);
  private static final BigInteger LONGEST_SECONDS = BigInteger.valueOf(Long.MAX_VALUE);
  /** More digits than this is past {@link #LONGEST} in any unit (its milliseconds have 22). */
  private static final int MAX_DIGITS = 24;

  private Durations() {}

  /** The duration {@code text} denotes, or empty when it is malformed or zero. */
  public static Optional<Duration> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.strip();
    int digitsEnd = 0;
    while (digitsEnd < t.length() && t.charAt(digitsEnd) >= '0' && t.charAt(digitsEnd) <= '9') {
      digitsEnd++;
    }
    Optional<ChronoUnit> unit = unitOf(t.substring(digitsEnd));
    String digits = t.substring(0, digitsEnd).replaceFirst("^0+", "");
    if (unit.isEmpty() || digits.isEmpty()) {
      return Optional.empty(); // malformed, or zero
    }
    if (digits.length() > MAX_DIGITS) {
      return Optional.of(LONGEST);
    }
    BigInteger[] seconds = new BigInteger(digits)
        .multiply(BigInteger.valueOf(unit.get().getDuration().toMillis()))
        .divideAndRemainder(THOUSAND);
    return Optional.of(seconds[0].compareTo(LONGEST_SECONDS) >= 0
        ? LONGEST
        : Duration.ofSeconds(seconds[0].longValue(), seconds[1].longValue() * 1_000_000));
  }

  /**
   * The largest unit among hours, minutes, seconds and milliseconds that measures {@code duration}
   * exactly: 120 s is {@link ChronoUnit#MINUTES}, 1500 ms is {@link ChronoUnit#MILLIS}. Works on
   * seconds, so it never overflows ({@link Duration#toMillis} would, past 292 million years).
   */
  public static ChronoUnit largestExactUnit(Duration duration) {
    if (duration.getNano() != 0) {
      return ChronoUnit.MILLIS;
    }
    long seconds = duration.getSeconds();
    if (seconds % 3600 == 0) {
      return ChronoUnit.HOURS;
    }
    return seconds % 60 == 0 ? ChronoUnit.MINUTES : ChronoUnit.SECONDS;
  }

  /**
   * How many {@code unit}s {@code duration} is; exact when {@code unit} is its largest exact one.
   * In milliseconds, the amount may pass a {@code long} (from 292 million years on), so it is a
   * {@link BigInteger}.
   */
  public static BigInteger amountIn(Duration duration, ChronoUnit unit) {
    if (unit == ChronoUnit.MILLIS) {
      return BigInteger.valueOf(duration.getSeconds()).multiply(THOUSAND)
          .add(BigInteger.valueOf(duration.getNano() / 1_000_000));
    }
    return BigInteger.valueOf(duration.getSeconds() / unit.getDuration().getSeconds());
  }

  /** The shortest text {@link #parse} reads back as {@code duration}: {@code "2m"}, {@code "1500ms"}. */
  public static String format(Duration duration) {
    ChronoUnit unit = largestExactUnit(duration);
    return amountIn(duration, unit) + suffixOf(unit);
  }

  private static Optional<ChronoUnit> unitOf(String suffix) {
    switch (suffix) {
      case "ms":
        return Optional.of(ChronoUnit.MILLIS);
      case "s":
        return Optional.of(ChronoUnit.SECONDS);
      case "m":
        return Optional.of(ChronoUnit.MINUTES);
      case "h":
        return Optional.of(ChronoUnit.HOURS);
      default:
        return Optional.empty();
    }
  }

  private static String suffixOf(ChronoUnit unit) {
    switch (unit) {
      case HOURS:
        return "h";
      case MINUTES:
        return "m";
      case SECONDS:
        return "s";
      default:
        return "ms";
    }
  }
}
