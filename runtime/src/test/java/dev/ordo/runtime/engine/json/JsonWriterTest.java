package dev.ordo.runtime.engine.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The runtime's one JSON writer: every string escaped correctly, every value in its form, proven with Jackson. */
class JsonWriterTest {
  private static final ObjectMapper JACKSON = new ObjectMapper();

  private static String quoted(String s) {
    StringBuilder out = new StringBuilder();
    JsonWriter.string(out, s);
    return out.toString();
  }

  @Test
  void escapesQuotesBackslashesAndEveryControlCharacter() throws Exception {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x20; c++) {
      all.append(c);
    }
    all.append("\"\\/\u007f\u2028\u2029");
    String json = quoted(all.toString());
    for (int i = 1; i < json.length() - 1; i++) {
      char c = json.charAt(i);
      assertTrue(c >= 0x20 && c < 0x7f, "only printable ASCII is written: " + json);
    }
    assertEquals(all.toString(), JACKSON.readTree(json).asText());
    assertEquals("\"\\n\\r\\t\\b\\f\\u0000\\u001f\\u007f\\u2028\\u2029\\\"\\\\/\"",
        quoted("\n\r\t\b\f\u0000\u001f\u007f\u2028\u2029\"\\/"));
  }

  @Test
  void writesSurrogatePairsAsTheyAreAndEscapesLoneSurrogates() throws Exception {
    String emoji = "a\uD83D\uDE00b 漢字 é";
    assertEquals("\"" + emoji + "\"", quoted(emoji));
    assertEquals(emoji, JACKSON.readTree(quoted(emoji).getBytes(StandardCharsets.UTF_8)).asText());
    // A lone surrogate cannot be encoded in UTF-8: escaped, the text stays valid and keeps it.
    String lone = "x\uD83Dy\uDE00z\uD83D";
    String json = quoted(lone);
    assertEquals("\"x\\ud83dy\\ude00z\\ud83d\"", json);
    assertEquals(lone, JACKSON.readTree(json).asText());
    assertEquals(lone, JsonReader.parse(json));
  }

  @Test
  void writesHugeStringsInLinearTime() throws Exception {
    String plain = "abcdefghij".repeat(1_000_000); // 10 million characters
    String escaped = "a\"\n".repeat(1_000_000);
    long began = System.nanoTime();
    String a = quoted(plain);
    String b = quoted(escaped);
    long took = System.nanoTime() - began;
    assertEquals(plain.length() + 2, a.length());
    assertEquals(5 * 1_000_000 + 2, b.length());
    assertEquals(escaped, JACKSON.readTree(b).asText());
    assertTrue(took < 5_000_000_000L, "took " + took / 1_000_000 + " ms");
  }

  @Test
  void writesNumbersBooleansAndNestingByteForByteAsTheProbesDid() throws Exception {
    String text = new JsonWriter().beginObject()
        .member("i", 3).member("l", 5_000_000_000L).member("d", 1.5).member("big", new BigDecimal("1e400"))
        .member("nan", Double.NaN).member("b", true).member("atomic", new AtomicLong(7))
        .beginArray("a").beginObject().member("x", 1).endObject().beginObject().endObject().endArray()
        .beginObject("o").endObject()
        .endObject().toString();
    assertEquals("{\"i\":3,\"l\":5000000000,\"d\":1.5,\"big\":1E+400,\"nan\":\"NaN\",\"b\":true,\"atomic\":7,"
        + "\"a\":[{\"x\":1},{}],\"o\":{}}", text);
    JACKSON.readTree(text);
  }

  @Test
  void writesEveryKindOfValue() throws Exception {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("null", null);
    data.put("infinity", Double.NEGATIVE_INFINITY);
    data.put("float", 2.5f);
    data.put("huge", new BigInteger("123456789012345678901234567890"));
    data.put("list", List.of(1, "two", List.of()));
    data.put("enum", Thread.State.RUNNABLE);
    data.put("other", java.time.Duration.ofSeconds(3));
    String json = new JsonWriter().value(data).toString();
    assertEquals("{\"null\":null,\"infinity\":\"-Infinity\",\"float\":2.5,\"huge\":123456789012345678901234567890,"
        + "\"list\":[1,\"two\",[]],\"enum\":\"RUNNABLE\",\"other\":\"PT3S\"}", json);
    JsonNode node = JACKSON.readTree(json);
    assertTrue(node.get("null").isNull());
    assertEquals(data.get("huge"), node.get("huge").bigIntegerValue());
  }

  @Test
  void appendsToAGivenBufferAndPlacesCommasInArrays() {
    StringBuilder out = new StringBuilder("x=");
    new JsonWriter(out).beginArray().value(1).value("a").beginObject().endObject().beginArray().endArray().endArray();
    assertEquals("x=[1,\"a\",{},[]]", out.toString());
  }

  @Test
  void refusesAStructureThatContainsItself() {
    List<Object> loop = new ArrayList<>();
    loop.add(loop);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonWriter.value(new StringBuilder(), loop));
    assertTrue(e.getMessage().contains("deeper than " + JsonWriter.MAX_DEPTH), e.getMessage());
  }
}
