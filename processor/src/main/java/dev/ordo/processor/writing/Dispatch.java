package dev.ordo.processor.writing;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import dev.ordo.processor.assembly.Application;
import dev.ordo.processor.assembly.Application.Instance;
import dev.ordo.processor.model.ComponentDescriptor;
import dev.ordo.processor.model.ComponentDescriptor.HealthCheck;
import dev.ordo.processor.model.ComponentDescriptor.Hook;
import dev.ordo.processor.model.ComponentName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;

/**
 * A dispatching controller class: one class that calls the hooks of many components, chosen by
 * their index, with each component's descriptor built by a static method of its own. The assembly
 * of an {@code @OrdoApplication} has one ({@code Hooks}, or one per {@code Part} of a large one),
 * and so has the registry of a compilation ({@code Hooks}, or {@code Hooks0}, {@code Hooks1}... in
 * a large one), which serves {@code Ordo.builder().component(foo)}.
 *
 * <p>Why not the components' {@code Foo_Lifecycle} controllers: each is a class that the JVM loads,
 * verifies and initializes at startup, about 0.1 ms apiece, the largest cost of starting an
 * application of many components once the components themselves are loaded (see
 * {@code benchmarks/analysis.md}). {@code Foo_Lifecycle} stays generated (it is API:
 * {@code Foo_Lifecycle.of(foo)}), and the assembly and the registry still use it for a component
 * whose hooks they cannot call from their own package (a hook that is not public, in a component
 * of another package).
 */
final class Dispatch {
  /**
   * One component a dispatcher may serve.
   *
   * @param index its number: the case of the switches, and its index in the plan of an assembly
   * @param type the component class
   * @param name its name
   * @param descriptor what the processor read from it
   * @param descriptorMethod the static method that builds its runtime descriptor
   */
  record Entry(int index, TypeElement type, ComponentName name, ComponentDescriptor descriptor,
      String descriptorMethod) {}

  private final List<Entry> entries;
  private final boolean[] inline;
  private final String whose;

  private Dispatch(List<Entry> entries, String dispatcherPackage, Predicate<Entry> excluded, String whose) {
    this.entries = entries;
    this.whose = whose;
    this.inline = new boolean[entries.size()];
    for (Entry e : entries) {
      inline[e.index()] = !excluded.test(e) && callable(e.type(), e.descriptor(), dispatcherPackage);
    }
  }

  /** The dispatcher of the assembly {@code assembly} of {@code app}, whose instances were read as {@code descriptors}. */
  Dispatch(Application app, List<ComponentDescriptor> descriptors, ClassName assembly) {
    this(entries(app, descriptors), assembly.packageName(), e -> false, "of the application");
  }

  private static List<Entry> entries(Application app, List<ComponentDescriptor> descriptors) {
    if (descriptors.size() != app.instances().size()) {
      throw new IllegalArgumentException(descriptors.size() + " descriptors for " + app.instances().size()
          + " instances");
    }
    List<Entry> entries = new ArrayList<>(descriptors.size());
    for (Instance i : app.instances()) {
      entries.add(new Entry(i.index(), i.type(), i.name(), descriptors.get(i.index()), i.variable() + "Descriptor"));
    }
    return entries;
  }

