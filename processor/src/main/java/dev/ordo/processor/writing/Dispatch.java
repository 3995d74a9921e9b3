package dev.ordo.processor.writing;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import dev.ordo.processor.assembly.Application;
import dev.ordo.processor.assembly.Application.Instance;
import dev.ordo.processor.model.ComponentDescriptor;
import dev.ordo.processor.model.ComponentDescriptor.HealthCheck;
import dev.ordo.processor.model.ComponentDescriptor.Hook;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;

/**
 * The {@code Hooks} class of an assembly: one controller class that calls the hooks of all the
 * assembly's components (of one {@code Part} in a large one), chosen by the component's index in
 * the plan, with each component's descriptor built by a static method of its own.
 *
 * <p>Why not the components' {@code Foo_Lifecycle} controllers: each is a class that the JVM loads,
 * verifies and initializes at startup, about 0.1 ms apiece, the largest cost of starting an
 * application of many components once the components themselves are loaded (see
 * {@code benchmarks/analysis.md}). {@code Foo_Lifecycle} stays generated for
 * {@code Ordo.builder()}, and the assembly still uses it for a component whose hooks it cannot call
 * from its own package (a hook that is not public, in a component of another package).
 */
final class Dispatch {
  private final Application app;
  private final List<ComponentDescriptor> descriptors;
  private final boolean[] inline;

  Dispatch(Application app, List<ComponentDescriptor> descriptors, ClassName assembly) {
    if (descriptors.size() != app.instances().size()) {
      throw new IllegalArgumentException(descriptors.size() + " descriptors for " + app.instances().size()
          + " instances");
    }
    this.app = app;
    this.descriptors = descriptors;
    this.inline = new boolean[descriptors.size()];
    for (Instance i : app.instances()) {
      inline[i.index()] = callable(i, descriptors.get(i.index()), assembly.packageName());
    }
  }

  /** Whether instance {@code index} is controlled by {@code Hooks} rather than its {@code Foo_Lifecycle}. */
  boolean inline(int index) {
    return inline[index];
  }

  /** Whether any instance in {@code [from, to)} is controlled by {@code Hooks}. */
  boolean any(int from, int to) {
    for (int i = from; i < to; i++) {
      if (inline[i]) {
        return true;
      }
    }
    return false;
  }

  /** The static method of {@code Hooks} that builds the descriptor of {@code i}. */
  static String descriptorMethod(Instance i) {
    return i.variable() + "Descriptor";
  }

