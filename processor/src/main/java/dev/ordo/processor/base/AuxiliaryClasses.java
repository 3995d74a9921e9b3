package dev.ordo.processor.base;

import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.Optional;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;

/**
 * Tells auxiliary classes: a top-level class that is not public and is declared in the source
 * file of another class ({@code class Helper} in {@code Main.java}). javac's
 * {@code -Xlint:auxiliaryclass} warns about every reference to one from another file, generated
 * ones included, and {@code @SuppressWarnings("auxiliaryclass")} silences only the references in
 * method bodies and initializers, not those in signatures. Needs javac's {@link Trees} API; on
 * another compiler no class is auxiliary.
 */
public final class AuxiliaryClasses {
  private final Optional<Trees> trees;

  /** Reads the trees of {@code env}'s compiler, when it is javac. */
  public AuxiliaryClasses(ProcessingEnvironment env) {
    this.trees = SourceTrees.of(env);
  }

  /** Whether {@code type}, or the top-level class around it, is an auxiliary class. */
  public boolean isAuxiliary(TypeElement type) {
    Element outermost = type;
    while (outermost.getEnclosingElement() != null
        && outermost.getEnclosingElement().getKind() != ElementKind.PACKAGE) {
      outermost = outermost.getEnclosingElement();
    }
    if (trees.isEmpty() || outermost.getModifiers().contains(Modifier.PUBLIC)) {
      return false;
    }
    TreePath path = trees.get().getPath(outermost);
    if (path == null) {
      return false; // from a class file
    }
    JavaFileObject file = path.getCompilationUnit().getSourceFile();
    return !file.isNameCompatible(outermost.getSimpleName().toString(), JavaFileObject.Kind.SOURCE);
  }
}
