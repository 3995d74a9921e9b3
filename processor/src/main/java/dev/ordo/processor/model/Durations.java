package dev.ordo.processor.model;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the durations of Ordo's annotations: a whole number above zero and a unit, {@code ms},
 * {@code s}, {@code m} or {@code h}, with nothing around them ({@code "500ms"}, {@code "10s"},
 * {@code "2m"}, {@code "1h"}). Everything else is refused, so that a typo never becomes a default.
 */
public final class Durations {
  private static final Pattern FORM = Pattern.compile("([0-9]{1,18})(ms|s|m|h)");

  private Durations() {}

  /** The duration {@code text} denotes, or empty when it is malformed, zero or out of range. */
  public static Optional<Duration> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher matcher = FORM.matcher(text);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    long amount = Long.parseLong(matcher.group(1));
    if (amount <= 0) {
      return Optional.empty();
    }
    try {
      Duration duration = Duration.of(amount, unitOf(matcher.group(2)));
      duration.toMillis(); // the runtime works in milliseconds: refuse what they cannot hold
      return Optional.of(duration);
    } catch (ArithmeticException e) {
      return Optional.empty();
    }
  }

  /**
   * The largest unit among hours, minutes, seconds and milliseconds that measures {@code duration}
   * exactly: 120 s is {@link ChronoUnit#MINUTES}, 1500 ms is {@link ChronoUnit#MILLIS}.
   */
  public static ChronoUnit largestExactUnit(Duration duration) {
    for (ChronoUnit unit : new ChronoUnit[] {ChronoUnit.HOURS, ChronoUnit.MINUTES, ChronoUnit.SECONDS}) {
      if (duration.toMillis() % unit.getDuration().toMillis() == 0) {
        return unit;
      }
    }
    return ChronoUnit.MILLIS;
  }

  /** How many {@code unit}s {@code duration} is; exact when {@code unit} is its largest exact one. */
  public static long amountIn(Duration duration, ChronoUnit unit) {
    return duration.toMillis() / unit.getDuration().toMillis();
  }

  /** The shortest text {@link #parse} reads back as {@code duration}: {@code "2m"}, {@code "1500ms"}. */
  public static String format(Duration duration) {
    ChronoUnit unit = largestExactUnit(duration);
    return amountIn(duration, unit) + suffixOf(unit);
  }

  private static ChronoUnit unitOf(String suffix) {
    switch (suffix) {
      case "ms":
        return ChronoUnit.MILLIS;
      case "s":
        return ChronoUnit.SECONDS;
      case "m":
        return ChronoUnit.MINUTES;
      default:
        return ChronoUnit.HOURS;
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
