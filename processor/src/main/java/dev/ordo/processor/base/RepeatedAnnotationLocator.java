package dev.ordo.processor.base;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.TypeMirror;
import javax.tools.Diagnostic;

/**
 * Reports on a repeated annotation ({@code @DependsOn} written twice), which the {@code Messager}
 * cannot place: javac wraps the repetitions in a synthesized container that matches no source
 * tree, and falls back to the class. This finds the annotation's tree through javac's
 * {@link Trees} API instead. On another compiler it finds nothing, and the report goes to the
 * element as before.
 */
final class RepeatedAnnotationLocator {
  private final Trees trees;

  private RepeatedAnnotationLocator(Trees trees) {
    this.trees = trees;
  }

  /** A locator, when the compiler is javac. */
  static Optional<RepeatedAnnotationLocator> of(ProcessingEnvironment env) {
    return SourceTrees.of(env).map(RepeatedAnnotationLocator::new);
  }

  /**
   * Reports {@code text} on the tree of {@code location}'s annotation (or of its value) when that
   * annotation is a repetition inside a container; returns whether it did.
   */
  boolean report(Diagnostic.Kind kind, String text, Location location) {
    Element element = location.element();
    AnnotationMirror repeated = location.annotation();
    if (element.getAnnotationMirrors().contains(repeated)) {
      return false; // written once: the Messager finds it
    }
    int index = indexInContainer(element, repeated);
    TreePath path = trees.getPath(element);
    if (index < 0 || path == null) {
      return false;
    }
    List<? extends AnnotationTree> annotations = annotationsOf(path.getLeaf());
    CompilationUnitTree unit = path.getCompilationUnit();
    int seen = 0;
    for (AnnotationTree annotation : annotations) {
      TypeMirror type = trees.getTypeMirror(new TreePath(new TreePath(path, annotation), annotation.getAnnotationType()));
      if (type == null || !type.equals(repeated.getAnnotationType())) {
        continue;
      }
      if (seen++ == index) {
        Tree target = location.value() == null ? annotation : valueTree(annotation, repeated, location.value());
        trees.printMessage(kind, text, target, unit);
        return true;
      }
    }
    return false;
  }

  /** The position of {@code repeated} among the repetitions in its container, or -1. */
  private static int indexInContainer(Element element, AnnotationMirror repeated) {
    for (AnnotationMirror container : element.getAnnotationMirrors()) {
      for (AnnotationValue value : container.getElementValues().values()) {
        if (value.getValue() instanceof List) {
          List<?> values = (List<?>) value.getValue();
          for (int i = 0; i < values.size(); i++) {
            if (values.get(i) instanceof AnnotationValue
                && ((AnnotationValue) values.get(i)).getValue() == repeated) {
              return i;
            }
          }
        }
      }
    }
    return -1;
  }

  private static List<? extends AnnotationTree> annotationsOf(Tree tree) {
    if (tree instanceof ClassTree) {
      return ((ClassTree) tree).getModifiers().getAnnotations();
    }
    if (tree instanceof MethodTree) {
      return ((MethodTree) tree).getModifiers().getAnnotations();
    }
    return List.of();
  }

  /** The argument tree of {@code value} in {@code annotation}, or the annotation when not found. */
  private static Tree valueTree(AnnotationTree annotation, AnnotationMirror mirror, AnnotationValue value) {
    String attribute = null;
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry : mirror.getElementValues().entrySet()) {
      if (entry.getValue() == value) {
        attribute = entry.getKey().getSimpleName().toString();
      }
    }
    for (ExpressionTree argument : annotation.getArguments()) {
      if (argument instanceof AssignmentTree) {
        AssignmentTree assignment = (AssignmentTree) argument;
        if (assignment.getVariable() instanceof IdentifierTree
            && ((IdentifierTree) assignment.getVariable()).getName().contentEquals(String.valueOf(attribute))) {
          return assignment.getExpression();
        }
      } else if ("value".equals(attribute)) {
        return argument; // @DependsOn(B.class)
      }
    }
    return annotation;
  }
}
