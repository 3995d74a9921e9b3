package dev.ordo.processor.base;

import com.sun.source.util.Trees;
import java.util.Optional;
import javax.annotation.processing.ProcessingEnvironment;

/**
 * javac's source trees, for the few checks the element API cannot make (what the source wrote
 * where javac's mirrors say {@code <error>}, local classes, auxiliary classes). Empty on another
 * compiler, where those checks find nothing rather than fail.
 */
public final class SourceTrees {
  private SourceTrees() {}

  /** The trees of {@code env}'s compiler, when it is javac. */
  public static Optional<Trees> of(ProcessingEnvironment env) {
    try {
      return Optional.of(Trees.instance(env));
    } catch (IllegalArgumentException | LinkageError e) {
      return Optional.empty(); // not javac
    }
  }
}
