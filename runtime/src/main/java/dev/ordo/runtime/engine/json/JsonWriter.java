package dev.ordo.runtime.engine.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The runtime's one JSON writer (RFC 8259): the health probes' bodies, the events' CloudEvents
 * envelopes and the event catalog are all written through it. Internal to the runtime: not API,
 * and not exported by its module; it may change in any release.
 *
 * <p>Used two ways: as a builder that places the commas itself,
 *
 * <pre>{@code
 * String json = new JsonWriter().beginObject().member("status", "UP")
 *     .beginArray("checks").beginObject().member("name", "ordo").endObject().endArray()
 *     .endObject().toString();
 * }</pre>
 *
 * or, where a caller lays out a fixed shape itself (an event envelope), through the static
 * {@link #string(StringBuilder, CharSequence)} and {@link #value(StringBuilder, Object)}.
 *
 * <p>Values: {@code null}; booleans; {@code Integer}, {@code Long}, {@code Short}, {@code Byte},
 * {@code BigInteger}, {@code AtomicInteger}, {@code AtomicLong} and {@code BigDecimal} as numbers;
 * finite {@code Double} and {@code Float} as numbers, NaN and the infinities as strings (JSON has
 * none); a {@code Map} as an object (keys by {@code String.valueOf}); a {@code Collection} as an
 * array; an enum as its {@code name()}; anything else as the string of its {@code toString()}.
 */
public final class JsonWriter {
  /** How deep maps and collections may nest in one value: deeper means a structure that contains itself. */
  public static final int MAX_DEPTH = 1000;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final StringBuilder out;
  /** Per open object or array: whether the next member or element needs a comma first. */
  private boolean[] needsComma = new boolean[8];
  private int depth;

  /** A writer into a buffer of its own; {@link #toString()} returns what was written. */
  public JsonWriter() {
    this(new StringBuilder(256));
  }

  /** A writer that appends to {@code out}. */
  public JsonWriter(StringBuilder out) {
    this.out = out;
  }

  /** Opens an object as the next value (at the top, or as an array element). */
  public JsonWriter beginObject() {
    comma();
    out.append('{');
    push();
    return this;
  }

  /** Opens an object as the member {@code name} of the enclosing object. */
  public JsonWriter beginObject(String name) {
    name(name);
    out.append('{');
    push();
    return this;
  }

  /** Closes the innermost object. */
  public JsonWriter endObject() {
    pop();
    out.append('}');
    return this;
  }

  /** Opens an array as the next value (at the top, or as an array element). */
  public JsonWriter beginArray() {
    comma();
    out.append('[');
    push();
    return this;
  }

  /** Opens an array as the member {@code name} of the enclosing object. */
  public JsonWriter beginArray(String name) {
    name(name);
    out.append('[');
    push();
    return this;
  }

  /** Closes the innermost array. */
  public JsonWriter endArray() {
    pop();
    out.append(']');
    return this;
  }

  /** Writes the member {@code name} with {@code value} (see the class comment for the forms of values). */
  public JsonWriter member(String name, Object value) {
    name(name);
    value(out, value);
    return this;
  }

  /** Writes {@code value} as the next array element (or as the whole document). */
  public JsonWriter value(Object value) {
    comma();
    value(out, value);
    return this;
  }

  /** What was written: the whole buffer, including what it held before this writer appended. */
  @Override
  public String toString() {
    return out.toString();
  }

  private void name(String name) {
    comma();
    string(out, name);
    out.append(':');
  }

  private void comma() {
    if (depth > 0) {
      if (needsComma[depth - 1]) {
        out.append(',');
      }
      needsComma[depth - 1] = true;
    }
  }

  private void push() {
    if (depth == needsComma.length) {
      needsComma = Arrays.copyOf(needsComma, depth * 2);
    }
    needsComma[depth++] = false;
  }

  private void pop() {
    if (depth == 0) {
      throw new IllegalStateException("No object or array is open");
    }
    depth--;
  }

  /**
   * Appends {@code s} as a quoted JSON string. Escaped: the quote, the backslash, every control
   * character (U+0000 to U+001F, as {@code \n}, {@code \t}... where JSON has a short form, else as
   * {@code \}{@code u00XX}), DEL, U+2028 and U+2029 (for JavaScript readers of the output), and a
   * surrogate that is not part of a pair (so that the text always encodes to valid UTF-8). A
   * surrogate pair is written as it is.
   */
  public static void string(StringBuilder out, CharSequence s) {
    int n = s.length();
    out.ensureCapacity(out.length() + n + 2);
    out.append('"');
    int run = 0; // start of the characters not yet appended, that need no escape
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7f) {
        continue; // the common case: printable ASCII
      }
      if (c > 0x7f && c != '\u2028' && c != '\u2029' && !Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++; // a whole pair: written as it is
        continue;
      }
      out.append(s, run, i);
      run = i + 1;
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
          out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
              .append(HEX[c & 0xf]);
      }
    }
    out.append(s, run, n);
    out.append('"');
  }

  /** Appends {@code value} (see the class comment for its forms). */
  public static void value(StringBuilder out, Object value) {
    value(out, value, 0);
  }

  private static void value(StringBuilder out, Object value, int depth) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String) {
      string(out, (String) value);
    } else if (value instanceof Boolean) {
      out.append(((Boolean) value).booleanValue());
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte || value instanceof BigInteger || value instanceof AtomicInteger
        || value instanceof AtomicLong) {
      out.append(value);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isFinite(d)) {
        out.append(value);
      } else {
        string(out, String.valueOf(d));
      }
    } else if (value instanceof BigDecimal) {
      out.append(value);
    } else if (value instanceof Map) {
      checkDepth(depth);
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(out, String.valueOf(e.getKey()));
        out.append(':');
        value(out, e.getValue(), depth + 1);
      }
      out.append('}');
    } else if (value instanceof Collection) {
      checkDepth(depth);
      out.append('[');
      boolean first = true;
      for (Object element : (Collection<?>) value) {
        if (!first) {
          out.append(',');
        }
        first = false;
        value(out, element, depth + 1);
      }
      out.append(']');
    } else if (value instanceof Enum) {
      string(out, ((Enum<?>) value).name());
    } else {
      string(out, value.toString());
    }
  }

  private static void checkDepth(int depth) {
    if (depth >= MAX_DEPTH) {
      throw new IllegalArgumentException("Cannot write JSON nested deeper than " + MAX_DEPTH
          + " levels: does a map or collection contain itself?");
    }
  }
}
