package dev.ordo.processor;

import dev.ordo.processor.base.OrdoAnnotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.SimpleAnnotationValueVisitor9;

/**
 * One {@code @DependsOn} on a class, whether written once or repeated (javac then wraps the
 * repetitions in a {@code @DependsOn.List}), with what diagnostics need to point at it.
 *
 * @param annotation the {@code @DependsOn} mirror
 * @param value its {@code value} (a class literal), for diagnostics
 * @param target the class literal's type; {@code null} when javac could not resolve it (yet)
 * @param optional whether the edge is soft
 */
public record DependsOnDeclaration(
    AnnotationMirror annotation, AnnotationValue value, TypeMirror target, boolean optional) {

  /** The declarations on {@code type}, in source order. */
  public static List<DependsOnDeclaration> of(TypeElement type) {
    List<DependsOnDeclaration> result = new ArrayList<>();
    for (AnnotationMirror mirror : type.getAnnotationMirrors()) {
      if (OrdoAnnotation.DEPENDS_ON.is(mirror)) {
        read(mirror).ifPresent(result::add);
      } else if (OrdoAnnotation.DEPENDS_ON_LIST.is(mirror)) {
        OrdoAnnotation.explicitValue(mirror, "value")
            .ifPresent(list -> list.accept(new SimpleAnnotationValueVisitor9<Void, Void>() {
              @Override
              public Void visitArray(List<? extends AnnotationValue> values, Void unused) {
                for (AnnotationValue each : values) {
                  each.accept(this, null);
                }
                return null;
              }

              @Override
              public Void visitAnnotation(AnnotationMirror inner, Void unused) {
                read(inner).ifPresent(result::add);
                return null;
              }
            }, null));
      }
    }
    return result;
  }

  /** Whether the target is a resolved type. */
  public boolean resolved() {
    return target != null && target.getKind() != TypeKind.ERROR;
  }

  private static Optional<DependsOnDeclaration> read(AnnotationMirror mirror) {
    Optional<AnnotationValue> value = OrdoAnnotation.explicitValue(mirror, "value");
    if (value.isEmpty()) {
      return Optional.empty(); // javac has reported the missing attribute
    }
    TypeMirror target = value.get().accept(new SimpleAnnotationValueVisitor9<TypeMirror, Void>() {
      @Override
      public TypeMirror visitType(TypeMirror type, Void unused) {
        return type;
      }
    }, null);
    boolean optional = OrdoAnnotation.explicitValue(mirror, "optional")
        .map(v -> Boolean.TRUE.equals(v.getValue()))
        .orElse(false);
    return Optional.of(new DependsOnDeclaration(mirror, value.get(), target, optional));
  }
}
