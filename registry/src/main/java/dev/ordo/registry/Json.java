package dev.ordo.registry;

import java.util.Map;
import java.util.TreeMap;

/** The little JSON the registries are sent: strings, numbers and flat string maps, written by hand. */
final class Json {
  private Json() {}

  static StringBuilder string(StringBuilder s, String value) {
    s.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        case '\n' -> s.append("\\n");
        case '\r' -> s.append("\\r");
        case '\t' -> s.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            s.append(String.format("\\u%04x", (int) c));
          } else {
            s.append(c);
          }
        }
      }
    }
    return s.append('"');
  }

  static StringBuilder field(StringBuilder s, String name, String value) {
    string(s, name).append(':');
    return string(s, value);
  }

  /** A flat object of strings, keys sorted (stable output). */
  static StringBuilder object(StringBuilder s, Map<String, String> values) {
    s.append('{');
    boolean first = true;
    for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
      if (!first) {
        s.append(',');
      }
      first = false;
      field(s, e.getKey(), e.getValue());
    }
    return s.append('}');
  }
}
