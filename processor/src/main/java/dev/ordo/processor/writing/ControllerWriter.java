package dev.ordo.processor.writing;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import dev.ordo.processor.model.ComponentDescriptor;
import dev.ordo.processor.model.ComponentDescriptor.Dependency;
import dev.ordo.processor.model.ComponentDescriptor.HealthCheck;
import dev.ordo.processor.model.ComponentDescriptor.Hook;
import dev.ordo.processor.model.ComponentDescriptor.Parameters;
import dev.ordo.processor.model.ComponentName;
import dev.ordo.processor.model.Durations;
import java.math.BigInteger;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code Foo_Lifecycle}, the controller of one component: its descriptor, and the calls of
 * its hooks. The Javadoc says what the processor read, so that the generated class explains the
 * wiring to whoever opens it in an IDE.
 */
public final class ControllerWriter {
  static final TypeName STAGE =
      ParameterizedTypeName.get(ClassName.get(CompletionStage.class), WildcardTypeName.subtypeOf(Object.class));

  private final boolean generatedAnnotation;

  /**
   * Writes controllers.
   *
   * @param generatedAnnotation whether {@code javax.annotation.processing.Generated} exists on
   *     the compilation's platform
   */
  public ControllerWriter(boolean generatedAnnotation) {
    this.generatedAnnotation = generatedAnnotation;
  }

  /** The controller's class name: {@code com.acme.Outer_Inner_Lifecycle}. */
  public static ClassName controllerName(ComponentName component) {
    return ClassName.get(component.packageName(), component.flatName() + "_Lifecycle");
  }

  /** The controller of {@code component}, declared by {@code originating}. */
  public JavaFile write(ComponentDescriptor component, Element originating) {
    return write(component, originating, false);
  }

