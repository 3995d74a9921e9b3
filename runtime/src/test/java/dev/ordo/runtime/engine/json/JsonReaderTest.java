package dev.ordo.runtime.engine.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.engine.json.JsonReader.MalformedJsonException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The runtime's one JSON reader: strict, clear about what is wrong and where, and safe on hostile input. */
class JsonReaderTest {
  private static MalformedJsonException malformed(String json) {
    return assertThrows(MalformedJsonException.class, () -> JsonReader.parse(json), json);
  }

  @Test
  void readsEveryKindOfValueInDocumentOrder() {
    Object value = JsonReader.parse(" {\"b\": [1, -2.5e3, true, false, null, \"s\"],\n \"a\": {}, \"c\": []} ");
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("b", Arrays.asList(1L, new BigDecimal("-2.5e3"), true, false, null, "s"));
    expected.put("a", Map.of());
    expected.put("c", List.of());
    assertEquals(expected, value);
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(((Map<?, ?>) value).keySet()));
    assertEquals("x", JsonReader.parse("\"x\""));
    assertNull(JsonReader.parse("null"));
    assertEquals(0L, JsonReader.parse("\uFEFF0"), "a byte order mark is ignored");
  }

  @Test
  void readsEscapesAndUnicode() {
    assertEquals("\"\\/\b\f\n\r\t", JsonReader.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""));
    assertEquals("é漢\uD83D\uDE00", JsonReader.parse("\"\\u00e9\\u6F22\\ud83d\\uDE00\""));
    assertEquals("é漢\uD83D\uDE00", JsonReader.parse("\"é漢\uD83D\uDE00\""), "characters as they are");
    assertEquals("\u2028\u007f", JsonReader.parse("\"\u2028\u007f\""), "allowed unescaped");
  }

  @Test
  void readsHugeNumbersWithoutRounding() {
    assertEquals(Long.MAX_VALUE, JsonReader.parse("9223372036854775807"));
    assertEquals(Long.MIN_VALUE, JsonReader.parse("-9223372036854775808"));
    assertEquals(new BigInteger("9223372036854775808"), JsonReader.parse("9223372036854775808"));
    String digits = "1234567890".repeat(99);
    assertEquals(new BigInteger(digits), JsonReader.parse(digits));
    assertEquals(new BigDecimal("1e999999999"), JsonReader.parse("1e999999999"));
    assertEquals(new BigDecimal("0.1000000000000000000000000000001"),
        JsonReader.parse("0.1000000000000000000000000000001"));
    assertEquals(new BigDecimal("-0.0"), JsonReader.parse("-0.0"));
  }

  @Test
  void refusesNumbersOutOfRangeOrTooLongWithAClearError() {
    MalformedJsonException e = malformed("[1e99999999999]");
    assertTrue(e.getMessage().contains("out of range"), e.getMessage());
    assertEquals(2, e.column());
    e = malformed("1" + "0".repeat(JsonReader.MAX_NUMBER_LENGTH));
    assertTrue(e.getMessage().contains("at most " + JsonReader.MAX_NUMBER_LENGTH), e.getMessage());
  }

  @Test
  void nestingAHundredThousandDeepIsRefusedWithoutOverflowingTheStack() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    MalformedJsonException e = malformed(deep);
    assertTrue(e.getMessage().contains("nested deeper than " + JsonReader.MAX_DEPTH), e.getMessage());
    assertEquals(JsonReader.MAX_DEPTH + 1, e.column());
    String objects = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
    assertTrue(malformed(objects).getMessage().contains("nested deeper"));
    // Unclosed, too: the same error, not a stack overflow or a scan to the end.
    assertTrue(malformed("[".repeat(100_000)).getMessage().contains("nested deeper"));
  }

  @Test
  void readsNestingUpToTheLimit() {
    Object value = JsonReader.parse("[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH));
    for (int i = 1; i < JsonReader.MAX_DEPTH; i++) {
      value = ((List<?>) value).get(0);
    }
    assertEquals(List.of(), value);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", " ", "{", "[", "[1", "[1,", "{\"a\"", "{\"a\":", "{\"a\":1", "\"abc", "\"\\", "\"\\u12",
      "[1,]", "{\"a\":1,}", "[,1]", "{,}", "{a:1}", "{'a':1}", "['a']", "[01]", "[-]", "[1.]", "[.5]", "[+1]",
      "[1e]", "[1e+]", "[NaN]", "[Infinity]", "[tru]", "[nul]", "[True]", "\"\\x\"", "\"\\u12G4\"",
      "\"tab\there\"", "\"line\nbreak\"", "[1] [2]", "{} x", "// comment\n{}", "{\"a\":1 \"b\":2}",
      "[1 2]", "{\"a\" 1}", "\u00a0[]", "\"\\u０１２３\""})
  void refusesWhatIsNotStrictJson(String json) {
    MalformedJsonException e = malformed(json);
    assertTrue(e.getMessage().startsWith("Malformed JSON at line "), e.getMessage());
  }

  @Test
  void errorsSayWhatWasExpectedWhatWasFoundAndWhere() {
    MalformedJsonException e = malformed("{\n  \"events\": [\n    {\"type\": \"x\",}\n  ]\n}");
    assertEquals("Malformed JSON at line 3, column 18: expected a member name (a string in double quotes),"
        + " found '}'", e.getMessage());
    assertEquals(3, e.line());
    e = malformed("[1, 2");
    assertEquals("Malformed JSON at line 1, column 6: expected ',' or ']' after an array element, found the end"
        + " of the input", e.getMessage());
    e = malformed("{\"a\": 1, \"a\": 2}");
    assertTrue(e.getMessage().contains("the name \"a\" appears twice"), e.getMessage());
    assertEquals(10, e.column());
    e = malformed("\"a\u0001\"");
    assertTrue(e.getMessage().contains("control character U+0001"), e.getMessage());
  }
}
