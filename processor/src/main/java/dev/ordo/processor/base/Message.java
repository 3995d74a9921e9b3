package dev.ordo.processor.base;

import java.util.Locale;
import javax.tools.Diagnostic;

/**
 * Every diagnostic the processor reports, in one place: a tag, the text, what to do about it, and
 * a severity. {@link #format} renders the three-part form users see:
 *
 * <pre>
 * [Ordo/DependencyCycle] Found a dependency cycle; no startup order exists:
 *     com.acme.A depends on com.acme.B
 *     com.acme.B depends on com.acme.A
 *   help: remove one of these @DependsOn edges, or make one optional = true
 *   docs: docs/errors.md#dependency-cycle
 * </pre>
 *
 * <p>The text and the help are {@link String#format} patterns over the same arguments.
 */
public enum Message {
  INTERNAL_ERROR(
      "InternalError",
      "Ordo failed unexpectedly while processing %s; this is a bug in Ordo:\n%s",
      "report it at https://github.com/ordo-dev/ordo/issues with this message"),
  RUNTIME_MISSING(
      "RuntimeMissing",
      "%s is a component, but the Ordo runtime (dev.ordo.runtime.LifecycleController) is not on"
          + " the compile class path, so its controller cannot be generated",
      "add the dependency dev.ordo:ordo-runtime to the project"),
  PRIVATE_COMPONENT(
      "PrivateComponent",
      "Component %s is not reachable from its package because %s is private; its generated"
          + " controller %s must call it from that package",
      "make %2$s package-private, protected or public"),
  INNER_COMPONENT(
      "InnerComponent",
      "Component %s is an inner class; it must be static, because its generated controller is"
          + " given instances without their enclosing %s",
      "add static to the declaration of %1$s"),
  PRIVATE_HOOK(
      "PrivateHook",
      "@%s method %s must not be private: the generated controller calls it",
      "make it package-private, protected or public"),
  STATIC_HOOK(
      "StaticHook",
      "@%s method %s must not be static: Ordo calls it on each component instance",
      "remove static, or call the static method from an instance method"),
  ABSTRACT_HOOK(
      "AbstractHook",
      "@%s method %s must not be abstract: Ordo calls exactly this method",
      "give it a body, or put the annotation on the implementing method of a concrete class"),
  HOOK_PARAMETERS(
      "HookParameters",
      "@%s method %s takes (%s); it may take no parameter, or one"
          + " dev.ordo.runtime.LifecycleContext",
      "remove the parameters: what a hook needs belongs in the component's fields"),
  HOOK_RETURN_TYPE(
      "HookReturnType",
      "@%s method %s returns %s; it must return void or a java.util.concurrent.CompletionStage",
      "return void when the work is done when the method returns, or a CompletionStage that"
          + " completes when the work is done"),
  HEALTH_CHECK_RETURN_TYPE(
      "HealthCheckReturnType",
      "@HealthCheck method %s returns %s; it must return boolean, dev.ordo.runtime.Health or void",
      "return boolean (false is DOWN), Health (a status with details), or void (a thrown"
          + " exception is DOWN)"),
  HOOK_THROWS(
      "HookThrows",
      "@%s method %s declares throws %s; a hook may only throw exceptions (java.lang.Exception"
          + " and its subclasses)",
      "declare Exception or a narrower exception type"),
  DUPLICATE_HOOK(
      "DuplicateHook",
      "%s has more than one @%s method: %s",
      "keep one @%2$s method, and call the others from it"),
  DUPLICATE_HEALTH_CHECK(
      "DuplicateHealthCheck",
      "%s has two health checks named \"%s\": %s and %s",
      "give one of them another name with @HealthCheck(name = \"...\")"),
  INVALID_DURATION(
      "InvalidDuration",
      "@%s(%s = \"%s\") on %s is not a positive duration",
      "write a whole number above zero followed by ms, s, m or h, such as \"500ms\", \"10s\","
          + " \"2m\" or \"1h\"; leave it empty for the application's default"),
  RETRY_MAX_BELOW_INITIAL(
      "InvalidRetry",
      "@Retry(max = \"%s\") on %s is shorter than its initial = \"%s\"",
      "make max at least as long as initial: the delay between attempts doubles from initial up to"
          + " max"),
  /** A negative limit: same tag and section. */
  RETRY_NEGATIVE_ATTEMPTS(
      "InvalidRetry",
      "@Retry(attempts = %d) on %s is negative",
      "write 0 to retry until the application stops, or the most attempts in a row before Ordo gives"
          + " up"),
  /** Several {@code @Retry}: same tag and section. */
  RETRY_MORE_THAN_ONE(
      "InvalidRetry",
      "@OnStartup on %s gives %d @Retry annotations in retry = {...}; a start is retried one way",
      "keep one: retry = @Retry(...)"),
  RETRY_ON_CRITICAL(
      "RetryOnCritical",
      "%s is @Critical, so its start cannot be retried: when a critical component fails to start, the"
          + " startup fails and everything that started is stopped again",
      "remove @Critical if the application can run degraded while %1$s retries; or remove"
          + " retry = @Retry(...), and to wait for a dependency at startup, retry inside the @OnStartup"
          + " method, within its timeout"),
  /** A restart of a critical component: same tag and section. */
  RESTART_ON_CRITICAL(
      "RetryOnCritical",
      "@HealthCheck(restart = true) on %s would restart %s, which is @Critical: a critical component"
          + " is not restarted while the application runs",
      "remove restart = true: a DOWN check of a critical component takes readiness DOWN, and the"
          + " orchestrator decides what to do; or remove @Critical"),
  RESTART_WITHOUT_RETRY(
      "RestartWithoutRetry",
      "@HealthCheck(restart = true) on %s restarts %s with the backoff of its @OnStartup(retry = ...),"
          + " which it does not declare",
      "add retry = @Retry(...) to the @OnStartup method of %2$s (declare one if it has none: a restart"
          + " stops the component, then starts it again)"),
  DEPENDENCY_CYCLE(
      "DependencyCycle",
      "Found a dependency cycle; no startup order exists:\n%s",
      "remove one of these @DependsOn edges, or make one optional = true"),
  /** A cycle of {@code optional = true} edges only: same tag and section as a hard one. */
  OPTIONAL_DEPENDENCY_CYCLE(
      "DependencyCycle",
      "Found a dependency cycle made only of optional edges; none of them can order startup:\n%s",
      "remove one of these @DependsOn edges: with optional = true on every edge of a cycle, no"
          + " component of it can wait for another"),
  SOFT_CYCLE(
      "SoftCycle",
      "Found a dependency cycle that only optional edges break:\n%s\n"
          + "  the runtime lets those edges yield: at startup, %s",
      "if one of these components must start after another, make that edge hard and break the"
          + " cycle elsewhere; otherwise remove the optional edges or add"
          + " @SuppressWarnings(\"ordo:soft-cycle\") to one of these classes",
      Diagnostic.Kind.WARNING),
  CRITICAL_DEPENDS_ON_OPTIONAL(
      "CriticalDependsOnOptional",
      "%s is @Critical but has a hard edge to %s, which is not: if %2$s fails, %1$s can never"
          + " start, and the application fails to start",
      "mark %2$s @Critical, or make this edge optional = true if %1$s can start without it"),
  UNDECLARED_DEPENDENCY(
      "UndeclaredDependency",
      "%s takes the component %s in a constructor but does not declare @DependsOn(%s.class); with"
          + " several constructors and none marked @Inject, Ordo cannot infer the edge, so it may"
          + " start %1$s first",
      "add @DependsOn(%3$s.class) to %1$s (optional = true if it may start without it), or add"
          + " @SuppressWarnings(\"ordo:undeclared-dependency\")",
      Diagnostic.Kind.WARNING),
  /** A critical component whose constructor takes an optional one: same tag and section. */
  CRITICAL_TAKES_OPTIONAL(
      "CriticalDependsOnOptional",
      "%s is @Critical but its constructor takes %s, which is not, so it hard-depends on it: if %2$s"
          + " fails, %1$s can never start, and the application fails to start",
      "mark %2$s @Critical, or take Optional<%2$s> (an optional dependency) if %1$s can start"
          + " without it"),
  INHERITED_HOOK(
      "InheritedHook",
      "%s extends %s, whose @%s method %s() Ordo does not call for %1$s: a component's controller"
          + " calls the hooks its own class declares, and %1$s is a component of its own",
      "declare the hook in %1$s: override %4$s() there, annotate the override with @%3$s and call"
          + " super.%4$s() in it"),
  INHERITED_DEPENDS_ON(
      "InheritedDependsOn",
      "%s extends %s, whose @DependsOn(%s.class) does not apply to %1$s: a component's edges are"
          + " the @DependsOn of its own class and what its constructor takes",
      "repeat @DependsOn(%3$s.class) on %1$s (with optional = true if the superclass's is), or take"
          + " %3$s in %1$s's constructor"),
  OPTIONAL_DEPENDENCY_PARAMETER(
      "OptionalDependencyParameter",
      "%s declares @DependsOn(value = %s.class, optional = true) but its constructor takes a plain"
          + " %2$s: when %2$s is left out of the application, there is no instance to give it",
      "take Optional<%2$s> instead, which is empty when %2$s is left out; or drop optional = true"
          + " if %1$s cannot start without it"),
  CONSTRUCTOR_CYCLE(
      "ConstructorCycle",
      "Found a cycle of constructor parameters; these components cannot be constructed at all,"
          + " since each needs another's instance first:\n%s",
      "let one of them stop taking the next in its constructor: have it receive the other later"
          + " (a setter called after construction, or a method parameter), and keep @DependsOn if"
          + " the startup order matters"),
  APPLICATION_KIND(
      "ApplicationKind",
      "@OrdoApplication %s is %s; it must be an interface that is not private, which the generated"
          + " %s implements",
      "declare %1$s as an interface whose methods return the components a caller needs"),
  APPLICATION_TYPE_PARAMETERS(
      "ApplicationKind",
      "@OrdoApplication %s has type parameters; the generated class implements it, and has no type"
          + " to give them",
      "remove the type parameters from %1$s"),
  ACCESSOR_PARAMETERS(
      "AccessorParameters",
      "%s takes parameters; every abstract method of @OrdoApplication %s must be an accessor"
          + " without parameters, returning a component",
      "remove the parameters, or give the method a default body"),
  ACCESSOR_NOT_COMPONENT(
      "AccessorNotComponent",
      "%s returns %s, which is not a component of %s; the generated class can only return components"
          + " it constructs",
      "return a component class (one with an Ordo annotation), Optional of one, or"
          + " dev.ordo.runtime.Ordo from ordo(); or give the method a default body"),
  AMBIGUOUS_CONSTRUCTOR(
      "AmbiguousConstructor",
      "%s has %d candidate constructors (%s: %s); the generated assembly of %s cannot tell which one"
          + " to call",
      "annotate the one to call with @Inject (jakarta.inject or javax.inject), or keep one constructor"),
  AMBIGUOUS_COMPONENT(
      "AmbiguousComponent",
      "%s takes %s without a qualifier, but the application has %d instances of it: %s",
      "add @Named with one of these keys to say which instance it takes"),
  EXTERNAL_NEEDS_NAME(
      "ExternalNeedsName",
      "%s takes %s, which the builder of %s cannot tell apart from any other %2$s: a primitive, a"
          + " generic or a platform type says nothing of what it is for",
      "add @Named(\"...\") (jakarta.inject or javax.inject) to the parameter; the builder's setter"
          + " takes that name, such as @Named(\"http-port\") int port giving httpPort(int); or take a"
          + " configuration class of your own"),
  EXTERNAL_NAME_CLASH(
      "ExternalNameClash",
      "The external %s would get the builder setter %s(...), which is taken by %s",
      "add @Named(\"...\") (jakarta.inject or javax.inject) with another name to the parameter"),
  COMPONENT_NOT_ACCESSIBLE(
      "ComponentNotAccessible",
      "Component %s cannot be named by the generated assembly of %s, in %s: it (or a class around"
          + " it) is private, or package-private in another package",
      "make it public (and every class around it), or move the @OrdoApplication interface to its"
          + " package"),
  NO_CONTROLLER(
      "NoController",
      "%s, which %s needs, is a component of a jar compiled without Ordo's processor, so it has no"
          + " generated controller to start it with",
      "compile that jar with dev.ordo:ordo-processor on its annotation processor path"),
  CRITICAL_WITHOUT_HOOKS(
      "CriticalWithoutHooks",
      "%s is @Critical but has no @OnStartup, @OnShutdown or @HealthCheck method that could fail",
      "remove @Critical, or add the hook it was meant to guard; to keep it only so that its hard"
          + " dependencies failing fails startup, add"
          + " @SuppressWarnings(\"ordo:critical-without-hooks\")",
      Diagnostic.Kind.WARNING),
  NO_EVENTS(
      "NoEvents",
      "%s is @PublishesEvents but declares no operations and no payloads, so it publishes no"
          + " events",
      "list what it publishes, as in @PublishesEvents(operations = {\"checkout\"}) or"
          + " @PublishesEvents(payloads = OrderPlaced.class), or remove @PublishesEvents; to keep it,"
          + " add @SuppressWarnings(\"ordo:no-events\")",
      Diagnostic.Kind.WARNING),
  GENERATED_FILE_EXISTS(
      "GeneratedFileExists",
      "%s must be generated again for %s, as the class changed, but the compiler refuses to write it:"
          + " %s. The Eclipse batch compiler refuses to generate a class that an earlier build left on"
          + " the class path, as an incremental compile into the same output does",
      "rebuild: delete the output (mvn clean, or the IDE's Project > Clean) and compile again"),
  MODULE_PROVIDES(
      "ModuleProvides",
      "Module %s does not provide its Ordo registry %s; on the module path the runtime finds a"
          + " module's components only through provides, as META-INF/services is ignored there",
      "add to the module declaration: provides dev.ordo.runtime.internal.LifecycleRegistry with %2$s;"),
  GRACE_PERIOD(
      "GracePeriod",
      "%s may need %s to shut down, more than the Kubernetes grace period %s leaves after a margin of"
          + " %s: pre-stop delay %s + drain %s + stop phase %s (the longest chain of stop timeouts: %s)%s",
      "give its pods terminationGracePeriodSeconds: %10$s or more (META-INF/ordo/kubernetes.yaml has the"
          + " computed value), or shorten the delay, the drain or a stop timeout on that chain",
      Diagnostic.Kind.WARNING),
  /** The same, with {@code -Aordo.kubernetes.strict=true}: same tag and section. */
  GRACE_PERIOD_STRICT(
      "GracePeriod",
      "%s may need %s to shut down, more than the Kubernetes grace period %s leaves after a margin of"
          + " %s: pre-stop delay %s + drain %s + stop phase %s (the longest chain of stop timeouts: %s)%s",
      "give its pods terminationGracePeriodSeconds: %10$s or more (META-INF/ordo/kubernetes.yaml has the"
          + " computed value), or shorten the delay, the drain or a stop timeout on that chain"),
  INVALID_OPTION(
      "InvalidOption",
      "Processor option -A%s=%s is not %s",
      "fix the value in the compiler arguments (maven-compiler-plugin <compilerArgs>), or remove the"
          + " option to use its default"),
  INTERFACE_COMPONENT(
      "ComponentKind",
      "%s is an interface, which cannot be a component: the runtime finds the controller of an"
          + " instance by its class and superclasses, never by the interfaces it implements",
      "move the Ordo annotations to the classes that implement %1$s"),
  /** An annotation type annotated like a component: same tag and section as an interface. */
  ANNOTATION_TYPE_COMPONENT(
      "ComponentKind",
      "%s is an annotation type, which cannot be a component: Ordo's annotations do not carry over"
          + " to the classes it annotates",
      "put the Ordo annotations on the component classes themselves"),
  RESOURCE_FIELD_NOT_FINAL(
      "ResourceFieldNotFinal",
      "Managed resource field %s of %s is not final: the runtime wires the resource the field holds when"
          + " the application is built, and one assigned later would be loaded, swapped and closed by nobody",
      "declare it final, and build the resource in its initializer or in the constructor"),
  RESOURCE_FIELD_PRIVATE(
      "ResourceFieldPrivate",
      "Managed resource field %s of %s is private; its generated controller %s reads it from the"
          + " component's package, without reflection",
      "make it package-private, protected or public (final keeps it from being replaced)"),
  GENERATED_NAME_CLASH(
      "GeneratedNameClash",
      "Components %s and %s would both get the generated class %s, because generated names join"
          + " the names of nested classes with _",
      "rename %4$s, such as to %5$s"),
  LOCAL_COMPONENT(
      "LocalComponent",
      "%s has @%s, which does nothing there: generated code cannot name a local or anonymous"
          + " class, so Ordo never runs it",
      "move the class out of the method body, to a top-level or static nested class"),
  UNRESOLVED_TYPE(
      "UnresolvedType",
      "%s was not processed because %s could not be resolved in any round",
      "fix the errors javac reports about %2$s; if another annotation processor generates it, make"
          + " sure that processor runs and succeeds"),
  NOT_A_COMPONENT(
      "NotAComponent",
      "%s depends on %s, which is not a component: it has no Ordo annotation, so Ordo never"
          + " starts it",
      "annotate %2$s (an @OnStartup method, or @Critical, for instance), or remove this"
          + " @DependsOn"),
  DUPLICATE_DEPENDENCY(
      "DuplicateDependency",
      "%s declares @DependsOn(%s.class) more than once",
      "keep one declaration (with optional = true if it may start without it)"),
  INVALID_OPERATION_NAME(
      "InvalidOperationName",
      "@PublishesEvents operation \"%s\" on %s is not a valid event name",
      "use lower-case letters, digits and single inner dashes, starting with a letter, at most 63"
          + " characters, such as \"checkout\" or \"price-update\": it becomes the event types"
          + " <prefix>.<operation>.started, .completed and .failed"),
  RESERVED_OPERATION_NAME(
      "ReservedOperationName",
      "@PublishesEvents operation \"%s\" on %s would publish %1$s.started, %1$s.completed and"
          + " %1$s.failed, which belong to Ordo's own %1$s.* events",
      "rename the operation, such as \"%1$s-update\"; application, component and health are"
          + " reserved"),
  DUPLICATE_OPERATION(
      "DuplicateOperation",
      "%s declares the operation \"%s\" more than once",
      "keep one \"%2$s\" in @PublishesEvents(operations = ...)"),
  EVENT_PAYLOAD_NOT_RECORD(
      "EventPayloadNotRecord",
      "@PublishesEvents payload %s on %s is not a record; an event's data are a record's components",
      "declare %1$s as a record, such as record OrderPlaced(long orderId, String item) {}"),
  EVENT_PAYLOAD_ACCESS(
      "EventPayloadAccess",
      "@PublishesEvents payload %s on %s cannot be named by the generated %s: it is private, or"
          + " neither public nor in the component's package",
      "make %1$s public (and every class around it), or move it to the package of %2$s"),
  EVENT_PAYLOAD_FIELD(
      "EventPayloadField",
      "Component %s of event payload %s has type %s, which events cannot carry as JSON",
      "use a primitive or its box, String, an enum, BigDecimal, BigInteger, UUID, Instant,"
          + " Duration, LocalDate or URI; publish an id rather than an object"),
  DUPLICATE_EVENT_PAYLOAD(
      "DuplicateEventPayload",
      "%s declares the payload %s more than once",
      "keep one %2$s.class in @PublishesEvents(payloads = ...)"),
  CONFLICTING_EVENT(
      "ConflictingEvent",
      "Event type %s is declared with different data: by %s (payload %s: %s) and by %s (payload"
          + " %s: %s); one event type must carry one shape of data",
      "rename one of the records (the event type is the record's name in kebab case), or publish"
          + " the same record from both components");

