package dev.ordo.runtime.events;

import dev.ordo.runtime.internal.JsonStrings;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Writes the JSON of events: strings escaped per RFC 8259, numbers as numbers, everything else as
 * its string form. The runtime has no JSON dependency; the tests prove the output with the
 * CloudEvents SDK's Jackson reader.
 */
final class EventJson {
  private EventJson() {}

  /** Appends {@code value}: null, boolean, number, string, map (object), collection (array), or its toString(). */
  static void value(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String) {
      string(out, (String) value);
    } else if (value instanceof Boolean) {
      out.append(((Boolean) value).booleanValue());
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte || value instanceof BigInteger) {
      out.append(value);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isFinite(d)) {
        out.append(value);
      } else {
        string(out, String.valueOf(d)); // JSON has no NaN or Infinity
      }
    } else if (value instanceof BigDecimal) {
      out.append(((BigDecimal) value).toString());
    } else if (value instanceof Map) {
      object(out, (Map<?, ?>) value);
    } else if (value instanceof Collection) {
      out.append('[');
      boolean first = true;
      for (Object element : (Collection<?>) value) {
        if (!first) {
          out.append(',');
        }
        first = false;
        value(out, element);
      }
      out.append(']');
    } else if (value instanceof Enum) {
      string(out, ((Enum<?>) value).name());
    } else {
      string(out, value.toString());
    }
  }

  static void object(StringBuilder out, Map<?, ?> map) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      string(out, String.valueOf(e.getKey()));
      out.append(':');
      value(out, e.getValue());
    }
    out.append('}');
  }

  static void string(StringBuilder out, String s) {
    JsonStrings.append(out, s);
  }
}
