package dev.ordo.processor.writing;

/** JSON string literals for the resources the processor writes ({@code graph.json}, {@code events.json}). */
final class JsonText {
  private JsonText() {}

  /** {@code value} as a quoted JSON string, with quotes, backslashes and control characters escaped. */
  static String quote(String value) {
    StringBuilder json = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    return json.append('"').toString();
  }
}
