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
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;

/**
 * Writes the one registry of a compilation: {@code OrdoRegistry_<hash>}, which maps a component's
 * binary class name to its generated controller with a string switch (no reflection, no lambdas),
 * and is found by the runtime through {@link ServiceLoader}. The runtime asks for the instance's
 * class, then for each superclass, so an instance of a subclass finds its annotated superclass's
 * controller.
 */
public final class RegistryWriter {
  /** The service file that names the registry. */
  public static final String SERVICE_FILE =
      "META-INF/services/" + RuntimeTypes.LIFECYCLE_REGISTRY.canonicalName();

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

  /** The registry of {@code components}, declared by {@code originating}. */
  public JavaFile write(List<ComponentDescriptor> components, List<? extends Element> originating) {
    List<ComponentDescriptor> sorted = sorted(components);
    ClassName registry = registryName(sorted);

    CodeBlock.Builder doc = CodeBlock.builder()
        .add("Finds the generated controller of each Ordo component compiled with it. The runtime loads\n")
        .add("it with {@link $T}, through\n{@code $L}.\n", ServiceLoader.class, SERVICE_FILE)
        .add("\n<p>Components:\n<ul>\n");
    CodeBlock.Builder body = CodeBlock.builder().beginControlFlow("switch (componentClass)");
    for (ComponentDescriptor component : sorted) {
      ClassName controller = ControllerWriter.controllerName(component.name());
      doc.add("  <li>{@code $L}: {@link $T}\n", component.name().qualifiedName(), controller);
      body.add("case $S:\n$>", component.name().binaryName())
          .addStatement("return $T.ofInstance(component)", controller)
          .add("$<");
    }
    doc.add("</ul>\n");
    body.add("default:\n$>").addStatement("return null").add("$<").endControlFlow();

    TypeSpec.Builder spec = TypeSpec.classBuilder(registry)
        .addJavadoc(doc.build())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(RuntimeTypes.LIFECYCLE_REGISTRY);
    originating.forEach(spec::addOriginatingElement);
    if (generatedAnnotation) {
      spec.addAnnotation(RuntimeTypes.generated());
    }
    spec.addMethod(MethodSpec.methodBuilder("controllerFor")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(ParameterizedTypeName.get(RuntimeTypes.LIFECYCLE_CONTROLLER, WildcardTypeName.subtypeOf(Object.class)))
        .addParameter(String.class, "componentClass")
        .addParameter(Object.class, "component")
        .addCode(body.build())
        .build());
    return JavaFile.builder(registry.packageName(), spec.build()).skipJavaLangImports(true).build();
  }

  private static List<ComponentDescriptor> sorted(List<ComponentDescriptor> components) {
    return components.stream()
        .sorted(Comparator.comparing(c -> c.name().binaryName()))
        .collect(Collectors.toList());
  }
}
