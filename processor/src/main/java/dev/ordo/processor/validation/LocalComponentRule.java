package dev.ordo.processor.validation;

import dev.ordo.processor.base.SourceTrees;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.OrdoAnnotation;
import dev.ordo.processor.base.Reporter;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;

/**
 * An Ordo annotation in a local or anonymous class (or in a class nested in one) does nothing: the
 * class has no name generated code could use, and javac does not even show it to processors as an
 * annotated element. This rule finds such classes in the source trees of a round, through javac's
 * {@link Trees} API, and reports each annotated method (or the class, for a class annotation). On
 * another compiler it finds nothing.
 */
public final class LocalComponentRule {
  private static final Set<OrdoAnnotation> METHOD_ANNOTATIONS =
      EnumSet.of(OrdoAnnotation.ON_STARTUP, OrdoAnnotation.ON_SHUTDOWN, OrdoAnnotation.HEALTH_CHECK);

  private final Optional<Trees> trees;

  /** Reads the trees of {@code env}'s compiler, when it is javac. */
  public LocalComponentRule(ProcessingEnvironment env) {
    this.trees = SourceTrees.of(env);
  }

  /**
   * Reports the annotated local and anonymous classes in the source of {@code roots}, but for the
   * classes named in {@code skipped} (canonical names): the processor's own output holds none.
   */
  public void validate(Collection<? extends Element> roots, Set<String> skipped, Reporter reporter) {
    if (trees.isEmpty()) {
      return;
    }
    for (Element root : roots) {
      if (!(root instanceof TypeElement) || skipped.contains(((TypeElement) root).getQualifiedName().toString())) {
        continue;
      }
      TreePath path = trees.get().getPath(root);
      if (path != null) {
        new Scanner(reporter).scan(path, null);
      }
    }
  }

  private final class Scanner extends TreePathScanner<Void, Void> {
    private final Reporter reporter;
    /** How many local or anonymous classes enclose the class being scanned. */
    private int localDepth;

    Scanner(Reporter reporter) {
      this.reporter = reporter;
    }

    @Override
    public Void visitClass(ClassTree tree, Void unused) {
      // A top-level or member class sits right in a compilation unit or a class; only the others
      // (in a block, or the body of a `new`) need their element.
      Tree parent = getCurrentPath().getParentPath().getLeaf();
      boolean maybeLocal = localDepth > 0
          || !(parent instanceof ClassTree || parent instanceof CompilationUnitTree);
      Element element = maybeLocal ? trees.get().getElement(getCurrentPath()) : null;
      boolean local = element instanceof TypeElement
          && (localDepth > 0 || isLocal((TypeElement) element));
      if (local) {
        check((TypeElement) element);
        localDepth++;
      }
      try {
        return super.visitClass(tree, unused);
      } finally {
        if (local) {
          localDepth--;
        }
      }
    }

    private void check(TypeElement type) {
      String where = describe(type);
      for (OrdoAnnotation annotation : OrdoAnnotation.values()) {
        if (METHOD_ANNOTATIONS.contains(annotation)) {
          continue;
        }
        Optional<AnnotationMirror> mirror = annotation.find(type);
        if (mirror.isPresent()) {
          String shown = annotation == OrdoAnnotation.DEPENDS_ON_LIST ? "DependsOn" : annotation.simpleName();
          reporter.report(Message.LOCAL_COMPONENT, Location.of(type, mirror.get()),
              capitalized(where), shown);
        }
      }
      for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
        for (OrdoAnnotation annotation : METHOD_ANNOTATIONS) {
          if (annotation.find(method).isPresent()) {
            reporter.report(Message.LOCAL_COMPONENT, Location.of(method),
                "Method " + method.getSimpleName() + "() of " + where, annotation.simpleName());
          }
        }
      }
    }
  }

  private static boolean isLocal(TypeElement type) {
    return type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS;
  }

  /** {@code the local class Cache in com.acme.App}, {@code an anonymous class in com.acme.App}. */
  private static String describe(TypeElement type) {
    Element outer = type;
    while (outer != null && !(outer instanceof TypeElement && ((TypeElement) outer).getNestingKind() == NestingKind.TOP_LEVEL)) {
      outer = outer.getEnclosingElement();
    }
    String in = outer == null ? "" : " in " + ((TypeElement) outer).getQualifiedName();
    switch (type.getNestingKind()) {
      case ANONYMOUS:
        return "an anonymous class" + in;
      case LOCAL:
        return "the local class " + type.getSimpleName() + in;
      default:
        return "the class " + type.getSimpleName() + " nested in a local class" + in;
    }
  }

  private static String capitalized(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
