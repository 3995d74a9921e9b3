package dev.ordo.processor.base;

import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * The annotations Ordo reads, by name. The processor reads them as mirrors, never as
 * {@code Class} objects, so that it sees them the same way on sources and on class files of other
 * jars (they are CLASS-retained: javac reads them from the class file).
 */
public enum OrdoAnnotation {
  ON_STARTUP("dev.ordo.OnStartup", "OnStartup"),
  ON_SHUTDOWN("dev.ordo.OnShutdown", "OnShutdown"),
  HEALTH_CHECK("dev.ordo.HealthCheck", "HealthCheck"),
  CRITICAL("dev.ordo.Critical", "Critical"),
  PUBLISHES_EVENTS("dev.ordo.PublishesEvents", "PublishesEvents"),
  DEPENDS_ON("dev.ordo.DependsOn", "DependsOn"),
  /** The container javac writes when {@code @DependsOn} is repeated. */
  DEPENDS_ON_LIST("dev.ordo.DependsOn.List", "DependsOn.List");

  private final String qualifiedName;
  private final String simpleName;

  OrdoAnnotation(String qualifiedName, String simpleName) {
    this.qualifiedName = qualifiedName;
    this.simpleName = simpleName;
  }

  /** The annotation type's canonical name. */
  public String qualifiedName() {
    return qualifiedName;
  }

  /** The name as written after {@code @} in sources. */
  public String simpleName() {
    return simpleName;
  }

  /** This annotation on {@code element}, if present. */
  public Optional<AnnotationMirror> find(Element element) {
    for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
      if (is(mirror)) {
        return Optional.of(mirror);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code mirror} is this annotation. */
  public boolean is(AnnotationMirror mirror) {
    Element type = mirror.getAnnotationType().asElement();
    return type instanceof TypeElement
        && ((TypeElement) type).getQualifiedName().contentEquals(qualifiedName);
  }

  /**
   * The value the source wrote for {@code attribute}, or empty when it was left to its default.
   * Diagnostics point at such a value.
   */
  public static Optional<AnnotationValue> explicitValue(AnnotationMirror mirror, String attribute) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry :
        mirror.getElementValues().entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals(attribute)) {
        return Optional.of(entry.getValue());
      }
    }
    return Optional.empty();
  }
}
