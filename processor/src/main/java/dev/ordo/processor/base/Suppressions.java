package dev.ordo.processor.base;

import javax.lang.model.element.Element;

/**
 * Reads {@code @SuppressWarnings("ordo:<name>")} and {@code @SuppressWarnings("ordo:all")} on an
 * element and on every element around it (a parameter, its constructor, its class, the classes
 * around that), as javac does for its own lint names. javac ignores names it does not know, so
 * these need no compiler option.
 */
public final class Suppressions {
  /** The prefix of Ordo's names in {@code @SuppressWarnings}. */
  public static final String PREFIX = "ordo:";

  private Suppressions() {}

  /** Whether {@code warning} is suppressed on {@code element} or an element enclosing it. */
  public static boolean isSuppressed(Element element, Message warning) {
    for (Element e = element; e != null; e = e.getEnclosingElement()) {
      SuppressWarnings suppress = e.getAnnotation(SuppressWarnings.class);
      if (suppress == null) {
        continue;
      }
      for (String name : suppress.value()) {
        if (name.equals(PREFIX + "all") || name.equals(PREFIX + warning.lintName())) {
          return true;
        }
      }
    }
    return false;
  }
}
