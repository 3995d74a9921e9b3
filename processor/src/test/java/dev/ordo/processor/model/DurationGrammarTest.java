package dev.ordo.processor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The processor and the runtime read one duration grammar: every example of
 * {@code runtime/src/test/resources/duration-grammar.txt} (copied into this module's test
 * resources by the pom), read by both parsers. The runtime's {@code DurationsTest} reads the same
 * table.
 */
class DurationGrammarTest {
  static Stream<Example> grammar() {
    return Example.table().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("grammar")
  void processorReadsTheSharedGrammar(Example example) {
    assertEquals(example.reading(), Durations.parse(example.text()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("grammar")
  void runtimeReadsTheSharedGrammar(Example example) {
    if (example.reading().isPresent()) {
      assertEquals(example.reading().get(), dev.ordo.runtime.Durations.parse(example.text()));
    } else {
      assertThrows(IllegalArgumentException.class, () -> dev.ordo.runtime.Durations.parse(example.text()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("grammar")
  void processorReadsBackWhatItFormats(Example example) {
    example.reading().ifPresent(d -> assertEquals(Optional.of(d), Durations.parse(Durations.format(d))));
  }

  @Test
  void bothReadAsLongestTheSameDuration() {
    assertEquals(dev.ordo.runtime.Durations.LONGEST, Durations.LONGEST);
  }

  @Test
  void tableIsThere() {
    assertTrue(Example.table().size() > 50, "duration-grammar.txt was not copied into the test resources");
  }

  /** One line of {@code duration-grammar.txt}: a text, and the duration it reads as, if any. */
  record Example(String text, Optional<Duration> reading) {
    static List<Example> table() {
      try (InputStream in = DurationGrammarTest.class.getResourceAsStream("/duration-grammar.txt")) {
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