  /**
   * Whether the assembly, in {@code assemblyPackage}, can call every hook of {@code i}: always in
   * its own package (hooks are never private), else only public hooks of a public class.
   */
  private static boolean callable(Instance i, ComponentDescriptor descriptor, String assemblyPackage) {
    TypeElement type = i.type();
    if (packageOf(type).equals(assemblyPackage)) {
      return true;
    }
    for (Element e = type; e.getKind().isClass() || e.getKind().isInterface(); e = e.getEnclosingElement()) {
      if (!e.getModifiers().contains(Modifier.PUBLIC)) {
        return false;
      }
    }
    List<String> methods = new ArrayList<>();
    descriptor.startup().ifPresent(h -> methods.add(h.method()));
    descriptor.shutdown().ifPresent(h -> methods.add(h.method()));
    for (HealthCheck check : descriptor.healthChecks()) {
      methods.add(check.method());
    }
    List<String> declared = new ArrayList<>();
    for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
      String name = method.getSimpleName().toString();
      if (methods.contains(name) && !method.getModifiers().contains(Modifier.PUBLIC)) {
        return false;
      }
      declared.add(name);
    }
    for (javax.lang.model.element.VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
      if (descriptor.resources().contains(field.getSimpleName().toString())
          && !field.getModifiers().contains(Modifier.PUBLIC)) {
        return false; // a managed-resource field the application's package cannot read
      }
    }
    // A hook inherited from a superclass is not among the enclosed methods: call it only through
    // the controller, which lives in the component's package.
    return declared.containsAll(methods);
  }

  private static String packageOf(Element element) {
    Element e = element;
    while (e.getKind() != ElementKind.PACKAGE) {
      e = e.getEnclosingElement();
    }
    return ((PackageElement) e).getQualifiedName().toString();
  }

  /** The {@code Hooks} class of the instances in {@code [from, to)}. */
  TypeSpec hooks(int from, int to) {
    List<Instance> these = new ArrayList<>();
    for (int index = from; index < to; index++) {
      if (inline[index]) {
        these.add(app.instances().get(index));
      }
    }
    TypeSpec.Builder spec = TypeSpec.classBuilder("Hooks")
        .addJavadoc("Calls the hooks of the components $L, chosen by their index in the\n"
            + "plan: one controller class for them all, so that starting the application loads no class\n"
            + "per component beyond the components themselves.\n",
            from == 0 && to == app.instances().size() ? "of the application" : from + " to " + (to - 1))
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .superclass(ParameterizedTypeName.get(RuntimeTypes.LIFECYCLE_CONTROLLER, ClassName.OBJECT))
        .addField(FieldSpec.builder(int.class, "index", Modifier.PRIVATE, Modifier.FINAL)
            .addJavadoc("The component's index in the plan.").build())
        .addMethod(MethodSpec.constructorBuilder()
            .addJavadoc("Binds {@code descriptor} to {@code component}, number {@code index} in the plan.\n\n"
                + "@param index the component's index in the plan\n@param descriptor what the processor read from it\n"
                + "@param component the component\n")
            .addParameter(int.class, "index")
            .addParameter(RuntimeTypes.COMPONENT_DESCRIPTOR, "descriptor")
            .addParameter(Object.class, "component")
            .addStatement("super(descriptor, component)")
            .addStatement("this.index = index")
            .build());
    for (Instance i : these) {
      ComponentDescriptor d = descriptors.get(i.index());
      spec.addMethod(MethodSpec.methodBuilder(descriptorMethod(i))
          .addJavadoc("What the processor read from {@link $T}.\n\n@return its descriptor\n", raw(i))
          .addModifiers(Modifier.STATIC)
          .returns(RuntimeTypes.COMPONENT_DESCRIPTOR)
          // not addStatement: its continuation indent would come on top of the chain's own
          .addCode("return $L;\n", ControllerWriter.descriptor(d, raw(i)))
          .build());
    }
    hookMethod(spec, these, "start", ComponentDescriptor::startup,
        "Runs the startup hook of the component: it is running when the stage returned completes.");
    hookMethod(spec, these, "stop", ComponentDescriptor::shutdown,
        "Runs the shutdown hook of the component: it has stopped when the stage returned completes.");
    checkMethod(spec, these);
    resourcesMethod(spec, these);
    return spec.build();
  }

  /** {@code resources()}: the component's managed-resource fields, as its controller gives them. */
  private void resourcesMethod(TypeSpec.Builder spec, List<Instance> these) {
    CodeBlock.Builder body = CodeBlock.builder().beginControlFlow("switch (index)");
    boolean any = false;
    for (Instance i : these) {
      List<String> fields = descriptors.get(i.index()).resources();
      if (fields.isEmpty()) {
        continue;
      }
      any = true;
      List<CodeBlock> values = new ArrayList<>();
      for (String field : fields) {
        values.add(CodeBlock.of("$L.$L", self(i), field));
      }
      body.add("case $L: // $L\n$>", i.index(), label(i))
          .addStatement("return $T.of($L)", List.class, CodeBlock.join(values, ", "))
          .add("$<");
    }
    if (!any) {
      return;
    }
    body.add("default:\n$>").addStatement("return $T.of()", List.class).add("$<").endControlFlow();
    spec.addMethod(MethodSpec.methodBuilder("resources")
        .addJavadoc("Returns the component's managed resources, read from its fields in declaration order.\n\n"
            + "@return the values of the fields\n")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(ParameterizedTypeName.get(ClassName.get(List.class),
            ParameterizedTypeName.get(RuntimeTypes.MANAGED_RESOURCE, com.palantir.javapoet.WildcardTypeName.subtypeOf(Object.class))))
        .addCode(body.build())
        .build());
  }

  private void hookMethod(TypeSpec.Builder spec, List<Instance> these, String name,
      java.util.function.Function<ComponentDescriptor, Optional<Hook>> hookOf, String doc) {
    CodeBlock.Builder body = CodeBlock.builder().beginControlFlow("switch (index)");
    boolean any = false;
    for (Instance i : these) {
      Optional<Hook> hook = hookOf.apply(descriptors.get(i.index()));
      if (hook.isPresent()) {
        any = true;
        body.add("case $L: // $L\n$>", i.index(), label(i))
            .add(ControllerWriter.hookBody(hook.get(), self(i)))
            .add("$<");
      }
    }
    if (!any) {
      return;
    }
    body.add("default:\n$>").addStatement("return COMPLETED").add("$<").endControlFlow();
    spec.addMethod(MethodSpec.methodBuilder(name)
        .addJavadoc(doc)
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(ControllerWriter.STAGE)
        .addParameter(RuntimeTypes.LIFECYCLE_CONTEXT, "context")
        .addException(Exception.class)
        .addCode(body.build())
        .build());
  }

  private void checkMethod(TypeSpec.Builder spec, List<Instance> these) {
    CodeBlock.Builder body = CodeBlock.builder().beginControlFlow("switch (index)");
    boolean any = false;
    for (Instance i : these) {
      List<HealthCheck> checks = descriptors.get(i.index()).healthChecks();
      if (checks.isEmpty()) {
        continue;
      }
      any = true;
      body.add("case $L: // $L\n$>", i.index(), label(i)).beginControlFlow("switch (number)");
      for (int c = 0; c < checks.size(); c++) {
        body.add("case $L:\n$>", c).add(ControllerWriter.checkBody(checks.get(c), self(i))).add("$<");
      }
      body.add("default:\n$>").addStatement("break").add("$<").endControlFlow().addStatement("break").add("$<");
    }
    if (!any) {
      return;
    }
    body.add("default:\n$>").addStatement("break").add("$<").endControlFlow();
    body.addStatement("return super.check(number, context)");
    spec.addMethod(MethodSpec.methodBuilder("check")
        .addJavadoc("Runs the component's health check numbered {@code number}, in the order of its\n"
            + "descriptor's health checks.\n")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(RuntimeTypes.HEALTH)
        .addParameter(int.class, "number")
        .addParameter(RuntimeTypes.LIFECYCLE_CONTEXT, "context")
        .addException(Exception.class)
        .addCode(body.build())
        .build());
  }

  /**
   * The comment after a {@code case}: the component's simple name (never its key, which may hold
   * what a line comment cannot, such as a backslash-u escape that javac would read).
   */
  private static String label(Instance i) {
    return i.name().simpleNames().get(i.name().simpleNames().size() - 1);
  }

  /** {@code ((Foo) component())}: the component, as its class. */
  private static CodeBlock self(Instance i) {
    return CodeBlock.of("(($T) component())", AssemblyWriter.type(i));
  }

  private static ClassName raw(Instance i) {
    return AssemblyWriter.className(i.name());
  }
}
