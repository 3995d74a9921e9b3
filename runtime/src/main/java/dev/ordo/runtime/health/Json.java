package dev.ordo.runtime.health;

import dev.ordo.runtime.internal.JsonStrings;

/** Writes the few JSON shapes the probes need; no dependency, correct escaping. */
final class Json {
  private final StringBuilder out = new StringBuilder(256);
  /** Per nesting level: whether the next member or element needs a comma first. */
  private boolean[] needsComma = new boolean[8];
  private int depth;

  Json beginObject() {
    comma();
    out.append('{');
    push();
    return this;
  }

  Json endObject() {
    depth--;
    out.append('}');
    return this;
  }

  Json beginArray(String name) {
    name(name);
    out.append('[');
    push();
    return this;
  }

  Json endArray() {
    depth--;
    out.append(']');
    return this;
  }

  Json beginObject(String name) {
    name(name);
    out.append('{');
    push();
    return this;
  }

  /** A member whose value is a string, a number or a boolean; anything else is written as a string. */
  Json member(String name, Object value) {
    name(name);
    value(value);
    return this;
  }

  private void value(Object value) {
    if (value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isFinite(d)) {
        out.append(value);
      } else {
        string(String.valueOf(d)); // JSON has no NaN or Infinity
      }
    } else if (value instanceof java.math.BigDecimal) {
      out.append(((java.math.BigDecimal) value).toString());
    } else if (value instanceof Number && isIntegral((Number) value)) {
      out.append(value);
    } else {
      string(String.valueOf(value));
    }
  }

  private static boolean isIntegral(Number n) {
    return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
        || n instanceof java.math.BigInteger || n instanceof java.util.concurrent.atomic.AtomicInteger
        || n instanceof java.util.concurrent.atomic.AtomicLong;
  }

  private void name(String name) {
    comma();
    string(name);
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
      needsComma = java.util.Arrays.copyOf(needsComma, depth * 2);
    }
    needsComma[depth++] = false;
  }

  private void string(String s) {
    JsonStrings.append(out, s);
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
