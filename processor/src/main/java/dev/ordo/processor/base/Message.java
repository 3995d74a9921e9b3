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
  DEPENDENCY_CYCLE(
      "DependencyCycle",
      "Found a dependency cycle; no startup order exists:\n%s",
      "remove one of these @DependsOn edges, or make one optional = true"),
  NOT_A_COMPONENT(
      "NotAComponent",
      "%s depends on %s, which is not a component: it has no Ordo annotation, so Ordo never"
          + " starts it",
      "annotate %2$s (an @OnStartup method, or @Critical, for instance), or remove this"
          + " @DependsOn"),
  DUPLICATE_DEPENDENCY(
      "DuplicateDependency",
      "%s declares @DependsOn(%s.class) more than once",
      "keep one declaration (with optional = true if it may start without it)");

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

  /** The full diagnostic: {@code [Ordo/Tag] text}, then the help and docs lines. */
  public String format(Object... args) {
    return "[Ordo/" + tag + "] " + String.format(Locale.ROOT, text, args)
        + "\n  help: " + String.format(Locale.ROOT, help, args)
        + "\n  docs: docs/errors.md#" + anchor();
  }
}
