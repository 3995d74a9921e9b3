package dev.ordo.processor.base;

import com.sun.source.util.Trees;
import java.lang.reflect.Field;
import java.util.Optional;
import javax.annotation.processing.ProcessingEnvironment;

/**
 * javac's source trees, for the few checks the element API cannot make (what the source wrote
 * where javac's mirrors say {@code <error>}, local classes, auxiliary classes, repeated
 * annotations). Empty on another compiler, where those checks find nothing rather than fail.
 *
 * <p>The one gate to {@code com.sun.source}: no class that names its types is linked before
 * {@link #of} has found them. On a Java runtime without the {@code jdk.compiler} module (the
 * Eclipse compiler on a JRE image) they do not exist, and linking such a class would fail.
 *
 * <p>Build tools wrap javac's {@link ProcessingEnvironment} (Gradle's incremental processing
 * does, for every Gradle user): {@code Trees.instance} refuses the wrapper, so {@link #of} looks
 * for the environment the wrapper delegates to, in its fields, and asks for that one's trees.
 */
public final class SourceTrees {
  private static final boolean TREES_API = treesApi();

  private SourceTrees() {}

  private static boolean treesApi() {
    try {
      Class.forName("com.sun.source.util.Trees", false, SourceTrees.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Whether {@code env}'s compiler gives source trees: it is javac, perhaps behind a wrapper. */
  public static boolean available(ProcessingEnvironment env) {
    return TREES_API && javac(env) != null;
  }

  /** The trees of {@code env}'s compiler, when it is javac (perhaps behind a wrapper). */
  public static Optional<Trees> of(ProcessingEnvironment env) {
    ProcessingEnvironment javac = TREES_API ? javac(env) : null;
    return javac == null ? Optional.empty() : Optional.of(Trees.instance(javac));
  }

  /**
   * {@code env} or the environment it wraps, through at most three wrappers, whose trees javac
   * gives; null when there is none.
   */
  static ProcessingEnvironment javac(ProcessingEnvironment env) {
    ProcessingEnvironment current = env;
    for (int depth = 0; current != null && depth < 4; depth++) {
      try {
        Trees.instance(current);
        return current;
      } catch (IllegalArgumentException | LinkageError e) {
        current = delegate(current);
      }
    }
    return null;
  }

  /** The {@link ProcessingEnvironment} a wrapper holds in one of its fields, or null. */
  private static ProcessingEnvironment delegate(ProcessingEnvironment wrapper) {
    for (Class<?> c = wrapper.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (ProcessingEnvironment.class.isAssignableFrom(field.getType())
            && !java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
          try {
            field.setAccessible(true);
            Object value = field.get(wrapper);
            if (value instanceof ProcessingEnvironment && value != wrapper) {
              return (ProcessingEnvironment) value;
            }
          } catch (RuntimeException | IllegalAccessException e) {
            return null; // a module that does not open the wrapper: no trees, as on another compiler
          }
        }
      }
    }
    return null;
  }
}