  private final String tag;
  private final String text;
  private final String help;
  private final Diagnostic.Kind kind;

  Message(String tag, String text, String help) {
    this(tag, text, help, Diagnostic.Kind.ERROR);
  }

  Message(String tag, String text, String help, Diagnostic.Kind kind) {
    this.tag = tag;
    this.text = text;
    this.help = help;
    this.kind = kind;
  }

  /** The tag in brackets, such as {@code DependencyCycle}. */
  public String tag() {
    return tag;
  }

  /** The severity. */
  public Diagnostic.Kind kind() {
    return kind;
  }

  /** The anchor of this message in {@code docs/errors.md}: the tag in kebab case. */
  public String anchor() {
    return tag.replaceAll("([a-z0-9])([A-Z])", "$1-$2")
        .replaceAll("([A-Z])([A-Z][a-z])", "$1-$2")
        .toLowerCase(Locale.ROOT);
  }

  /**
   * The name that turns this warning off in {@code @SuppressWarnings("ordo:<name>")} (the anchor,
   * such as {@code soft-cycle}); {@code "ordo:all"} turns off every Ordo warning. Errors cannot be
   * suppressed.
   */
  public String lintName() {
    return anchor();
  }

  /** The full diagnostic: {@code [Ordo/Tag] text}, then the help and docs lines. */
  public String format(Object... args) {
    return "[Ordo/" + tag + "] " + String.format(Locale.ROOT, text, args)
        + "\n  help: " + String.format(Locale.ROOT, help, args)
        + "\n  docs: docs/errors.md#" + anchor();
  }
}
