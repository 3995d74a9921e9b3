package dev.ordo.processor.assembly;

import dev.ordo.processor.ComponentReader;
import dev.ordo.processor.model.ComponentName;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;

/**
 * An {@code @OrdoApplication}, resolved at compile time: every component instance in startup
 * order with its edges as indices, how each is obtained, the externals the generated builder takes
 * and the accessors it implements. The generated assembly is a straight transcription of this.
 *
 * @param type the annotated interface
 * @param instances the component instances, in a topological order: every edge points to a lower index
 * @param externals the values the builder takes, sorted by setter name
 * @param accessors the interface's accessors, in declaration order
 * @param ordoAccessor whether the interface declares {@code Ordo ordo()} itself
 * @param exceptions the checked exceptions the constructors it calls declare, which
 *     {@code build()} declares in turn, sorted by name
 * @param auxiliary whether a component is an auxiliary class (a non-public class in the source
 *     file of another), which javac's lint warns about wherever another file names it
 * @param gracePeriod the Kubernetes grace period {@code @OrdoApplication(gracePeriod = ...)}
 *     declares, which the generated builder gives the runtime; null for none
 */
public record Application(
    TypeElement type,
    List<Instance> instances,
    List<External> externals,
    List<Accessor> accessors,
    boolean ordoAccessor,
    List<TypeMirror> exceptions,
    boolean auxiliary,
    java.time.Duration gracePeriod) {

  /** The same application, knowing whether it names auxiliary classes and its grace period. */
  public Application with(boolean auxiliary, java.time.Duration gracePeriod) {
    return new Application(type, instances, externals, accessors, ordoAccessor, exceptions, auxiliary, gracePeriod);
  }


  /** The generated class's simple name: {@code Ordo} and the interface's flat name. */
  public String generatedName() {
    return "Ordo" + ComponentReader.nameOf(type).flatName();
  }

  /**
   * One component instance.
   *
   * @param index its place in {@link #instances()}
   * @param type the component class
   * @param name its name
   * @param key the key of a keyed instance, or null
   * @param critical whether it is {@code @Critical}
   * @param external the external that gives it, or null when the assembly constructs it
   * @param arguments the constructor's arguments, when the assembly constructs it
   * @param hard the indices of its hard dependencies
   * @param soft the indices of its optional dependencies
   * @param variable the local variable that holds it in {@code build()} (the external's field
   *     when it is given)
   */
  public record Instance(
      int index,
      TypeElement type,
      ComponentName name,
      String key,
      boolean critical,
      External external,
      List<Argument> arguments,
      int[] hard,
      int[] soft,
      String variable) {

    /** Whether the builder is given it rather than constructing it. */
    public boolean given() {
      return external != null;
    }
  }

  /** What a constructor argument is. */
  public enum ArgumentKind {
    COMPONENT,
    OPTIONAL_COMPONENT,
    REQUEST_TRACKER,
    EVENTS,
    EXTERNAL
  }

  /**
   * One constructor argument.
   *
   * @param kind what it is
   * @param instance for components, the index of the instance
   * @param external for externals, the external
   * @param events for events, the events class's name (package and simple names)
   */
  public record Argument(ArgumentKind kind, int instance, External external, ComponentName events) {}

  /**
   * A value the generated builder takes.
   *
   * @param setter the setter's (and field's) name
   * @param type its type
   * @param qualifier its {@code @Named} value, or null
   * @param component for a component instance given from outside, its index; else -1
   * @param consumers the indices of the instances whose constructors take it (empty for a
   *     component instance: then it is needed when that instance is included)
   */
  public record External(String setter, TypeMirror type, String qualifier, int component, List<Integer> consumers) {}

  /**
   * One accessor of the interface.
   *
   * @param method the method
   * @param instance the index of the instance it returns
   * @param optional whether it returns {@code Optional<Foo>}
   */
  public record Accessor(ExecutableElement method, int instance, boolean optional) {}
}
