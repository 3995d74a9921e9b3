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
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;

/**
 * Writes the one registry of a compilation: {@code OrdoRegistry_<hash>} ({@code <module>.OrdoRegistry}
 * in a named module, see {@link #moduleRegistryName}), which maps a component's
 * binary class name to its generated controller with a string switch (no reflection, no lambdas),
 * and is found by the runtime through {@link ServiceLoader}. The runtime asks for the instance's
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

  /** The registry of {@code components}, declared by {@code originating}: {@link #registryName}. */
  public JavaFile write(List<ComponentDescriptor> components, List<? extends Element> originating) {
    return write(registryName(components), ".\n", components, originating);
  }

  /**
   * The registry of {@code components} of the named module {@code moduleName}, declared by
   * {@code originating}: {@link #moduleRegistryName}.
   */
  public JavaFile writeForModule(
      String moduleName, List<ComponentDescriptor> components, List<? extends Element> originating) {
    return write(moduleRegistryName(moduleName),
        " on the class path, and through the\n{@code provides} directive of module {@code " + moduleName
            + "} on the module path.\n",
        components, originating);
  }

  private JavaFile write(ClassName registry, String howFound, List<ComponentDescriptor> components,
      List<? extends Element> originating) {
    List<ComponentDescriptor> sorted = sorted(components);

    CodeBlock.Builder doc = CodeBlock.builder()
        .add("Finds the generated controller of each Ordo component compiled with it. The runtime loads\n")
        .add("it with {@link $T}, through\n{@code $L}$L", ServiceLoader.class, SERVICE_FILE, howFound)
        .add("\n<p>Components:\n<ul>\n");
    for (ComponentDescriptor component : sorted) {
      doc.add("  <li>{@code $L}: {@link $T}\n", component.name().qualifiedName(),
          ControllerWriter.controllerName(component.name()));
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
      spec.addMethod(controllerFor.addCode(stringSwitch(sorted)).build());
    } else {
      addBuckets(spec, controllerFor, sorted);
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
  private static void addBuckets(
      TypeSpec.Builder spec, MethodSpec.Builder controllerFor, List<ComponentDescriptor> sorted) {
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
          .addCode(stringSwitch(bucket))
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

  /** {@code switch (componentClass)} over {@code components}, returning their controllers. */
  private static CodeBlock stringSwitch(List<ComponentDescriptor> components) {
    CodeBlock.Builder body = CodeBlock.builder().beginControlFlow("switch (componentClass)");
    for (ComponentDescriptor component : components) {
      body.add("case $S:\n$>", component.name().binaryName())
          .addStatement("return $T.ofInstance(component)", ControllerWriter.controllerName(component.name()))
          .add("$<");
    }
    return body.add("default:\n$>").addStatement("return null").add("$<").endControlFlow().build();
  }

  private static List<ComponentDescriptor> sorted(List<ComponentDescriptor> components) {
    return components.stream()
        .sorted(Comparator.comparing(c -> c.name().binaryName()))
        .collect(Collectors.toList());
  }
}
