package dev.ordo.processor.assembly;

import dev.ordo.processor.ComponentReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * How a component is constructed: the constructor Ordo calls (its only one, or the one annotated
 * {@code @Inject} when there are several) and what each parameter is. Read from the element API
 * only, so a class of another jar reads like a source class.
 *
 * <p>The same reading decides the edges that constructors imply, for the controller's descriptor
 * and the graph's rules, and how the generated assembly builds the component.
 */
public final class Injection {
  /** {@code jakarta.inject.Inject} and {@code javax.inject.Inject}, by name: no dependency on either. */
  private static final List<String> INJECT = List.of("jakarta.inject.Inject", "javax.inject.Inject");
  /** {@code jakarta.inject.Named} and {@code javax.inject.Named}, by name. */
  private static final List<String> NAMED = List.of("jakarta.inject.Named", "javax.inject.Named");
  private static final String REQUEST_TRACKER = "dev.ordo.runtime.RequestTracker";
  private static final String OPTIONAL = "java.util.Optional";

  /** What a constructor parameter is given. */
  public enum Kind {
    /** A component: a hard dependency. */
    COMPONENT,
    /** {@code Optional<Foo>} of a component: an optional dependency. */
    OPTIONAL_COMPONENT,
    /** The application's {@code RequestTracker}. */
    REQUEST_TRACKER,
    /** A component's generated {@code Foo_Events}. */
    EVENTS,
    /** Anything else: given to the generated builder. */
    EXTERNAL
  }

  /**
   * One constructor parameter.
   *
   * @param element the parameter
   * @param kind what it is given
   * @param component for {@link Kind#COMPONENT} and {@link Kind#OPTIONAL_COMPONENT}, the component
   *     class; otherwise null
   * @param eventsName for {@link Kind#EVENTS}, the events class's name (as written while it is not
   *     generated yet); otherwise null
   * @param qualifier the {@code @Named} value, or null
   */
  public record Parameter(VariableElement element, Kind kind, TypeElement component, String eventsName,
      String qualifier) {
    /** The parameter's type. */
    public TypeMirror type() {
      return element.asType();
    }
  }

  private final ExecutableElement constructor;
  private final List<ExecutableElement> candidates;
  private final List<Parameter> parameters;

  private Injection(ExecutableElement constructor, List<ExecutableElement> candidates, List<Parameter> parameters) {
    this.constructor = constructor;
    this.candidates = candidates;
    this.parameters = parameters;
  }

  /** How {@code type} is constructed. */
  public static Injection of(TypeElement type) {
    List<ExecutableElement> constructors = ElementFilter.constructorsIn(type.getEnclosedElements());
    List<ExecutableElement> injected = new ArrayList<>();
    for (ExecutableElement c : constructors) {
      if (hasAnnotation(c, INJECT)) {
        injected.add(c);
      }
    }
    ExecutableElement chosen = null;
    List<ExecutableElement> candidates = List.of();
    if (constructors.size() == 1) {
      chosen = constructors.get(0);
    } else if (injected.size() == 1) {
      chosen = injected.get(0);
    } else {
      candidates = List.copyOf(injected.isEmpty() ? constructors : injected);
    }
    List<Parameter> parameters = new ArrayList<>();
    if (chosen != null) {
      for (VariableElement p : chosen.getParameters()) {
        parameters.add(classify(p));
      }
    }
    return new Injection(chosen, candidates, List.copyOf(parameters));
  }

  /** The constructor Ordo calls, or empty when there are several and not exactly one is {@code @Inject}. */
  public Optional<ExecutableElement> constructor() {
    return Optional.ofNullable(constructor);
  }

  /** When no constructor is chosen: the constructors among which none could be (all, or every {@code @Inject} one). */
  public List<ExecutableElement> candidates() {
    return candidates;
  }

  /** The chosen constructor's parameters, in order; empty without one. */
  public List<Parameter> parameters() {
    return parameters;
  }

  /** The component-typed parameters, which are edges: plain ones hard, {@code Optional} ones optional. */
  public List<Parameter> edges() {
    List<Parameter> edges = new ArrayList<>();
    for (Parameter p : parameters) {
      if (p.kind() == Kind.COMPONENT || p.kind() == Kind.OPTIONAL_COMPONENT) {
        edges.add(p);
      }
    }
    return edges;
  }

  private static Parameter classify(VariableElement p) {
    String qualifier = named(p);
    TypeMirror type = p.asType();
    if (type.getKind() == TypeKind.ERROR) {
      // Not generated yet: a component's Foo_Events is written in the same round as its controller.
      String written = type.toString();
      String simple = written.substring(written.lastIndexOf('.') + 1);
      if (simple.endsWith("_Events")) {
        return new Parameter(p, Kind.EVENTS, null, written, qualifier);
      }
      return new Parameter(p, Kind.EXTERNAL, null, null, qualifier);
    }
    if (type.getKind() != TypeKind.DECLARED) {
      return new Parameter(p, Kind.EXTERNAL, null, null, qualifier);
    }
    DeclaredType declared = (DeclaredType) type;
    TypeElement element = (TypeElement) declared.asElement();
    String name = element.getQualifiedName().toString();
    if (name.equals(REQUEST_TRACKER)) {
      return new Parameter(p, Kind.REQUEST_TRACKER, null, null, qualifier);
    }
    if (name.equals(OPTIONAL) && declared.getTypeArguments().size() == 1
        && declared.getTypeArguments().get(0).getKind() == TypeKind.DECLARED) {
      TypeElement argument = (TypeElement) ((DeclaredType) declared.getTypeArguments().get(0)).asElement();
      if (isComponentClass(argument)) {
        return new Parameter(p, Kind.OPTIONAL_COMPONENT, argument, null, qualifier);
      }
    }
    if (isComponentClass(element) && declared.getTypeArguments().isEmpty()) {
      return new Parameter(p, Kind.COMPONENT, element, null, qualifier);
    }
    if (element.getSimpleName().toString().endsWith("_Events") && isGeneratedEvents(element)) {
      return new Parameter(p, Kind.EVENTS, null, name, qualifier);
    }
    return new Parameter(p, Kind.EXTERNAL, null, null, qualifier);
  }

  /** Whether {@code type} is a class (not an interface) that Ordo runs. */
  public static boolean isComponentClass(TypeElement type) {
    return type.getKind() == ElementKind.CLASS && ComponentReader.isComponent(type);
  }

  /** A {@code Foo_Events} the processor wrote: it has the {@code COMPONENT} constant naming its component. */
  private static boolean isGeneratedEvents(TypeElement type) {
    for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
      if (field.getSimpleName().contentEquals("COMPONENT") && field.getModifiers().contains(Modifier.STATIC)) {
        return true;
      }
    }
    return false;
  }

  /** The value of {@code @Named} on {@code element}, or null. */
  public static String named(Element element) {
    for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
      if (is(mirror, NAMED)) {
        for (var entry : mirror.getElementValues().entrySet()) {
          if (entry.getKey().getSimpleName().contentEquals("value")) {
            AnnotationValue v = entry.getValue();
            return String.valueOf(v.getValue());
          }
        }
        return "";
      }
    }
    return null;
  }

  private static boolean hasAnnotation(Element element, List<String> names) {
    for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
      if (is(mirror, names)) {
        return true;
      }
    }
    return false;
  }

  private static boolean is(AnnotationMirror mirror, List<String> names) {
    Element type = mirror.getAnnotationType().asElement();
    return type instanceof TypeElement && names.contains(((TypeElement) type).getQualifiedName().toString());
  }
}
