package dev.ordo.processor.writing;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the imports of a generated source that only its Javadoc uses ({@code {@link Foo}} for a
 * class the code never names). javac accepts them, but the Eclipse compiler warns about each
 * ("The import ... is never used"), as it does not read Javadoc by default; the writer names those
 * classes by their qualified names instead (JavaPoet's {@code alwaysQualify}), so that generated
 * code compiles without warnings on both.
 */
public final class JavadocImports {
  private static final Pattern IMPORT = Pattern.compile("^import (?!static )([\\w.]+)\\.(\\w+);$", Pattern.MULTILINE);
  private static final Pattern IMPORTS = Pattern.compile("^import .*;$", Pattern.MULTILINE);

  private JavadocImports() {}

  /** The simple names of the classes {@code source} imports and names only in comments. */
  public static Set<String> of(String source) {
    Set<String> imported = new LinkedHashSet<>();
    Matcher m = IMPORT.matcher(source);
    while (m.find()) {
      imported.add(m.group(2));
    }
    if (imported.isEmpty()) {
      return imported;
    }
    Set<String> used = identifiers(IMPORTS.matcher(codeOnly(source)).replaceAll(""));
    Set<String> javadocOnly = new LinkedHashSet<>();
    for (String simple : imported) {
      if (!used.contains(simple)) {
        javadocOnly.add(simple);
      }
    }
    return javadocOnly;
  }

  /** The identifiers in {@code code}, in one pass (a generated file is read once per import otherwise). */
  private static Set<String> identifiers(String code) {
    Set<String> names = new java.util.HashSet<>();
    int n = code.length();
    int i = 0;
    while (i < n) {
      if (Character.isJavaIdentifierStart(code.charAt(i))) {
        int start = i;
        while (i < n && Character.isJavaIdentifierPart(code.charAt(i))) {
          i++;
        }
        names.add(code.substring(start, i));
      } else {
        i++;
      }
    }
    return names;
  }

  /** {@code source} without its comments, string and character literals (each replaced by a space). */
  static String codeOnly(String source) {
    StringBuilder code = new StringBuilder(source.length());
    int n = source.length();
    int i = 0;
    while (i < n) {
      char c = source.charAt(i);
      if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
        int end = source.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        code.append(' ');
      } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
        int end = source.indexOf('\n', i);
        i = end < 0 ? n : end;
        code.append(' ');
      } else if (c == '"' || c == '\'') {
        if (c == '"' && source.startsWith("\"\"\"", i)) {
          int end = source.indexOf("\"\"\"", i + 3);
          i = end < 0 ? n : end + 3;
        } else {
          int j = i + 1;
          while (j < n && source.charAt(j) != c && source.charAt(j) != '\n') {
            j += source.charAt(j) == '\\' ? 2 : 1;
          }
          i = Math.min(n, j + 1);
        }
        code.append(' ');
      } else {
        code.append(c);
        i++;
      }
    }
    return code.toString();
  }
}
