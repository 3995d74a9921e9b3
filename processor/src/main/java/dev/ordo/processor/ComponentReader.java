package dev.ordo.processor;

import dev.ordo.processor.assembly.Injection;
import dev.ordo.processor.base.OrdoAnnotation;
import dev.ordo.processor.model.ComponentDescriptor;
import dev.ordo.processor.model.ComponentDescriptor.Dependency;
import dev.ordo.processor.model.ComponentDescriptor.HealthCheck;
import dev.ordo.processor.model.ComponentDescriptor.HealthResult;
import dev.ordo.processor.model.ComponentDescriptor.Hook;
import dev.ordo.processor.model.ComponentDescriptor.Parameters;
import dev.ordo.processor.model.ComponentName;
import dev.ordo.processor.model.Durations;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.SimpleAnnotationValueVisitor9;
import javax.lang.model.util.Types;

/**
 * Reads a component class into a {@link ComponentDescriptor}, and answers what a class is. Reads
 * annotation mirrors only, so a class from another jar reads like a source class.
 */
public final class ComponentReader {
  private static final Set<OrdoAnnotation> TYPE_MARKERS =
      EnumSet.of(OrdoAnnotation.CRITICAL, OrdoAnnotation.PUBLISHES_EVENTS,
          OrdoAnnotation.DEPENDS_ON, OrdoAnnotation.DEPENDS_ON_LIST);
  private static final Set<OrdoAnnotation> METHOD_MARKERS =
      EnumSet.of(OrdoAnnotation.ON_STARTUP, OrdoAnnotation.ON_SHUTDOWN, OrdoAnnotation.HEALTH_CHECK);

  /** The delay before the first retry when {@code @Retry} gives none, as its default says. */
  public static final Duration DEFAULT_RETRY_INITIAL = Duration.ofSeconds(1);
  /** The longest delay between retries when {@code @Retry} gives none, as its default says. */
  public static final Duration DEFAULT_RETRY_MAX = Duration.ofMinutes(1);

  private final Types types;

  /** Reads with javac's utilities. */
  public ComponentReader(Types types) {
    this.types = types;
  }

