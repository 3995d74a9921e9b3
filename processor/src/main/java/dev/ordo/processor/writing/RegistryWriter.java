package dev.ordo.processor.writing;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import dev.ordo.processor.model.ComponentDescriptor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * Writes the one registry of a compilation: {@code OrdoRegistry_<hash>} ({@code <module>.OrdoRegistry}
 * in a named module, see {@link #moduleRegistryName}), which maps a component's
 * binary class name to a controller with a string switch (no reflection, no lambdas),
 * and is found by the runtime through {@link ServiceLoader}. The controller is the registry's own
 * nested {@code Hooks} class (see {@link Dispatch}), one class for every component whose hooks the
 * registry can call from its package, so that {@code Ordo.builder().component(foo)} loads no class
 * per component; a component it cannot reach (a hook that is not public, in another package), or an
 * auxiliary class, gets its generated {@code Foo_Lifecycle}. The runtime asks for the instance's
 * class, then for each superclass, so an instance of a subclass finds its annotated superclass's
 * controller. A registry of more than {@value #MAX_PER_SWITCH} components switches first on a
 * bucket of the name's hash, then calls that bucket's method, in a nested {@code Part} class: see
 * {@code docs/generated-code.md}.
 */
public final class RegistryWriter {
  /** The service registries implement: {@code dev.ordo.runtime.internal.LifecycleRegistry}. */
  public static final String SERVICE = RuntimeTypes.LIFECYCLE_REGISTRY.canonicalName();

  /** The service file that names the registry. */
  public static final String SERVICE_FILE = "META-INF/services/" + SERVICE;

  private final boolean generatedAnnotation;

  /**
   * Writes registries.
   *
   * @param generatedAnnotation whether {@code javax.annotation.processing.Generated} exists on
   *     the compilation's platform
   */
  public RegistryWriter(boolean generatedAnnotation) {
    this.generatedAnnotation = generatedAnnotation;
  }

  /**
   * The registry's name: in the package of the alphabetically first component, suffixed by the
   * first 8 hex digits of the SHA-256 of the sorted binary names, so that two compilations (two
   * jars) never write the same class. When any component is in the unnamed package, the registry
   * is in the unnamed package too: a class in a named package cannot name that component's
   * controller.
   */
  public static ClassName registryName(List<ComponentDescriptor> components) {
    List<ComponentDescriptor> sorted = sorted(components);
    String names = sorted.stream().map(c -> c.name().binaryName()).collect(Collectors.joining("\n"));
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(names.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    StringBuilder hex = new StringBuilder("OrdoRegistry_");
    for (int i = 0; i < 4; i++) {
      hex.append(String.format("%02x", digest[i] & 0xff));
    }
    boolean unnamed = sorted.stream().anyMatch(c -> c.name().packageName().isEmpty());
    return ClassName.get(unnamed ? "" : sorted.get(0).name().packageName(), hex.toString());
  }

  /**
   * The registry's name in the named module {@code moduleName}: {@code <moduleName>.OrdoRegistry},
   * in the package named like the module. Unlike {@link #registryName}, it does not change when
   * components are added or removed, so the {@code provides} line that the module's
   * {@code module-info.java} needs for it is written once. It is unique as module names are, and a
   * module name is always a valid package name.
   */
  public static ClassName moduleRegistryName(String moduleName) {
    return ClassName.get(moduleName, "OrdoRegistry");
  }

  /**
   * The registry of {@code components}, declared by {@code originating}: {@link #registryName}.
   * {@code types} holds each component's class by binary name; those {@code ownController} accepts
   * (auxiliary classes) are controlled by their {@code Foo_Lifecycle} rather than {@code Hooks}.
   */
  public JavaFile write(List<ComponentDescriptor> components, Map<String, TypeElement> types,
      Predicate<TypeElement> ownController, List<? extends Element> originating) {
    return write(registryName(components), ".\n", components, types, ownController, originating);
  }

  /**
   * The registry of {@code components} of the named module {@code moduleName}, declared by
   * {@code originating}: {@link #moduleRegistryName}; {@code types} and {@code ownController} as in
   * {@link #write}.
   */
  public JavaFile writeForModule(String moduleName, List<ComponentDescriptor> components,
      Map<String, TypeElement> types, Predicate<TypeElement> ownController, List<? extends Element> originating) {
    return write(moduleRegistryName(moduleName),
        " on the class path, and through the\n{@code provides} directive of module {@code " + moduleName
            + "} on the module path.\n",
        components, types, ownController, originating);
  }

  /**
   * The most components one dispatching class serves, as in an assembly's parts: its
   * {@code start} and {@code stop} switches stay small enough for the JIT compiler, and its
   * constant pool far from full.
   */
  static final int PER_HOOKS_CLASS = AssemblyWriter.PART;

  private JavaFile write(ClassName registry, String howFound, List<ComponentDescriptor> components,
      Map<String, TypeElement> types, Predicate<TypeElement> ownController, List<? extends Element> originating) {
    List<ComponentDescriptor> sorted = sorted(components);
    List<TypeElement> sortedTypes = new ArrayList<>(sorted.size());
    for (ComponentDescriptor component : sorted) {
      sortedTypes.add(types.get(component.name().binaryName()));
    }
    // A class the processor did not see (null) keeps its own controller.
    Dispatch dispatch = Dispatch.forRegistry(sorted, sortedTypes, registry.packageName(),
        type -> type == null || ownController.test(type));
    Switch cases = new Switch(sorted, dispatch);

    CodeBlock.Builder doc = CodeBlock.builder()
        .add("Finds the generated controller of each Ordo component compiled with it. The runtime loads\n")
        .add("it with {@link $T}, through\n{@code $L}$L", ServiceLoader.class, SERVICE_FILE, howFound)
        .add(sorted.size() <= PER_HOOKS_CLASS
            ? "\n<p>The nested {@code Hooks} class controls each component whose hooks this registry can\n"
                + "call: one class for them all, so that {@code Ordo.builder().component(foo)} loads no class per\n"
            : "\n<p>The nested classes {@code Hooks0} to {@code " + cases.hooksClass(sorted.size() - 1)
                + "} control each component whose hooks this\nregistry can call: one class per "
                + PER_HOOKS_CLASS + " components, so that {@code Ordo.builder().component(foo)} loads no class per\n")
        .add("component. A component whose hooks it cannot reach (not public, in another package) gets its\n")
        .add("generated controller {@code Foo_Lifecycle}, as {@code Foo_Lifecycle.of(foo)} would give.\n")
        .add("\n<p>Components, with their controllers:\n<ul>\n");
    for (int k = 0; k < sorted.size(); k++) {
      ComponentDescriptor component = sorted.get(k);
      if (dispatch.inline(k)) {
        doc.add("  <li>{@code $L}: {@code $L}\n", component.name().qualifiedName(), cases.hooksClass(k));
      } else {
        doc.add("  <li>{@code $L}: {@link $T}\n", component.name().qualifiedName(),
            ControllerWriter.controllerName(component.name()));
      }
    }
    doc.add("</ul>\n");

    TypeSpec.Builder spec = TypeSpec.classBuilder(registry)
        .addJavadoc(doc.build())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(RuntimeTypes.LIFECYCLE_REGISTRY);
    originating.forEach(spec::addOriginatingElement);
    if (generatedAnnotation) {
      spec.addAnnotation(RuntimeTypes.generated());
    }
    spec.addMethod(MethodSpec.constructorBuilder()
        .addJavadoc("The registry; the runtime creates it through {@link java.util.ServiceLoader}.")
        .addModifiers(Modifier.PUBLIC).build());
    MethodSpec.Builder controllerFor = MethodSpec.methodBuilder("controllerFor")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(CONTROLLER)
        .addParameter(String.class, "componentClass")
        .addParameter(Object.class, "component");
    if (sorted.size() <= MAX_PER_SWITCH) {
      spec.addMethod(controllerFor.addCode(cases.stringSwitch(sorted)).build());
    } else {
      addBuckets(spec, controllerFor, sorted, cases);
    }
    for (int from = 0; from < sorted.size(); from += PER_HOOKS_CLASS) {
      int to = Math.min(sorted.size(), from + PER_HOOKS_CLASS);
      if (dispatch.any(from, to)) {
        spec.addType(dispatch.hooks(cases.hooksClass(from), from, to));
      }
    }
    return JavaFile.builder(registry.packageName(), spec.build()).skipJavaLangImports(true).build();
  }

  /**
   * The most components one string switch holds: about 35 bytes of bytecode each, so the method
   * stays well under the 8,000 bytes above which HotSpot does not compile a method, and far from
   * javac's 64 KiB limit.
   */
  static final int MAX_PER_SWITCH = 100;

  /** How many components a bucket holds on average, when there are buckets. */
  static final int BUCKET_AVERAGE = 50;

  /**
   * The most components one nested {@code Part} class holds: each takes about 7 entries of the
   * class's constant pool, which has room for 65,535.
   */
  static final int MAX_PER_PART = 2_000;

  private static final ParameterizedTypeName CONTROLLER =
      ParameterizedTypeName.get(RuntimeTypes.LIFECYCLE_CONTROLLER, WildcardTypeName.subtypeOf(Object.class));

  /**
   * The bucket of a binary name among {@code buckets}; the generated {@code controllerFor} computes
   * the same ({@link String#hashCode()} is specified, so it is the same on every JVM).
   */
  static int bucketOf(String binaryName, int buckets) {
    return (binaryName.hashCode() & 0x7fffffff) % buckets;
  }

  /**
   * The components by bucket: the fewest buckets, from one per {@link #BUCKET_AVERAGE} components
   * up, of which none holds more than {@link #MAX_PER_SWITCH}. Deterministic: it depends on the
   * names only.
   */
  static List<List<ComponentDescriptor>> buckets(List<ComponentDescriptor> sorted) {
    for (int count = (sorted.size() + BUCKET_AVERAGE - 1) / BUCKET_AVERAGE; ; count++) {
      List<List<ComponentDescriptor>> buckets = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        buckets.add(new ArrayList<>());
      }
      boolean fits = true;
      for (ComponentDescriptor component : sorted) {
        List<ComponentDescriptor> bucket = buckets.get(bucketOf(component.name().binaryName(), count));
        bucket.add(component);
        fits &= bucket.size() <= MAX_PER_SWITCH;
      }
      if (fits) {
        return buckets;
      }
    }
  }

  /**
   * Splits a large registry: {@code controllerFor} switches on the bucket of the name and calls
   * that bucket's method, which holds the string switch of its components. The bucket methods are
   * in nested {@code Part} classes of at most {@link #MAX_PER_PART} components each, in bucket order.
   */
  private static void addBuckets(TypeSpec.Builder spec, MethodSpec.Builder controllerFor,
      List<ComponentDescriptor> sorted, Switch cases) {
    List<List<ComponentDescriptor>> buckets = buckets(sorted);
    CodeBlock.Builder dispatch = CodeBlock.builder()
        .add("// $L components in $L buckets by the hash of their name, so that no method grows\n",
            sorted.size(), buckets.size())
        .add("// too large for the JIT compiler.\n")
        .beginControlFlow("switch ((componentClass.hashCode() & 0x7fffffff) % $L)", buckets.size());
    TypeSpec.Builder part = null;
    int parts = 0;
    int inPart = 0;
    for (int i = 0; i < buckets.size(); i++) {
      List<ComponentDescriptor> bucket = buckets.get(i);
      if (bucket.isEmpty()) {
        continue; // its names fall to the default
      }
      if (part == null || inPart + bucket.size() > MAX_PER_PART) {
        if (part != null) {
          spec.addType(part.build());
        }
        part = TypeSpec.classBuilder("Part" + parts++)
            .addJavadoc("Buckets from $L on: a class of its own, as the constant pool of one class has room for\n"
                + "about 9,000 components.\n", i)
            .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .addMethod(MethodSpec.constructorBuilder().addJavadoc("Not instantiated: static methods only.")
                .addModifiers(Modifier.PRIVATE).build());
        inPart = 0;
      }
      inPart += bucket.size();
      String method = "bucket" + i;
      part.addMethod(MethodSpec.methodBuilder(method)
          .addJavadoc("The controller of {@code component} among the components of bucket $L.\n\n"
              + "@param componentClass the binary name of the component's class\n@param component the component\n"
              + "@return its controller, or null when the class is none of this bucket's\n", i)
          .addModifiers(Modifier.STATIC)
          .returns(CONTROLLER)
          .addParameter(String.class, "componentClass")
          .addParameter(Object.class, "component")
          .addCode(cases.stringSwitch(bucket))
          .build());
      dispatch.add("case $L:\n$>", i)
          .addStatement("return Part$L.$L(componentClass, component)", parts - 1, method)
          .add("$<");
    }
    if (part != null) {
      spec.addType(part.build());
    }
    dispatch.add("default:\n$>").addStatement("return null").add("$<").endControlFlow();
    spec.addMethod(controllerFor.addCode(dispatch.build()).build());
  }

  /** The {@code case}s of the registry's components: a {@code Hooks} controller, else {@code Foo_Lifecycle}. */
  private static final class Switch {
    private final Map<String, Integer> numbers = new HashMap<>();
    private final List<ComponentDescriptor> sorted;
    private final Dispatch dispatch;

    Switch(List<ComponentDescriptor> sorted, Dispatch dispatch) {
      this.sorted = sorted;
      this.dispatch = dispatch;
      for (int k = 0; k < sorted.size(); k++) {
        numbers.put(sorted.get(k).name().binaryName(), k);
      }
    }

    /** The dispatching class of component number {@code k}: {@code Hooks}, or {@code Hooks<n>} in a large registry. */
    String hooksClass(int k) {
      return sorted.size() <= PER_HOOKS_CLASS ? "Hooks" : "Hooks" + k / PER_HOOKS_CLASS;
    }

    /** {@code switch (componentClass)} over {@code components}, returning their controllers. */
    CodeBlock stringSwitch(List<ComponentDescriptor> components) {
      CodeBlock.Builder body = CodeBlock.builder().beginControlFlow("switch (componentClass)");
      for (ComponentDescriptor component : components) {
        int k = numbers.get(component.name().binaryName());
        body.add("case $S:\n$>", component.name().binaryName());
        if (dispatch.inline(k)) {
          String hooks = hooksClass(k);
          body.addStatement("return new $L($L, $L, ($T) component)", hooks, k,
              dispatch.sharedDescriptor(hooks, k), dispatch.type(k));
        } else {
          body.addStatement("return $T.ofInstance(component)", ControllerWriter.controllerName(component.name()));
        }
        body.add("$<");
      }
      return body.add("default:\n$>").addStatement("return null").add("$<").endControlFlow().build();
    }
  }

  private static List<ComponentDescriptor> sorted(List<ComponentDescriptor> components) {
    return components.stream()
        .sorted(Comparator.comparing(c -> c.name().binaryName()))
        .collect(Collectors.toList());
  }
}
