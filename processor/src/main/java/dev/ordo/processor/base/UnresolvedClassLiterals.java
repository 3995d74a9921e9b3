package dev.ordo.processor.base;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * The class literals in a class's annotations that name no class ({@code @DependsOn(Missing.class)}),
 * as the source writes them. javac's annotation mirrors only say {@code <error>} there, so this
 * reads the source tree through javac's {@link Trees} API; on another compiler it finds nothing.
 */
public final class UnresolvedClassLiterals {
  private final Optional<Trees> trees;

  /** Reads the trees of {@code env}'s compiler, when it is javac. */
  public UnresolvedClassLiterals(ProcessingEnvironment env) {
    this.trees = SourceTrees.of(env);
  }

  /** The unresolved class literals in the annotations on {@code type}, in source order. */
  public List<String> of(TypeElement type) {
    TreePath path = trees.isPresent() ? trees.get().getPath(type) : null;
    if (path == null || !(path.getLeaf() instanceof ClassTree)) {
      return List.of();
    }
    Set<String> names = new LinkedHashSet<>();
    for (AnnotationTree annotation : ((ClassTree) path.getLeaf()).getModifiers().getAnnotations()) {
      new TreePathScanner<Void, Void>() {
        @Override
        public Void visitMemberSelect(MemberSelectTree tree, Void unused) {
          if (tree.getIdentifier().contentEquals("class")) {
            TypeMirror literal = trees.get().getTypeMirror(new TreePath(getCurrentPath(), tree.getExpression()));
            if (literal == null || literal.getKind() == TypeKind.ERROR) {
              names.add(tree.getExpression().toString());
            }
            return null;
          }
          return super.visitMemberSelect(tree, unused);
        }
      }.scan(new TreePath(path, annotation), null);
    }
    return List.copyOf(names);
  }
}
