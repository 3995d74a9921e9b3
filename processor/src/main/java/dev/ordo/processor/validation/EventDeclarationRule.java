package dev.ordo.processor.validation;

import dev.ordo.processor.EventReader;
import dev.ordo.processor.EventReader.PayloadValue;
import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.Reporter;
import dev.ordo.processor.model.ComponentEvents;
import dev.ordo.processor.writing.EventsApiWriter;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.ElementFilter;

/**
 * What {@code @PublishesEvents} declares on one component: operation names that make valid event
 * types and are not Ordo's own, no operation or payload twice, and payloads that are records the
 * generated {@code Foo_Events} can name, whose components have a JSON form. Each problem is
 * reported on the value in the annotation.
 */
public final class EventDeclarationRule implements ComponentRule {
  @Override
  public void validate(TypeElement component, Reporter reporter) {
    Optional<AnnotationMirror> found = EventReader.annotation(component);
    if (found.isEmpty()) {
      return;
    }
    AnnotationMirror mirror = found.get();
    Set<String> seen = new HashSet<>();
    for (AnnotationValue value : EventReader.operationValues(mirror)) {
      if (!(value.getValue() instanceof String)) {
        continue; // javac reports it
      }
      String name = (String) value.getValue();
      Location at = Location.of(component, mirror, value);
      if (!ComponentEvents.isValidName(name)) {
        reporter.report(Message.INVALID_OPERATION_NAME, at, name, component.getQualifiedName());
      } else if (ComponentEvents.RESERVED.contains(name)) {
        reporter.report(Message.RESERVED_OPERATION_NAME, at, name, component.getQualifiedName());
      } else if (!seen.add(name)) {
        reporter.report(Message.DUPLICATE_OPERATION, at, component.getQualifiedName(), name);
      }
    }
    Set<String> payloads = new HashSet<>();
    for (PayloadValue payload : EventReader.payloadValues(mirror)) {
      if (payload.type().getKind() == TypeKind.ERROR) {
        continue; // javac reports it
      }
      Location at = Location.of(component, mirror, payload.value());
      Optional<TypeElement> record = EventReader.record(payload.type());
      if (record.isEmpty()) {
        reporter.report(Message.EVENT_PAYLOAD_NOT_RECORD, at, payload.type(), component.getQualifiedName());
        continue;
      }
      TypeElement r = record.get();
      if (!payloads.add(r.getQualifiedName().toString())) {
        reporter.report(Message.DUPLICATE_EVENT_PAYLOAD, at, component.getQualifiedName(), r.getQualifiedName());
        continue;
      }
      if (!accessible(r, component)) {
        reporter.report(Message.EVENT_PAYLOAD_ACCESS, at, r.getQualifiedName(), component.getQualifiedName(),
            EventsApiWriter.eventsName(dev.ordo.processor.ComponentReader.nameOf(component)).simpleName());
      }
      for (RecordComponentElement c : ElementFilter.recordComponentsIn(r.getEnclosedElements())) {
        if (c.asType().getKind() != TypeKind.ERROR && EventReader.jsonType(c.asType()).isEmpty()) {
          reporter.report(Message.EVENT_PAYLOAD_FIELD, at, c.getSimpleName(), r.getQualifiedName(), c.asType());
        }
      }
    }
  }

  /** Whether generated code in the component's package can name {@code record}. */
  private static boolean accessible(TypeElement record, TypeElement component) {
    boolean samePackage = packageOf(record).equals(packageOf(component));
    for (Element e = record; e.getKind() != ElementKind.PACKAGE; e = e.getEnclosingElement()) {
      Set<Modifier> modifiers = e.getModifiers();
      if (modifiers.contains(Modifier.PRIVATE)) {
        return false;
      }
      if (!modifiers.contains(Modifier.PUBLIC) && !samePackage) {
        return false;
      }
    }
    return true;
  }

  private static String packageOf(Element e) {
    while (e.getKind() != ElementKind.PACKAGE) {
      e = e.getEnclosingElement();
    }
    return ((PackageElement) e).getQualifiedName().toString();
  }
}
