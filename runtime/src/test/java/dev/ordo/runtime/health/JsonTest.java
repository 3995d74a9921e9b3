package dev.ordo.runtime.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void escapesEveryStringCorrectly() throws Exception {
    String nasty = "quote \" backslash \\ slash / newline \n tab \t cr \r bell \u0007 nul \u0000 del \u007f"
        + " ls \u2028 ps \u2029 accents é 漢字 emoji \uD83D\uDE00";
    String text = new Json().beginObject().member("k\"ey\n", nasty).endObject().toString();
    JsonNode node = new ObjectMapper().readTree(text);
    assertEquals(nasty, node.get("k\"ey\n").asText());
  }

  @Test
  void writesNumbersBooleansAndNesting() throws Exception {
    String text = new Json().beginObject()
        .member("i", 3).member("l", 5_000_000_000L).member("d", 1.5).member("big", new BigDecimal("1e400"))
        .member("nan", Double.NaN).member("b", true)
        .beginArray("a").beginObject().member("x", 1).endObject().beginObject().endObject().endArray()
        .beginObject("o").endObject()
        .endObject().toString();
    assertEquals("{\"i\":3,\"l\":5000000000,\"d\":1.5,\"big\":1E+400,\"nan\":\"NaN\",\"b\":true,"
        + "\"a\":[{\"x\":1},{}],\"o\":{}}", text);
    new ObjectMapper().readTree(text);
  }
}
