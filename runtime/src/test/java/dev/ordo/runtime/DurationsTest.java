package dev.ordo.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DurationsTest {
  /**
   * Every example of {@code duration-grammar.txt}, the table the processor's
   * {@code DurationGrammarTest} checks its own parser (and this one) against.
   */
  static Stream<Example> grammar() {
    return Example.table().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("grammar")
  void readsTheSharedGrammar(Example example) {
    if (example.reading().isPresent()) {
      assertEquals(example.reading().get(), Durations.parse(example.text()));
    } else {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Durations.parse(example.text()));
      assertTrue(e.getMessage().contains("'" + example.text() + "'"), e.getMessage());
      assertTrue(e.getMessage().contains(Durations.EXPECTED_FORM), e.getMessage());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("grammar")
  void readsBackWhatItFormats(Example example) {
    example.reading().ifPresent(d -> assertEquals(d, Durations.parse(Durations.format(d))));
  }

  @Test
  void tableHoldsBothKindsOfExamples() {
    assertTrue(Example.table().stream().anyMatch(e -> e.reading().isPresent()));
    assertTrue(Example.table().stream().anyMatch(e -> e.reading().isEmpty()));
  }

  @Test
  void nullIsNotADuration() {
    assertThrows(IllegalArgumentException.class, () -> Durations.parse(null));
  }

  @Test
  void zeroSaysSo() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("0s"));
    assertEquals("'0s' is zero; expected " + Durations.EXPECTED_FORM, e.getMessage());
  }

  @Test
  void formatsInTheLargestExactUnit() {
    assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
    assertEquals("10s", Durations.format(Duration.ofSeconds(10)));
    assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
    assertEquals("2m", Durations.format(Duration.ofMinutes(2)));
    assertEquals("1h", Durations.format(Duration.ofHours(1)));
    assertEquals("0ms", Durations.format(Duration.ZERO));
    assertEquals("250us", Durations.format(Duration.ofNanos(250_000)));
    assertEquals("10s", Durations.format(Duration.ofSeconds(10, 1)), "below a millisecond is left out");
    assertEquals("-1500ms", Durations.format(Duration.ofMillis(-1500)));
  }

  @Test
  void formatsDurationsOfAnyLengthWithoutOverflow() {
    assertEquals("3000000h", Durations.format(Duration.ofHours(3_000_000)));
    assertEquals("4800000h", Durations.format(Duration.ofDays(200_000)));
    assertEquals("9223372036854775807s", Durations.format(Durations.LONGEST));
    assertEquals("9223372036854775807999ms", Durations.format(ChronoUnit.FOREVER.getDuration()));
    assertEquals("-9223372036854775808s", Durations.format(Duration.ofSeconds(Long.MIN_VALUE)));
    assertEquals("-9223372036854775807999ms", Durations.format(ChronoUnit.FOREVER.getDuration().negated()));
    assertFalse(Durations.format(Duration.ofSeconds(Long.MIN_VALUE, 1)).isEmpty());
  }

  /** One line of {@code duration-grammar.txt}: a text, and the duration it reads as, if any. */
  record Example(String text, Optional<Duration> reading) {
    static List<Example> table() {
      try (InputStream in = DurationsTest.class.getResourceAsStream("/duration-grammar.txt")) {
        List<Example> examples = new ArrayList<>();
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          if (!line.isBlank() && !line.startsWith("#")) {
            examples.add(of(line));
          }
        }
        return examples;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** {@code "text"  PT10S} or {@code "text"  refused}; Java's escapes inside the quotes. */
    private static Example of(String line) {
      StringBuilder text = new StringBuilder();
      int i = 1;
      for (; line.charAt(i) != '"'; i++) {
        char c = line.charAt(i);
        if (c != '\\') {
          text.append(c);
          continue;
        }
        char escaped = line.charAt(++i);
        switch (escaped) {
          case 't' -> text.append('\t');
          case 'n' -> text.append('\n');
          case 'r' -> text.append('\r');
          case 'u' -> {
            text.append((char) Integer.parseInt(line.substring(i + 1, i + 5), 16));
            i += 4;
          }
          default -> text.append(escaped);
        }
      }
      String reading = line.substring(i + 1).strip();
      return new Example(text.toString(),
          reading.equals("refused") ? Optional.empty() : Optional.of(Duration.parse(reading)));
    }

    @Override
    public String toString() {
      return '"' + text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r") + "\" -> "
          + reading.map(Duration::toString).orElse("refused");
    }
  }
}
