package dev.ordo.runtime;

import java.time.Duration;

/**
 * Reads and writes the duration strings Ordo uses in annotations and configuration:
 * a positive whole number followed by {@code ms}, {@code s}, {@code m} or {@code h}, such as
 * {@code 500ms}, {@code 10s}, {@code 2m} or {@code 1h}.
 *
 * @since 0.1
 */
public final class Durations {
  /** The expected form, for error messages. */
  public static final String EXPECTED_FORM =
      "a positive duration such as 500ms, 10s, 2m or 1h";

  private Durations() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException if it is not a positive duration of the form above
   */
  public static Duration parse(String text) {
    String t = text == null ? "" : text.trim();
    int unitStart = 0;
    while (unitStart < t.length() && Character.isDigit(t.charAt(unitStart))) {
      unitStart++;
    }
    if (unitStart == 0 || unitStart > 18) {
      throw new IllegalArgumentException("'" + text + "' is not " + EXPECTED_FORM);
    }
    long amount = Long.parseLong(t.substring(0, unitStart));
    String unit = t.substring(unitStart);
    Duration d;
    switch (unit) {
      case "ms":
        d = Duration.ofMillis(amount);
        break;
      case "s":
        d = Duration.ofSeconds(amount);
        break;
      case "m":
        d = Duration.ofMinutes(amount);
        break;
      case "h":
        d = Duration.ofHours(amount);
        break;
      default:
        throw new IllegalArgumentException("'" + text + "' is not " + EXPECTED_FORM);
    }
    if (d.isZero()) {
      throw new IllegalArgumentException("'" + text + "' is zero; expected " + EXPECTED_FORM);
    }
    return d;
  }

  /** Formats {@code d} in the largest unit that keeps it exact: {@code 1500ms}, {@code 10s}, {@code 2m}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms != 0 && ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms != 0 && ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms != 0 && ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    if (ms == 0 && !d.isZero()) {
      return d.toNanos() / 1000 + "us";
    }
    return ms + "ms";
  }
}
