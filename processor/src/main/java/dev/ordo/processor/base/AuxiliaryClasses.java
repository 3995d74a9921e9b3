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
 * method bodies and initializers, not those in signatures. Needs javac's {@link Trees} API, or
 * the Eclipse compiler's bindings (so both compilers generate the same code); on another compiler
 * no class is auxiliary.
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
    if (outermost.getModifiers().contains(Modifier.PUBLIC)) {
      return false;
    }
    if (trees.isEmpty()) {
      String expected = outermost.getSimpleName() + ".java";
      return eclipseSourceFile(outermost).map(file -> !file.equals(expected)).orElse(false);
    }
    TreePath path = trees.get().getPath(outermost);
    if (path == null) {
      return false; // from a class file
    }
    JavaFileObject file = path.getCompilationUnit().getSourceFile();
    return !file.isNameCompatible(outermost.getSimpleName().toString(), JavaFileObject.Kind.SOURCE);
  }

  /**
   * The name of the source file that declares {@code type} ({@code Main.java}) under the Eclipse
   * compiler, which has no trees API: its elements hold a binding that knows its file. Empty on
   * another compiler, for a class read from a class file, or when the binding cannot be read.
   */
  static Optional<String> eclipseSourceFile(Element type) {
    if (!type.getClass().getName().startsWith("org.eclipse.jdt.")) {
      return Optional.empty();
    }
    try {
      for (Class<?> c = type.getClass(); c != null; c = c.getSuperclass()) {
        for (java.lang.reflect.Field field : c.getDeclaredFields()) {
          if (field.getName().equals("_binding")) {
            field.setAccessible(true);
            Object binding = field.get(type);
            Object name = binding.getClass().getMethod("getFileName").invoke(binding);
            if (!(name instanceof char[])) {
              return Optional.empty();
            }
            String path = new String((char[]) name).replace('\\', '/');
            String file = path.substring(path.lastIndexOf('/') + 1);
            return file.endsWith(".java") ? Optional.of(file) : Optional.empty();
          }
        }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // An Eclipse compiler of another shape: no class is taken for auxiliary.
    }
    return Optional.empty();
  }
}