  /**
   * The controller of {@code component}, declared by {@code originating}. The controller of an
   * {@code auxiliary} class (a non-public top-level class in another class's source file, or a
   * class nested in one) names it only in method bodies and initializers, under
   * {@code @SuppressWarnings("auxiliaryclass")}: javac's lint warns about each reference to such a
   * class from another file, and the annotation does not reach references in signatures. Its
   * signatures take {@code Object}, and {@code of} checks the type at once.
   */
  public JavaFile write(ComponentDescriptor component, Element originating, boolean auxiliary) {
    ClassName raw = classNameOf(component.name());
    TypeName type = raw;
    if (component.typeParameters() > 0) {
      TypeName[] wildcards = Collections.nCopies(component.typeParameters(), (TypeName) WildcardTypeName.subtypeOf(Object.class))
          .toArray(new TypeName[0]);
      type = ParameterizedTypeName.get(raw, wildcards);
    }
    ClassName controller = controllerName(component.name());
    // what the hooks are called on
    CodeBlock self = auxiliary ? CodeBlock.of("(($T) component())", type) : CodeBlock.of("component");

    TypeSpec.Builder spec = TypeSpec.classBuilder(controller)
        .addOriginatingElement(originating)
        .addJavadoc(classJavadoc(component, raw))
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .superclass(ParameterizedTypeName.get(RuntimeTypes.LIFECYCLE_CONTROLLER, auxiliary ? ClassName.OBJECT : type));
    if (generatedAnnotation) {
      spec.addAnnotation(RuntimeTypes.generated());
    }
    if (auxiliary) {
      spec.addJavadoc("\n<p>{@link $T} is not public and is declared in the source file of another class, so\n"
          + "javac warns about each reference to it from this file: this controller names it only where\n"
          + "{@code @SuppressWarnings(\"auxiliaryclass\")} applies, and takes it as an {@code Object}.\n"
          + "Move it to a file of its own for a controller that takes its type.\n", raw);
      spec.addAnnotation(AnnotationSpec.builder(SuppressWarnings.class)
          .addMember("value", "$S", "auxiliaryclass").build());
    }
    spec.addField(FieldSpec.builder(RuntimeTypes.COMPONENT_DESCRIPTOR, "DESCRIPTOR")
        .addJavadoc("What the processor read from {@link $T}.", raw)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .initializer(descriptor(component, raw))
        .build());
    if (auxiliary) {
      spec.addMethod(MethodSpec.constructorBuilder()
          .addJavadoc("Binds the descriptor to {@code component}.\n\n@param component the component\n")
          .addModifiers(Modifier.PRIVATE)
          .addParameter(Object.class, "component")
          .addStatement("super(DESCRIPTOR, ($T) component)", type)
          .build());
      spec.addMethod(MethodSpec.methodBuilder("of")
          .addJavadoc("Returns a controller bound to {@code component}, which must be {@link $T}.\n\n"
              + "@param component the component\n@return its controller\n", raw)
          .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
          .returns(controller)
          .addParameter(Object.class, "component")
          .addStatement("return new $T(component)", controller)
          .build());
      spec.addMethod(MethodSpec.methodBuilder("ofInstance")
          .addJavadoc("Returns a controller bound to {@code component}, which must be {@link $T}; for the\n"
              + "generated registry.\n\n@param component the component\n@return its controller\n", raw)
          .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
          .returns(controller)
          .addParameter(Object.class, "component")
          .addStatement("return new $T(component)", controller)
          .build());
    } else {
      spec.addField(FieldSpec.builder(type, "component", Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("The component whose hooks this controller calls.").build());
      spec.addMethod(MethodSpec.constructorBuilder()
          .addJavadoc("Binds the descriptor to {@code component}.\n\n@param component the component\n")
          .addModifiers(Modifier.PRIVATE)
          .addParameter(type, "component")
          .addStatement("super(DESCRIPTOR, component)")
          .addStatement("this.component = component")
          .build());
      spec.addMethod(MethodSpec.methodBuilder("of")
          .addJavadoc("Returns a controller bound to {@code component}.\n\n@param component the component\n"
              + "@return its controller\n")
          .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
          .returns(controller)
          .addParameter(type, "component")
          .addStatement("return new $T(component)", controller)
          .build());
      spec.addMethod(MethodSpec.methodBuilder("ofInstance")
          .addJavadoc("Returns a controller bound to {@code component}, which must be {@link $T}; for the\n"
              + "generated registry.\n\n@param component the component\n@return its controller\n", raw)
          .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
          .returns(controller)
          .addParameter(Object.class, "component")
          .addStatement("return new $T(($T) component)", controller, type)
          .build());
    }
    component.startup().ifPresent(hook -> spec.addMethod(hookCall("start", hook, raw, self,
        "the component is running\nwhen it returns", "the component is running\nwhen the stage it returns completes")));
    component.shutdown().ifPresent(hook -> spec.addMethod(hookCall("stop", hook, raw, self,
        "the component has stopped\nwhen it returns", "the component has stopped\nwhen the stage it returns completes")));
    if (!component.healthChecks().isEmpty()) {
      spec.addMethod(check(component.healthChecks(), raw, self));
    }
    if (!component.resources().isEmpty()) {
      spec.addMethod(resources(component.resources(), raw, self));
    }
    return JavaFile.builder(controller.packageName(), spec.build()).skipJavaLangImports(true).build();
  }

  private static ClassName classNameOf(ComponentName name) {
    List<String> simpleNames = name.simpleNames();
    return ClassName.get(name.packageName(), simpleNames.get(0),
        simpleNames.subList(1, simpleNames.size()).toArray(new String[0]));
  }

  private static CodeBlock classJavadoc(ComponentDescriptor component, ClassName raw) {
    CodeBlock.Builder doc = CodeBlock.builder();
    List<String> verbs = new ArrayList<>();
    component.startup().ifPresent(h -> verbs.add("starts"));
    component.shutdown().ifPresent(h -> verbs.add("stops"));
    if (!component.healthChecks().isEmpty()) {
      verbs.add("checks");
    }
    if (verbs.isEmpty()) {
      doc.add("Places {@link $T} in the application's lifecycle; it has no hooks of its own.\n", raw);
    } else {
      String joined = verbs.size() == 1
          ? verbs.get(0)
          : String.join(", ", verbs.subList(0, verbs.size() - 1)) + " and " + verbs.get(verbs.size() - 1);
      doc.add("$L {@link $T}.\n", Character.toUpperCase(joined.charAt(0)) + joined.substring(1), raw);
    }
    doc.add("\n");
    if (component.critical()) {
      doc.add("<p>Critical: the application cannot run without it.\n");
    } else if (component.retry().isPresent()) {
      doc.add("<p>Optional: if it fails, the application runs on, degraded, while its start is retried.\n");
    } else {
      doc.add("<p>Optional: if it fails, the application runs on, degraded.\n");
    }
    doc.add("\n");
    if (component.dependencies().isEmpty()) {
      doc.add("<p>Depends on no other component.\n");
    } else {
      doc.add("<p>Depends on:\n<ul>\n");
      for (Dependency dependency : component.dependencies()) {
        doc.add("  <li>$L ", reference(dependency, component.name().packageName()));
        doc.add(dependency.optional()
            ? "(optional: started first; if it fails, this component starts anyway)\n"
            : "(hard: started first; if it fails, this component is skipped)\n");
      }
      doc.add("</ul>\n");
    }
    if (component.startup().isPresent() || component.shutdown().isPresent() || !component.healthChecks().isEmpty()) {
      doc.add("\n<p>Hooks:\n<ul>\n");
      component.startup().ifPresent(hook -> doc.add("  <li>startup: $L$L$L\n",
          methodLink(raw, hook.method(), hook.parameters()), hookNotes(hook),
          component.retry().map(ControllerWriter::retryNotes).orElse("")));
      component.shutdown().ifPresent(hook -> doc.add("  <li>shutdown: $L$L\n",
          methodLink(raw, hook.method(), hook.parameters()), hookNotes(hook)));
      for (HealthCheck check : component.healthChecks()) {
        doc.add("  <li>health check {@code $L}: $L$L$L$L\n",
            quoted(check.name()),
            methodLink(raw, check.method(), check.parameters()),
            check.timeout().map(t -> ", timeout " + Durations.format(t)).orElse(""),
            check.interval().map(t -> ", every " + Durations.format(t)).orElse(""),
            check.restart() ? ";\n    when DOWN, restarts the component with the startup's backoff" : "");
      }
      doc.add("</ul>\n");
      doc.add("\n<p>Timeouts and intervals not given here are the application's defaults.");
      if (component.startup().map(Hook::async).orElse(false)
          || component.shutdown().map(Hook::async).orElse(false)) {
        doc.add(" An asynchronous hook\nis done when the stage it returns completes.");
      }
      doc.add("\n");
    }
    if (!component.operations().isEmpty()) {
      List<String> operations = new ArrayList<>();
      for (String operation : component.operations()) {
        operations.add("{@code " + operation + "}");
      }
      doc.add("\n<p>Publishes events for the operations $L.\n", String.join(", ", operations));
    }
    if (!component.resources().isEmpty()) {
      List<CodeBlock> links = new ArrayList<>();
      for (String field : component.resources()) {
        links.add(CodeBlock.of("{@link $T#$L}", raw, field));
      }
      doc.add("\n<p>Managed resources (eager ones load before the startup hook, lazy ones on their first\n"
          + "use; all close after the shutdown hook, once their leases are released):\n<ul>\n");
      for (CodeBlock link : links) {
        doc.add("  <li>$L\n", link);
      }
      doc.add("</ul>\n");
    }
    return doc.build();
  }

  private static String retryNotes(ComponentDescriptor.Retry retry) {
    return ";\n    when it fails, retried after " + Durations.format(retry.initial()) + ", doubling up to "
        + Durations.format(retry.max())
        + (retry.attempts() > 0 ? ", at most " + retry.attempts() + " attempts in a row" : ", until it starts");
  }

  private static String hookNotes(Hook hook) {
    return (hook.async() ? ", asynchronous" : "")
        + hook.timeout().map(t -> ", timeout " + Durations.format(t)).orElse("");
  }

  private static CodeBlock reference(Dependency dependency, String fromPackage) {
    ComponentName name = dependency.name();
    if (dependency.publicType() || name.packageName().equals(fromPackage)) {
      return CodeBlock.of("{@link $T}", classNameOf(name));
    }
    // Not accessible from here: naming it in an import would not compile.
    return CodeBlock.of("{@code $L}", name.qualifiedName());
  }

  private static CodeBlock methodLink(ClassName type, String method, Parameters parameters) {
    return parameters == Parameters.CONTEXT
        ? CodeBlock.of("{@link $T#$L($T)}", type, method, RuntimeTypes.LIFECYCLE_CONTEXT)
        : CodeBlock.of("{@link $T#$L()}", type, method);
  }

  private static String quoted(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /**
   * The expression that builds the runtime's descriptor of {@code component}: what the processor
   * read, as {@code ComponentDescriptor.builder(Foo.class)...build()}.
   */
  static CodeBlock descriptor(ComponentDescriptor component, ClassName raw) {
    CodeBlock.Builder code = CodeBlock.builder()
        .add("$T.builder($T.class)$>$>", RuntimeTypes.COMPONENT_DESCRIPTOR, raw);
    if (component.critical()) {
      code.add("\n.critical()");
    }
    for (Dependency dependency : component.dependencies()) {
      code.add(dependency.optional() ? "\n.dependsOnOptionally($S)" : "\n.dependsOn($S)",
          dependency.name().binaryName());
    }
    component.startup().ifPresent(hook ->
        code.add("\n.onStartup($S, $L)", hook.method(), duration(hook.timeout())));
    component.retry().ifPresent(retry -> {
      code.add("\n.retry($T.backoff($L, $L)", RuntimeTypes.RETRY_POLICY,
          duration(Optional.of(retry.initial())), duration(Optional.of(retry.max())));
      code.add(retry.attempts() > 0 ? CodeBlock.of(".attempts($L))", retry.attempts()) : CodeBlock.of(")"));
    });
    component.shutdown().ifPresent(hook ->
        code.add("\n.onShutdown($S, $L)", hook.method(), duration(hook.timeout())));
    for (HealthCheck check : component.healthChecks()) {
      code.add("\n.healthCheck($S, $S, $L, $L)",
          check.name(), check.method(), duration(check.timeout()), duration(check.interval()));
      if (check.restart()) {
        code.add("\n.restartWhenDown($S)", check.name());
      }
    }
    if (!component.operations().isEmpty()) {
      List<CodeBlock> operations = new ArrayList<>();
      for (String operation : component.operations()) {
        operations.add(CodeBlock.of("$S", operation));
      }
      code.add("\n.publishes($L)", CodeBlock.join(operations, ", "));
    }
    if (!component.resources().isEmpty()) {
      List<CodeBlock> fields = new ArrayList<>();
      for (String field : component.resources()) {
        fields.add(CodeBlock.of("$S", field));
      }
      code.add("\n.resources($L)", CodeBlock.join(fields, ", "));
    }
    return code.add("\n.build()$<$<").build();
  }

  /**
   * {@code Duration.ofSeconds(10)}, in the largest unit that is exact; {@code null} when empty. The
   * amount is a literal of that unit, never a count of nanoseconds, so that a duration of any
   * length ({@code "3000000h"}: {@code Duration.ofHours(3000000)}) loads without overflow.
   */
  static CodeBlock duration(Optional<Duration> duration) {
    if (duration.isEmpty()) {
      return CodeBlock.of("null");
    }
    ChronoUnit unit = Durations.largestExactUnit(duration.get());
    BigInteger exact = Durations.amountIn(duration.get(), unit);
    if (exact.bitLength() >= Long.SIZE) {
      // Milliseconds past a long (292 million years and a fraction of a second): seconds + nanos.
      return CodeBlock.of("$T.ofSeconds($LL, $L)", Duration.class,
          duration.get().getSeconds(), duration.get().getNano());
    }
    long amount = exact.longValue();
    String factory;
    switch (unit) {
      case HOURS:
        factory = "ofHours";
        break;
      case MINUTES:
        factory = "ofMinutes";
        break;
      case SECONDS:
        factory = "ofSeconds";
        break;
      default:
        factory = "ofMillis";
    }
    return CodeBlock.of("$T.$L($L)", Duration.class, factory,
        amount > Integer.MAX_VALUE ? amount + "L" : String.valueOf(amount));
  }

  private static MethodSpec hookCall(String name, Hook hook, ClassName raw, CodeBlock self, String syncDone,
      String asyncDone) {
    MethodSpec.Builder method = MethodSpec.methodBuilder(name)
        .addJavadoc("Calls $L: $L.", methodLink(raw, hook.method(), hook.parameters()),
            hook.async() ? asyncDone : syncDone)
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(STAGE)
        .addParameter(RuntimeTypes.LIFECYCLE_CONTEXT, "context")
        .addException(Exception.class);
    return method.addCode(hookBody(hook, self)).build();
  }

  /**
   * The statements that call {@code hook} on {@code self} and return its stage: the one it returns
   * when asynchronous, else {@code COMPLETED}.
   */
  static CodeBlock hookBody(Hook hook, CodeBlock self) {
    String arguments = hook.parameters() == Parameters.CONTEXT ? "context" : "";
    CodeBlock.Builder body = CodeBlock.builder();
    if (hook.async()) {
      body.addStatement("return $L.$L($L)", self, hook.method(), arguments);
    } else {
      body.addStatement("$L.$L($L)", self, hook.method(), arguments);
      body.addStatement("return COMPLETED");
    }
    return body.build();
  }

  /** The statements that run {@code check} on {@code self} and return its {@code Health}. */
  static CodeBlock checkBody(HealthCheck check, CodeBlock self) {
    String arguments = check.parameters() == Parameters.CONTEXT ? "context" : "";
    CodeBlock.Builder body = CodeBlock.builder();
    switch (check.result()) {
      case BOOLEAN:
        body.addStatement("return $T.of($L.$L($L))", RuntimeTypes.HEALTH, self, check.method(), arguments);
        break;
      case HEALTH:
        body.addStatement("return $L.$L($L)", self, check.method(), arguments);
        break;
      default:
        body.addStatement("$L.$L($L)", self, check.method(), arguments);
        body.addStatement("return $T.up()", RuntimeTypes.HEALTH);
    }
    return body.build();
  }

  /** {@code resources()}: the values of the managed-resource fields, read once per call. */
  private static MethodSpec resources(List<String> fields, ClassName raw, CodeBlock self) {
    List<CodeBlock> values = new ArrayList<>(fields.size());
    List<CodeBlock> links = new ArrayList<>(fields.size());
    for (String field : fields) {
      values.add(CodeBlock.of("$L.$L", self, field));
      links.add(CodeBlock.of("{@link $T#$L}", raw, field));
    }
    return MethodSpec.methodBuilder("resources")
        .addJavadoc("Returns the managed resources, read from their fields in declaration order:\n$L.\n\n"
            + "@return the values of the fields\n", CodeBlock.join(links, ", "))
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(ParameterizedTypeName.get(ClassName.get(List.class),
            ParameterizedTypeName.get(RuntimeTypes.MANAGED_RESOURCE, WildcardTypeName.subtypeOf(Object.class))))
        .addStatement("return $T.of($L)", List.class, CodeBlock.join(values, ", "))
        .build();
  }

  private static MethodSpec check(List<HealthCheck> checks, ClassName raw, CodeBlock self) {
    CodeBlock.Builder doc = CodeBlock.builder().add("Runs the health check numbered {@code index}:\n");
    CodeBlock.Builder body = CodeBlock.builder().beginControlFlow("switch (index)");
    for (int i = 0; i < checks.size(); i++) {
      HealthCheck check = checks.get(i);
      doc.add("$L is $L$L\n", i, methodLink(raw, check.method(), check.parameters()),
          i == checks.size() - 1 ? "." : ",");
      body.add("case $L:\n$>", i).add(checkBody(check, self)).add("$<");
    }
    body.add("default:\n$>").addStatement("return super.check(index, context)").add("$<");
    body.endControlFlow();
    return MethodSpec.methodBuilder("check")
        .addJavadoc(doc.build())
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(RuntimeTypes.HEALTH)
        .addParameter(int.class, "index")
        .addParameter(RuntimeTypes.LIFECYCLE_CONTEXT, "context")
        .addException(Exception.class)
        .addCode(body.build())
        .build();
  }
}
