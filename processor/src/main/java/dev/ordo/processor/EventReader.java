package dev.ordo.processor;

import dev.ordo.processor.base.OrdoAnnotation;
import dev.ordo.processor.model.ComponentEvents;
import dev.ordo.processor.model.ComponentEvents.Payload;
import dev.ordo.processor.model.ComponentEvents.PayloadComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.SimpleAnnotationValueVisitor9;

/**
 * Reads what a component declares with {@code @PublishesEvents} into {@link ComponentEvents}, from
 * annotation mirrors only, like {@link ComponentReader}.
 */
public final class EventReader {
  /** Reference types that an event's data may hold, by qualified name, with their JSON type. */
  private static final Map<String, String> REFERENCE_TYPES = Map.ofEntries(
      Map.entry("java.lang.String", "string"),
      Map.entry("java.lang.Character", "string"),
      Map.entry("java.lang.Boolean", "boolean"),
      Map.entry("java.lang.Byte", "integer"),
      Map.entry("java.lang.Short", "integer"),
      Map.entry("java.lang.Integer", "integer"),
      Map.entry("java.lang.Long", "integer"),
      Map.entry("java.math.BigInteger", "integer"),
      Map.entry("java.lang.Float", "number"),
      Map.entry("java.lang.Double", "number"),
      Map.entry("java.math.BigDecimal", "number"),
      Map.entry("java.util.UUID", "string"),
      Map.entry("java.time.Instant", "string"),
      Map.entry("java.time.Duration", "string"),
      Map.entry("java.time.LocalDate", "string"),
      Map.entry("java.net.URI", "string"));

  private EventReader() {}

  /** One {@code payloads} entry: the value in the annotation, and the type it names. */
  public record PayloadValue(AnnotationValue value, TypeMirror type) {}

  /** The {@code @PublishesEvents} of {@code type}, if any. */
  public static Optional<AnnotationMirror> annotation(TypeElement type) {
    return OrdoAnnotation.PUBLISHES_EVENTS.find(type);
  }

  /** The {@code operations} values, in declaration order. */
  public static List<AnnotationValue> operationValues(AnnotationMirror mirror) {
    return arrayValues(mirror, "operations");
  }

  /** The {@code payloads} values, in declaration order. */
  public static List<PayloadValue> payloadValues(AnnotationMirror mirror) {
    List<PayloadValue> result = new ArrayList<>();
    for (AnnotationValue v : arrayValues(mirror, "payloads")) {
      Object value = v.getValue();
      if (value instanceof TypeMirror) {
        result.add(new PayloadValue(v, (TypeMirror) value));
      }
    }
    return result;
  }

  private static List<AnnotationValue> arrayValues(AnnotationMirror mirror, String attribute) {
    List<AnnotationValue> values = new ArrayList<>();
    OrdoAnnotation.explicitValue(mirror, attribute).ifPresent(value -> value.accept(
        new SimpleAnnotationValueVisitor9<Void, Void>() {
          @Override
          public Void visitArray(List<? extends AnnotationValue> vals, Void unused) {
            values.addAll(vals);
            return null;
          }

          @Override
          protected Void defaultAction(Object o, Void unused) {
            values.add(value); // a single value written without braces
            return null;
          }
        }, null));
    return values;
  }

  /** The record {@code type} names, or empty when it is not a record. */
  public static Optional<TypeElement> record(TypeMirror type) {
    if (type.getKind() != TypeKind.DECLARED) {
      return Optional.empty();
    }
    Element e = ((DeclaredType) type).asElement();
    return e.getKind() == ElementKind.RECORD ? Optional.of((TypeElement) e) : Optional.empty();
  }

  /** The JSON type of a record component's type, or empty when events cannot carry it. */
  public static Optional<String> jsonType(TypeMirror type) {
    switch (type.getKind()) {
      case BOOLEAN:
        return Optional.of("boolean");
      case BYTE:
      case SHORT:
      case INT:
      case LONG:
        return Optional.of("integer");
      case FLOAT:
      case DOUBLE:
        return Optional.of("number");
      case CHAR:
        return Optional.of("string");
      case DECLARED:
        TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
        if (element.getKind() == ElementKind.ENUM) {
          return Optional.of("string");
        }
        return Optional.ofNullable(REFERENCE_TYPES.get(element.getQualifiedName().toString()));
      default:
        return Optional.empty();
    }
  }

  /** Reads the events of {@code type}, which passed validation. */
  public static ComponentEvents read(TypeElement type) {
    List<String> operations = new ArrayList<>();
    List<Payload> payloads = new ArrayList<>();
    annotation(type).ifPresent(mirror -> {
      for (AnnotationValue v : operationValues(mirror)) {
        if (v.getValue() instanceof String) {
          operations.add((String) v.getValue());
        }
      }
      for (PayloadValue p : payloadValues(mirror)) {
        record(p.type()).ifPresent(record -> payloads.add(payload(record)));
      }
    });
    return new ComponentEvents(ComponentReader.nameOf(type), operations, payloads);
  }

  /** The payload that {@code record} makes. */
  public static Payload payload(TypeElement record) {
    List<PayloadComponent> components = new ArrayList<>();
    for (RecordComponentElement c : ElementFilter.recordComponentsIn(record.getEnclosedElements())) {
      TypeMirror t = c.asType();
      components.add(new PayloadComponent(c.getSimpleName().toString(), jsonType(t).orElse("string"),
          !t.getKind().isPrimitive(), t.toString()));
    }
    return new Payload(ComponentReader.nameOf(record), ComponentEvents.eventName(record.getSimpleName().toString()),
        components);
  }
}