  /**
   * The dispatcher of a registry in {@code registryPackage}: {@code components[k]}, of class
   * {@code types[k]}, is number {@code k}; those {@code excluded} says (auxiliary classes, which
   * javac's lint would warn about in the registry's signatures) keep their {@code Foo_Lifecycle}.
   */
  static Dispatch forRegistry(List<ComponentDescriptor> components, List<TypeElement> types, String registryPackage,
      Predicate<TypeElement> excluded) {
    List<Entry> entries = new ArrayList<>(components.size());
    java.util.Set<String> taken = new java.util.HashSet<>();
    for (int k = 0; k < components.size(); k++) {
      ComponentName name = components.get(k).name();
      String flat = name.flatName();
      String method = Character.toLowerCase(flat.charAt(0)) + flat.substring(1) + "Descriptor";
      if (!taken.add(method)) {
        method = Character.toLowerCase(flat.charAt(0)) + flat.substring(1) + k + "Descriptor"; // same name, another package
        taken.add(method);
      }
      entries.add(new Entry(k, types.get(k), name, components.get(k), method));
    }
    return new Dispatch(entries, registryPackage, e -> excluded.test(e.type()),
        "of this registry");
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

  /** The static method of the dispatcher that builds the descriptor of component {@code index}. */
  String descriptorMethod(int index) {
    return entries.get(index).descriptorMethod();
  }

  /**
   * Whether a dispatcher in {@code dispatcherPackage} can call every hook of {@code type}: always
   * in its own package (hooks are never private), else only public hooks of a public class.
   */
  private static boolean callable(TypeElement type, ComponentDescriptor descriptor, String dispatcherPackage) {
    if (packageOf(type).equals(dispatcherPackage)) {
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

  /** The {@code Hooks} class of the components in {@code [from, to)}. */
  TypeSpec hooks(int from, int to) {
    return hooks("Hooks", from, to);
  }

  /** The dispatcher named {@code className} of the components in {@code [from, to)}. */
  TypeSpec hooks(String className, int from, int to) {
    List<Entry> these = new ArrayList<>();
    for (int index = from; index < to; index++) {
      if (inline[index]) {
        these.add(entries.get(index));
      }
    }
    TypeSpec.Builder spec = TypeSpec.classBuilder(className)
        .addJavadoc("Calls the hooks of the components $L, chosen by their index in the\n"
            + "$L: one controller class for them all, so that starting the application loads no class\n"
            + "per component beyond the components themselves.\n",
            from == 0 && to == entries.size() ? whose : from + " to " + (to - 1),
            whose.equals("of the application") ? "plan" : "registry")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .superclass(ParameterizedTypeName.get(RuntimeTypes.LIFECYCLE_CONTROLLER, ClassName.OBJECT))
        .addField(FieldSpec.builder(int.class, "index", Modifier.PRIVATE, Modifier.FINAL)
            .addJavadoc("The component's index in the $L.", whose.equals("of the application") ? "plan" : "registry")
            .build())
        .addMethod(MethodSpec.constructorBuilder()
            .addJavadoc("Binds {@code descriptor} to {@code component}, number {@code index} in the $L.\n\n"
                + "@param index the component's index in the $L\n@param descriptor what the processor read from it\n"
                + "@param component the component\n",
                whose.equals("of the application") ? "plan" : "registry",
                whose.equals("of the application") ? "plan" : "registry")
            .addParameter(int.class, "index")
            .addParameter(RuntimeTypes.COMPONENT_DESCRIPTOR, "descriptor")
            .addParameter(Object.class, "component")
            .addStatement("super(descriptor, component)")
            .addStatement("this.index = index")
            .build());
    for (Entry i : these) {
      ComponentDescriptor d = i.descriptor();
      spec.addMethod(MethodSpec.methodBuilder(i.descriptorMethod())
          .addJavadoc("What the processor read from {@link $T}.\n\n@return its descriptor\n", raw(i))
          .addModifiers(Modifier.STATIC)
          .returns(RuntimeTypes.COMPONENT_DESCRIPTOR)
          // not addStatement: its continuation indent would come on top of the chain's own
          .addCode("return $L;\n", ControllerWriter.descriptor(d, raw(i)))
          .build());
    }
    if (!whose.equals("of the application")) {
      sharedDescriptors(spec, these, from, to);
    }
    hookMethod(spec, these, "start", ComponentDescriptor::startup,
        "Runs the startup hook of the component: it is running when the stage returned completes.");
    hookMethod(spec, these, "stop", ComponentDescriptor::shutdown,
        "Runs the shutdown hook of the component: it has stopped when the stage returned completes.");
    checkMethod(spec, these);
    resourcesMethod(spec, these);
    return spec.build();
  }

  /** The expression a registry passes as the descriptor of component {@code index}: shared, see {@link #sharedDescriptors}. */
  CodeBlock sharedDescriptor(String hooksClass, int index) {
    return CodeBlock.of("$L.descriptorOf($L)", hooksClass, index);
  }

  /**
   * A registry's {@code DESCRIPTORS} and {@code descriptorOf(int)}: each component's descriptor is
   * built on first use and then shared by every controller of its class, as
   * {@code Foo_Lifecycle.DESCRIPTOR} is, so that an application built from the registry retains
   * no more than one built from {@code Foo_Lifecycle.of(foo)}. (An assembly builds each of its
   * components' descriptors once per {@code build()}, and needs no such cache.)
   */
  private static void sharedDescriptors(TypeSpec.Builder spec, List<Entry> these, int from, int to) {
    TypeName array = ParameterizedTypeName.get(ClassName.get(AtomicReferenceArray.class), RuntimeTypes.COMPONENT_DESCRIPTOR);
    spec.addField(FieldSpec.builder(array, "DESCRIPTORS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Each component's descriptor by its index$L, built on first use and then shared by all its\n"
            + "controllers, as {@code Foo_Lifecycle.DESCRIPTOR} is.", from == 0 ? "" : " less " + from)
        .initializer("new $T<>($L)", AtomicReferenceArray.class, to - from)
        .build());
    String slot = from == 0 ? "index" : "index - " + from;
    CodeBlock.Builder body = CodeBlock.builder()
        .addStatement("$T descriptor = DESCRIPTORS.get($L)", RuntimeTypes.COMPONENT_DESCRIPTOR, slot)
        .beginControlFlow("if (descriptor != null)")
        .addStatement("return descriptor")
        .endControlFlow()
        .beginControlFlow("switch (index)");
    for (Entry i : these) {
      body.add("case $L:\n$>", i.index())
          .addStatement("descriptor = $N()", i.descriptorMethod())
          .addStatement("break")
          .add("$<");
    }
    body.add("default:\n$>")
        .addStatement("throw new $T($S + index)", IllegalArgumentException.class, "no component of this class is number ")
        .add("$<")
        .endControlFlow()
        .addStatement("$T first = DESCRIPTORS.compareAndExchange($L, null, descriptor)",
            RuntimeTypes.COMPONENT_DESCRIPTOR, slot)
        .addStatement("return first == null ? descriptor : first");
    spec.addMethod(MethodSpec.methodBuilder("descriptorOf")
        .addJavadoc("The shared descriptor of component {@code index}. Called by {@code controllerFor}, on any\n"
            + "thread that builds an application, several at once: it never blocks (building a\n"
            + "descriptor runs no user code) and publishes with one compare-and-set, so that every\n"
            + "controller of a class gets the same descriptor.\n\n"
            + "@param index the component's index in the registry\n@return its descriptor\n")
        .addModifiers(Modifier.STATIC)
        .returns(RuntimeTypes.COMPONENT_DESCRIPTOR)
        .addParameter(int.class, "index")
        .addCode(body.build())
        .build());
  }

  /** {@code resources()}: the component's managed-resource fields, as its controller gives them. */
  private void resourcesMethod(TypeSpec.Builder spec, List<Entry> these) {
    CodeBlock.Builder body = CodeBlock.builder().beginControlFlow("switch (index)");
    boolean any = false;
    for (Entry i : these) {
      List<String> fields = i.descriptor().resources();
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
            ParameterizedTypeName.get(RuntimeTypes.MANAGED_RESOURCE, WildcardTypeName.subtypeOf(Object.class))))
        .addCode(body.build())
        .build());
  }

  private void hookMethod(TypeSpec.Builder spec, List<Entry> these, String name,
      java.util.function.Function<ComponentDescriptor, Optional<Hook>> hookOf, String doc) {
    CodeBlock.Builder body = CodeBlock.builder().beginControlFlow("switch (index)");
    boolean any = false;
    for (Entry i : these) {
      Optional<Hook> hook = hookOf.apply(i.descriptor());
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

  private void checkMethod(TypeSpec.Builder spec, List<Entry> these) {
    CodeBlock.Builder body = CodeBlock.builder().beginControlFlow("switch (index)");
    boolean any = false;
    for (Entry i : these) {
      List<HealthCheck> checks = i.descriptor().healthChecks();
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
  private static String label(Entry i) {
    return i.name().simpleNames().get(i.name().simpleNames().size() - 1);
  }

  /** {@code ((Foo) component())}: the component, as its class. */
  private static CodeBlock self(Entry i) {
    return CodeBlock.of("(($T) component())", type(i));
  }

  /** The component's class, {@code Foo<?>} when it is generic. */
  static TypeName type(Entry i) {
    ClassName raw = raw(i);
    int parameters = i.type().getTypeParameters().size();
    if (parameters == 0) {
      return raw;
    }
    TypeName[] wildcards = new TypeName[parameters];
    java.util.Arrays.fill(wildcards, WildcardTypeName.subtypeOf(Object.class));
    return ParameterizedTypeName.get(raw, wildcards);
  }

  /** The component's class of number {@code index}, {@code Foo<?>} when it is generic. */
  TypeName type(int index) {
    return type(entries.get(index));
  }

  private static ClassName raw(Entry i) {
    return AssemblyWriter.className(i.name());
  }
}
