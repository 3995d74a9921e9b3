package dev.ordo.processor.model;

import java.util.List;

/**
 * The name of a class: its package and its simple names from the outermost class in.
 *
 * @param packageName the package, empty for the unnamed package
 * @param simpleNames the simple names, outermost first ({@code [Outer, Inner]})
 */
public record ComponentName(String packageName, List<String> simpleNames) {
  /** Copies {@code simpleNames}. */
  public ComponentName {
    simpleNames = List.copyOf(simpleNames);
    if (simpleNames.isEmpty()) {
      throw new IllegalArgumentException("a class has a simple name");
    }
  }

  /** A top-level or nested class name. */
  public static ComponentName of(String packageName, String... simpleNames) {
    return new ComponentName(packageName, List.of(simpleNames));
  }

  /** The canonical name: {@code com.acme.Outer.Inner}. */
  public String qualifiedName() {
    return prefix() + String.join(".", simpleNames);
  }

  /** The binary name, as {@link Class#getName()} returns it: {@code com.acme.Outer$Inner}. */
  public String binaryName() {
    return prefix() + String.join("$", simpleNames);
  }

  /** The simple names joined by {@code _}: {@code Outer_Inner}, the stem of generated names. */
  public String flatName() {
    return String.join("_", simpleNames);
  }

  /** The innermost simple name. */
  public String simpleName() {
    return simpleNames.get(simpleNames.size() - 1);
  }

  private String prefix() {
    return packageName.isEmpty() ? "" : packageName + ".";
  }

  @Override
  public String toString() {
    return qualifiedName();
  }
}
