package dev.ordo.runtime.engine.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime's one JSON reader: a small strict parser of RFC 8259 text, for the resources the
 * processor writes (the event catalog, {@code META-INF/ordo/events.json}). Internal to the
 * runtime: not API, and not exported by its module; it may change in any release.
 *
 * <p>It gives objects as {@code Map<String, Object>} (in document order), arrays as
 * {@code List<Object>}, strings as {@code String}, {@code true} and {@code false} as
 * {@code Boolean}, {@code null} as {@code null}, whole numbers as {@code Long} (or
 * {@code BigInteger} past its range), and numbers with a fraction or an exponent as
 * {@code BigDecimal}: no number is rounded.
 *
 * <p>Strict: anything RFC 8259 does not allow is an error (comments, trailing commas, single
 * quotes, unquoted names, leading zeros, {@code NaN}, raw control characters in strings, text after
 * the value), and so is a name given twice in one object. An error is a {@link MalformedJsonException}
 * that says what was expected, what was found, and where (line and column). The parser keeps its
 * own stack instead of recursing, so a hostile document cannot overflow the thread's stack; it
 * refuses nesting deeper than {@value #MAX_DEPTH} levels and numbers longer than
 * {@value #MAX_NUMBER_LENGTH} characters (whose conversion would cost time quadratic in their
 * length).
 */
public final class JsonReader {
  /** The deepest nesting of objects and arrays accepted. */
  public static final int MAX_DEPTH = 1000;
  /** The longest number accepted, in characters. */
  public static final int MAX_NUMBER_LENGTH = 1000;

  private final String s;
  private int i;

  private JsonReader(String s) {
    this.s = s;
  }

  /**
   * Parses {@code json}, one JSON value with optional whitespace around it (a leading byte order
   * mark is ignored).
   *
   * @throws MalformedJsonException if it is not strict JSON, or past the limits
   */
  public static Object parse(String json) {
    JsonReader reader = new JsonReader(json);
    if (json.startsWith("\uFEFF")) {
      reader.i = 1;
    }
    return reader.document();
  }

  /** JSON text that {@link #parse} refused: says what, and where. */
  public static final class MalformedJsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final int offset;

    MalformedJsonException(String what, int line, int column, int offset) {
      super("Malformed JSON at line " + line + ", column " + column + ": " + what);
      this.line = line;
      this.column = column;
      this.offset = offset;
    }

    /** The line of the error, from 1. */
    public int line() {
      return line;
    }

    /** The column of the error in its line, from 1 (in UTF-16 characters). */
    public int column() {
      return column;
    }

    /** The offset of the error in the text, from 0 (in UTF-16 characters). */
    public int offset() {
      return offset;
    }
  }

  private Object document() {
    // Open containers, innermost last; for an object, the name whose value is being read.
    List<Object> containers = new ArrayList<>();
    List<String> names = new ArrayList<>();
    Object value;
    while (true) {
      space();
      // Read one value; an object or array that opens here is pushed, and its first name or
      // element is read on the next turn.
      char c = peek("a value");
      if (c == '{' || c == '[') {
        if (containers.size() == MAX_DEPTH) {
          throw error("objects and arrays are nested deeper than " + MAX_DEPTH + " levels");
        }
        i++;
        space();
        if (c == '{') {
          Map<String, Object> map = new LinkedHashMap<>();
          if (at('}')) {
            i++;
            value = map;
          } else {
            containers.add(map);
            names.add(name(map));
            continue;
          }
        } else {
          List<Object> list = new ArrayList<>();
          if (at(']')) {
            i++;
            value = list;
          } else {
            containers.add(list);
            names.add(null);
            continue;
          }
        }
      } else {
        value = scalar(c);
      }
      // Place the value in its container; close every container that ends after it.
      while (true) {
        int top = containers.size() - 1;
        if (top < 0) {
          space();
          if (i < s.length()) {
            throw error("expected the end of the input after the JSON value, found " + found());
          }
          return value;
        }
        Object container = containers.get(top);
        space();
        if (container instanceof Map) {
          @SuppressWarnings("unchecked")
          Map<String, Object> map = (Map<String, Object>) container;
          map.put(names.get(top), value);
          char next = peek("',' or '}' after an object member");
          if (next == ',') {
            i++;
            space();
            names.set(top, name(map));
            break;
          }
          if (next != '}') {
            throw error("expected ',' or '}' after an object member, found " + found());
          }
        } else {
          @SuppressWarnings("unchecked")
          List<Object> list = (List<Object>) container;
          list.add(value);
          char next = peek("',' or ']' after an array element");
          if (next == ',') {
            i++;
            break;
          }
          if (next != ']') {
            throw error("expected ',' or ']' after an array element, found " + found());
          }
        }
        i++; // the '}' or ']'
        containers.remove(top);
        names.remove(top);
        value = container;
      }
    }
  }

  /** Reads a member's name and its ':'; the next value is the member's. */
  private String name(Map<String, Object> map) {
    if (!at('"')) {
      throw error("expected a member name (a string in double quotes), found " + found());
    }
    int start = i;
    String name = string();
    if (map.containsKey(name)) {
      i = start;
      throw error("the name \"" + name + "\" appears twice in one object");
    }
    space();
    if (!at(':')) {
      throw error("expected ':' after the member name \"" + name + "\", found " + found());
    }
    i++;
    return name;
  }

  private Object scalar(char c) {
    switch (c) {
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("expected a value (an object, array, string, number, true, false or null), found " + found());
    }
  }

  private Object literal(String word, Object value) {
    if (!s.startsWith(word, i)) {
      throw error("expected " + word + ", found " + found());
    }
    i += word.length();
    return value;
  }

  private String string() {
    i++; // the opening quote
    StringBuilder out = null;
    int run = i;
    while (true) {
      if (i >= s.length()) {
        throw error("unterminated string: expected '\"' before the end of the input");
      }
      char c = s.charAt(i);
      if (c == '"') {
        String text = out == null ? s.substring(run, i) : out.append(s, run, i).toString();
        i++;
        return text;
      }
      if (c < 0x20) {
        throw error("control character " + describe(c) + " in a string: it must be escaped");
      }
      if (c != '\\') {
        i++;
        continue;
      }
      if (out == null) {
        out = new StringBuilder();
      }
      out.append(s, run, i);
      i++;
      if (i >= s.length()) {
        throw error("unterminated escape sequence at the end of the input");
      }
      char e = s.charAt(i++);
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out.append(e);
          break;
        case 'b':
          out.append('\b');
          break;
        case 'f':
          out.append('\f');
          break;
        case 'n':
          out.append('\n');
          break;
        case 'r':
          out.append('\r');
          break;
        case 't':
          out.append('\t');
          break;
        case 'u':
          out.append(hex4());
          break;
        default:
          i--;
          throw error("invalid escape sequence '\\" + e + "' (expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
      }
      run = i;
    }
  }

  private char hex4() {
    int value = 0;
    for (int k = 0; k < 4; k++) {
      char c = i < s.length() ? s.charAt(i) : 'x';
      int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
          : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (digit < 0) {
        throw error("expected four hexadecimal digits after \\u, found " + found());
      }
      value = value * 16 + digit;
      i++;
    }
    return (char) value;
  }

  private Object number() {
    int start = i;
    boolean integral = true;
    if (at('-')) {
      i++;
    }
    if (at('0')) {
      i++;
      if (i < s.length() && isDigit(s.charAt(i))) {
        throw error("a number must not have a leading zero");
      }
    } else {
      digits("a digit");
    }
    if (at('.')) {
      i++;
      integral = false;
      digits("a digit after the decimal point");
    }
    if (at('e') || at('E')) {
      i++;
      integral = false;
      if (at('+') || at('-')) {
        i++;
      }
      digits("a digit in the exponent");
    }
    int length = i - start;
    if (length > MAX_NUMBER_LENGTH) {
      i = start;
      throw error("a number of " + length + " characters; at most " + MAX_NUMBER_LENGTH + " are accepted");
    }
    String text = s.substring(start, i);
    if (integral) {
      if (length <= 18) {
        return Long.parseLong(text);
      }
      BigInteger big = new BigInteger(text);
      return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      i = start;
      throw error("the number " + text + " is out of range (its exponent is too large)");
    }
  }

  private void digits(String expected) {
    if (i >= s.length() || !isDigit(s.charAt(i))) {
      throw error("expected " + expected + ", found " + found());
    }
    while (i < s.length() && isDigit(s.charAt(i))) {
      i++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void space() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      i++;
    }
  }

  private boolean at(char c) {
    return i < s.length() && s.charAt(i) == c;
  }

  private char peek(String expected) {
    if (i >= s.length()) {
      throw error("expected " + expected + ", found the end of the input");
    }
    return s.charAt(i);
  }

  private String found() {
    return i >= s.length() ? "the end of the input" : describe(s.charAt(i));
  }

  private static String describe(char c) {
    if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) || Character.isSpaceChar(c) && c != ' ') {
      return String.format("U+%04X", (int) c);
    }
    return "'" + c + "'";
  }

  private MalformedJsonException error(String what) {
    int line = 1;
    int lineStart = 0;
    int end = Math.min(i, s.length());
    for (int k = 0; k < end; k++) {
      if (s.charAt(k) == '\n') {
        line++;
        lineStart = k + 1;
      }
    }
    return new MalformedJsonException(what, line, end - lineStart + 1, end);
  }
}
