package dev.ordo.processor.validation;

import dev.ordo.processor.ComponentReader;
import dev.ordo.processor.DependsOnDeclaration;
import dev.ordo.processor.assembly.Injection;
import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.OrdoAnnotation;
import dev.ordo.processor.base.Reporter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * A component's controller calls the hooks its own class declares and orders it by its own
 * {@code @DependsOn} and constructor: what a superclass declares would be dropped silently. So a
 * hook, a health check or a {@code @DependsOn} of a superclass (of this compilation or of another
 * jar) that the component does not declare again is an error on the component, saying what to
 * write. A class that declares nothing of Ordo's is no component, and runs with its nearest
 * annotated superclass's controller, which calls those hooks: it is not checked here.
 */
public final class InheritedLifecycleRule implements ComponentRule {
  private static final List<OrdoAnnotation> HOOKS =
      List.of(OrdoAnnotation.ON_STARTUP, OrdoAnnotation.ON_SHUTDOWN, OrdoAnnotation.HEALTH_CHECK);

  private final Elements elements;

  /** Checks with javac's utilities. */
  public InheritedLifecycleRule(Elements elements) {
    this.elements = elements;
  }

  @Override
  public void validate(TypeElement component, Reporter reporter) {
    Set<String> ownEdges = new HashSet<>();
    for (DependsOnDeclaration d : DependsOnDeclaration.of(component)) {
      TypeElement target = DependencyEdges.targetOf(d);
      if (target != null) {
        ownEdges.add(target.getQualifiedName().toString());
      }
    }
    for (Injection.Parameter p : Injection.of(component).edges()) {
      ownEdges.add(p.component().getQualifiedName().toString());
    }
    Set<String> reportedEdges = new HashSet<>();
    for (TypeElement superclass = superclassOf(component); superclass != null; superclass = superclassOf(superclass)) {
      for (OrdoAnnotation hook : HOOKS) {
        for (ExecutableElement inherited : ComponentReader.methodsWith(superclass, hook)) {
          if (!declaredAgain(component, inherited, hook)) {
            reporter.report(Message.INHERITED_HOOK, Location.of(component), component.getQualifiedName(),
                superclass.getQualifiedName(), hook.simpleName(), inherited.getSimpleName());
          }
        }
      }
      for (DependsOnDeclaration d : DependsOnDeclaration.of(superclass)) {
        TypeElement target = DependencyEdges.targetOf(d);
        if (target == null || target.equals(component)) {
          continue;
        }
        String name = target.getQualifiedName().toString();
        if (!ownEdges.contains(name) && reportedEdges.add(name)) {
          reporter.report(Message.INHERITED_DEPENDS_ON, Location.of(component), component.getQualifiedName(),
              superclass.getQualifiedName(), name);
        }
      }
    }
  }

  /** Whether {@code component} overrides {@code inherited} with a method carrying {@code hook} too. */
  private boolean declaredAgain(TypeElement component, ExecutableElement inherited, OrdoAnnotation hook) {
    for (ExecutableElement own : ElementFilter.methodsIn(component.getEnclosedElements())) {
      if (own.getSimpleName().equals(inherited.getSimpleName()) && elements.overrides(own, inherited, component)) {
        return hook.find(own).isPresent();
      }
    }
    return false;
  }

  private static TypeElement superclassOf(TypeElement type) {
    TypeMirror superclass = type.getSuperclass();
    if (superclass.getKind() != TypeKind.DECLARED) {
      return null;
    }
    TypeElement element = (TypeElement) ((DeclaredType) superclass).asElement();
    return element.getQualifiedName().contentEquals("java.lang.Object") ? null : element;
  }
}