  /**
   * Whether {@code type} is a component: it is {@code @Critical}, {@code @PublishesEvents} or
   * {@code @DependsOn}, or has an {@code @OnStartup}, {@code @OnShutdown} or {@code @HealthCheck}
   * method.
   */
  public static boolean isComponent(TypeElement type) {
    for (OrdoAnnotation marker : TYPE_MARKERS) {
      if (marker.find(type).isPresent()) {
        return true;
      }
    }
    for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
      for (OrdoAnnotation marker : METHOD_MARKERS) {
        if (marker.find(method).isPresent()) {
          return true;
        }
      }
    }
    return false;
  }

  /** The methods of {@code type} that carry {@code annotation}, in declaration order. */
  public static List<ExecutableElement> methodsWith(TypeElement type, OrdoAnnotation annotation) {
    List<ExecutableElement> result = new ArrayList<>();
    for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
      if (annotation.find(method).isPresent()) {
        result.add(method);
      }
    }
    return result;
  }

  /** The binary name of the runtime's managed-resource type. */
  public static final String MANAGED_RESOURCE = "dev.ordo.runtime.resources.ManagedResource";

  /**
   * The instance fields of {@code type} (declared by it, not inherited) whose type is
   * {@code ManagedResource<...>}, in declaration order; static fields are not the instance's, and
   * are left alone.
   */
  public static List<VariableElement> resourceFields(TypeElement type) {
    List<VariableElement> fields = new ArrayList<>();
    for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
      if (field.getModifiers().contains(Modifier.STATIC) || field.asType().getKind() != TypeKind.DECLARED) {
        continue;
      }
      Element declared = ((javax.lang.model.type.DeclaredType) field.asType()).asElement();
      if (declared instanceof TypeElement
          && ((TypeElement) declared).getQualifiedName().contentEquals(MANAGED_RESOURCE)) {
        fields.add(field);
      }
    }
    return fields;
  }

  /** The name of {@code type}: its package and its simple names, outermost first. */
  public static ComponentName nameOf(TypeElement type) {
    ArrayDeque<String> simpleNames = new ArrayDeque<>();
    Element e = type;
    while (e.getKind() != ElementKind.PACKAGE) {
      simpleNames.addFirst(e.getSimpleName().toString());
      e = e.getEnclosingElement();
    }
    return new ComponentName(((PackageElement) e).getQualifiedName().toString(), List.copyOf(simpleNames));
  }

  /**
   * Whether reading {@code type} must wait for a later round: a type it mentions (a dependency, a
   * hook's parameter or return type) is not resolved yet, perhaps because another processor
   * generates it.
   */
  public static boolean hasUnresolvedTypes(TypeElement type) {
    return !unresolvedTypes(type).isEmpty();
  }

  /**
   * The types {@code type} mentions that are not resolved (yet), as javac prints them: a hook's
   * parameter or return type by its name, but a class literal in an annotation as {@code <error>}
   * (see {@link dev.ordo.processor.base.UnresolvedClassLiterals} for its source text).
   */
  public static List<String> unresolvedTypes(TypeElement type) {
    Set<String> names = new LinkedHashSet<>();
    for (DependsOnDeclaration dependsOn : DependsOnDeclaration.of(type)) {
      if (!dependsOn.resolved()) {
        // javac shows "<error>" for a class literal it could not resolve: the name is in the source.
        names.add(dependsOn.target() == null ? String.valueOf(dependsOn.value()) : dependsOn.target().toString());
      }
    }
    for (OrdoAnnotation hook : METHOD_MARKERS) {
      for (ExecutableElement method : methodsWith(type, hook)) {
        if (method.getReturnType().getKind() == TypeKind.ERROR) {
          names.add(method.getReturnType().toString());
        }
        for (VariableElement parameter : method.getParameters()) {
          if (parameter.asType().getKind() == TypeKind.ERROR) {
            names.add(parameter.asType().toString());
          }
        }
      }
    }
    return List.copyOf(names);
  }

  /** Reads {@code type}, which passed validation. */
  public ComponentDescriptor read(TypeElement type) {
    List<Dependency> dependencies = new ArrayList<>();
    for (DependsOnDeclaration dependsOn : DependsOnDeclaration.of(type)) {
      if (!dependsOn.resolved() || !(types.asElement(dependsOn.target()) instanceof TypeElement)) {
        continue; // reported by validation
      }
      TypeElement target = (TypeElement) types.asElement(dependsOn.target());
      dependencies.add(new Dependency(nameOf(target), dependsOn.optional(), isPublicAllTheWay(target)));
    }
    // A constructor parameter of component type is an edge too: hard, or optional for Optional<Foo>.
    // One that @DependsOn declares already keeps its declaration.
    for (Injection.Parameter parameter : Injection.of(type).edges()) {
      ComponentName target = nameOf(parameter.component());
      if (parameter.component().equals(type)
          || dependencies.stream().anyMatch(d -> d.name().equals(target))) {
        continue;
      }
      dependencies.add(new Dependency(target, parameter.kind() == Injection.Kind.OPTIONAL_COMPONENT,
          isPublicAllTheWay(parameter.component())));
    }
    List<HealthCheck> healthChecks = new ArrayList<>();
    for (ExecutableElement method : methodsWith(type, OrdoAnnotation.HEALTH_CHECK)) {
      AnnotationMirror mirror = OrdoAnnotation.HEALTH_CHECK.find(method).orElseThrow();
      String name = stringValue(mirror, "name");
      healthChecks.add(new HealthCheck(
          name.isEmpty() ? method.getSimpleName().toString() : name,
          method.getSimpleName().toString(),
          parametersOf(method),
          healthResultOf(method),
          durationValue(mirror, "timeout"),
          durationValue(mirror, "interval"),
          booleanValue(mirror, "restart")));
    }
    List<String> operations = new ArrayList<>();
    OrdoAnnotation.PUBLISHES_EVENTS.find(type)
        .flatMap(mirror -> OrdoAnnotation.explicitValue(mirror, "operations"))
        .ifPresent(value -> value.accept(new SimpleAnnotationValueVisitor9<Void, Void>() {
          @Override
          public Void visitArray(List<? extends AnnotationValue> values, Void unused) {
            values.forEach(v -> v.accept(this, null));
            return null;
          }

          @Override
          public Void visitString(String s, Void unused) {
            operations.add(s);
            return null;
          }
        }, null));
    return new ComponentDescriptor(
        nameOf(type),
        type.getTypeParameters().size(),
        OrdoAnnotation.CRITICAL.find(type).isPresent(),
        dependencies,
        hook(type, OrdoAnnotation.ON_STARTUP),
        hook(type, OrdoAnnotation.ON_SHUTDOWN),
        healthChecks,
        operations,
        retry(type),
        resourceFields(type).stream().map(f -> f.getSimpleName().toString()).toList());
  }

  /** The {@code @Retry} of the {@code @OnStartup} method, which passed validation. */
  private static Optional<ComponentDescriptor.Retry> retry(TypeElement type) {
    List<ExecutableElement> methods = methodsWith(type, OrdoAnnotation.ON_STARTUP);
    if (methods.isEmpty()) {
      return Optional.empty();
    }
    return retryOf(OrdoAnnotation.ON_STARTUP.find(methods.get(0)).orElseThrow())
        .map(retry -> new ComponentDescriptor.Retry(
            retryDuration(retry, "initial", DEFAULT_RETRY_INITIAL),
            retryDuration(retry, "max", DEFAULT_RETRY_MAX),
            OrdoAnnotation.explicitValue(retry, "attempts").map(v -> (Integer) v.getValue()).orElse(0)));
  }

  /**
   * The {@code @Retry} given in {@code retry = ...} of an {@code @OnStartup} mirror: the first one,
   * empty when none is given (validation reports more than one).
   */
  public static Optional<AnnotationMirror> retryOf(AnnotationMirror onStartup) {
    List<AnnotationMirror> all = retriesOf(onStartup);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /** Every {@code @Retry} given in {@code retry = ...} of an {@code @OnStartup} mirror. */
  public static List<AnnotationMirror> retriesOf(AnnotationMirror onStartup) {
    List<AnnotationMirror> found = new ArrayList<>();
    OrdoAnnotation.explicitValue(onStartup, "retry").ifPresent(value -> value.accept(
        new SimpleAnnotationValueVisitor9<Void, Void>() {
          @Override
          public Void visitArray(List<? extends AnnotationValue> values, Void unused) {
            values.forEach(v -> v.accept(this, null));
            return null;
          }

          @Override
          public Void visitAnnotation(AnnotationMirror a, Void unused) {
            found.add(a);
            return null;
          }
        }, null));
    return found;
  }

  /** A duration of {@code @Retry}: its text, or {@code fallback} when left out or empty. */
  private static Duration retryDuration(AnnotationMirror retry, String attribute, Duration fallback) {
    String text = stringValue(retry, attribute);
    return text.isEmpty() ? fallback : Durations.parse(text).orElse(fallback);
  }

  private static boolean booleanValue(AnnotationMirror mirror, String attribute) {
    return OrdoAnnotation.explicitValue(mirror, attribute)
        .map(v -> Boolean.TRUE.equals(v.getValue()))
        .orElse(false);
  }

  private Optional<Hook> hook(TypeElement type, OrdoAnnotation annotation) {
    List<ExecutableElement> methods = methodsWith(type, annotation);
    if (methods.isEmpty()) {
      return Optional.empty();
    }
    ExecutableElement method = methods.get(0);
    AnnotationMirror mirror = annotation.find(method).orElseThrow();
    return Optional.of(new Hook(
        method.getSimpleName().toString(),
        parametersOf(method),
        method.getReturnType().getKind() != TypeKind.VOID,
        durationValue(mirror, "timeout")));
  }

  private static Parameters parametersOf(ExecutableElement method) {
    return method.getParameters().isEmpty() ? Parameters.NONE : Parameters.CONTEXT;
  }

  private static HealthResult healthResultOf(ExecutableElement method) {
    switch (method.getReturnType().getKind()) {
      case BOOLEAN:
        return HealthResult.BOOLEAN;
      case VOID:
        return HealthResult.VOID;
      default:
        return HealthResult.HEALTH;
    }
  }

  /** Whether {@code type} and every class around it are public. */
  static boolean isPublicAllTheWay(TypeElement type) {
    for (Element e = type; e.getKind() != ElementKind.PACKAGE; e = e.getEnclosingElement()) {
      if (!e.getModifiers().contains(Modifier.PUBLIC)) {
        return false;
      }
    }
    return true;
  }

  /** The text of a string attribute, or {@code ""} when left to its default. */
  static String stringValue(AnnotationMirror mirror, String attribute) {
    return OrdoAnnotation.explicitValue(mirror, attribute)
        .map(v -> String.valueOf(v.getValue()))
        .orElse("");
  }

  private static Optional<Duration> durationValue(AnnotationMirror mirror, String attribute) {
    String text = stringValue(mirror, attribute);
    return text.isEmpty() ? Optional.empty() : Durations.parse(text);
  }
}
