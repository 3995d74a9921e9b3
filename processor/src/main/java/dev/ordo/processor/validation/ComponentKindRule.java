package dev.ordo.processor.validation;

import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.Reporter;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;

/**
 * A component is a class, an enum or a record: the runtime looks a controller up by the class of
 * an instance and then by each superclass, never by an interface, so a controller generated for an
 * interface (or an annotation type) would never be found. The processor runs no other rule on a
 * component this rule rejects.
 */
public final class ComponentKindRule implements ComponentRule {
  /** Whether {@code type} is of a kind that can be a component: a class, an enum or a record. */
  public static boolean isComponentKind(TypeElement type) {
    return type.getKind() != ElementKind.INTERFACE && type.getKind() != ElementKind.ANNOTATION_TYPE;
  }

  @Override
  public void validate(TypeElement component, Reporter reporter) {
    if (component.getKind() == ElementKind.INTERFACE) {
      reporter.report(Message.INTERFACE_COMPONENT, Location.of(component), component.getQualifiedName());
    } else if (component.getKind() == ElementKind.ANNOTATION_TYPE) {
      reporter.report(Message.ANNOTATION_TYPE_COMPONENT, Location.of(component), component.getQualifiedName());
    }
  }
}
