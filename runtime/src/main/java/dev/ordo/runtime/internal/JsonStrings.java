package dev.ordo.runtime.internal;

/**
 * Writes a JSON string literal (RFC 8259) for the runtime's own JSON — health probes and events —
 * without a JSON library.
 */
public final class JsonStrings {
  private JsonStrings() {}

  /**
   * Appends {@code s} to {@code out} as a quoted JSON string: quotes, backslashes and every control
   * character escaped; U+2028, U+2029 and DEL escaped too, for JavaScript readers of the output.
   */
  public static void append(StringBuilder out, String s) {
    out.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\b':
          out.append("\\b");
          break;
        case '\f':
          out.append("\\f");
          break;
        default:
          if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
            out.append("\\u");
            String hex = Integer.toHexString(c);
            for (int k = hex.length(); k < 4; k++) {
              out.append('0');
            }
            out.append(hex);
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }
}
