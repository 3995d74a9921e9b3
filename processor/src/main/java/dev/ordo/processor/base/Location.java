package dev.ordo.processor.base;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/**
 * Where a diagnostic points: an element, and when known the annotation on it and the value in that
 * annotation, so that an IDE underlines {@code timeout = "10 sec"} rather than the whole class.
 *
 * @param element the element
 * @param annotation the annotation on {@code element}, or {@code null}
 * @param value a value of {@code annotation}, or {@code null}
 */
public record Location(Element element, AnnotationMirror annotation, AnnotationValue value) {
  /** The element itself. */
  public static Location of(Element element) {
    return new Location(element, null, null);
  }

  /** An annotation on the element. */
  public static Location of(Element element, AnnotationMirror annotation) {
    return new Location(element, annotation, null);
  }

  /** A value of an annotation on the element. */
  public static Location of(Element element, AnnotationMirror annotation, AnnotationValue value) {
    return new Location(element, annotation, value);
  }
}
