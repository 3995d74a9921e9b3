package dev.ordo.processor.writing;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import dev.ordo.processor.ComponentReader;
import dev.ordo.processor.assembly.Application;
import dev.ordo.processor.assembly.Application.Accessor;
import dev.ordo.processor.assembly.Application.Argument;
import dev.ordo.processor.assembly.Application.External;
import dev.ordo.processor.assembly.Application.Instance;
import dev.ordo.processor.model.ComponentDescriptor;
import dev.ordo.processor.model.ComponentName;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;

/**
 * Writes {@code Ordo<Name>}, the assembly of an {@code @OrdoApplication}: a builder with one setter
 * per external, and a {@code build()} that constructs every component in startup order and hands
 * the runtime the plan (components, keys, criticality and edges as arrays) that the processor
 * computed, so that building does no graph analysis, no registry lookup and no reflection.
 */
public final class AssemblyWriter {
  private static final ClassName ORDO = ClassName.get("dev.ordo.runtime", "Ordo");
  private static final ClassName ORDO_BUILDER = ORDO.nestedClass("Builder");
  private static final ClassName ASSEMBLY = ORDO.nestedClass("Assembly");
  private static final ClassName PLAN = ClassName.get("dev.ordo.runtime", "AssemblyPlan");
  private static final ClassName CONFIGURATION_EXCEPTION = ClassName.get("dev.ordo.runtime", "ConfigurationException");
  private static final ClassName REQUEST_TRACKER = ClassName.get("dev.ordo.runtime", "RequestTracker");
  private static final TypeName ANY_CLASS =
      ParameterizedTypeName.get(ClassName.get(Class.class), WildcardTypeName.subtypeOf(Object.class));

  /** How many components one part of a large application constructs. */
  static final int PART = 200;

  private final boolean generatedAnnotation;

  /**
   * Writes assemblies.
   *
   * @param generatedAnnotation whether {@code javax.annotation.processing.Generated} exists on
   *     the compilation's platform (and may be named there)
   */
  public AssemblyWriter(boolean generatedAnnotation) {
    this.generatedAnnotation = generatedAnnotation;
  }

  /** The generated class's name. */
  public static ClassName assemblyName(TypeElement app) {
    ComponentName name = ComponentReader.nameOf(app);
    return ClassName.get(name.packageName(), "Ordo" + name.flatName());
  }

  /**
   * The assembly of {@code app}, whose instances the processor read as {@code descriptors} (in the
   * order of {@link Application#instances()}).
   */
  public JavaFile write(Application app, List<ComponentDescriptor> descriptors) {
    ClassName self = assemblyName(app.type());
    Dispatch dispatch = new Dispatch(app, descriptors, self);
    ClassName builder = self.nestedClass("Builder");
    ClassName appType = ClassName.get(app.type());
    List<Instance> instances = app.instances();

    TypeSpec.Builder spec = TypeSpec.classBuilder(self)
        .addOriginatingElement(app.type())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(appType)
        .addJavadoc(classJavadoc(app, appType, builder));
    if (generatedAnnotation) {
      spec.addAnnotation(RuntimeTypes.generated());
    }
    if (app.auxiliary()) {
      // A component declared in another class's source file: javac's lint warns about each reference
      // to it from this file; the construction code names it where this annotation applies.
      spec.addAnnotation(com.palantir.javapoet.AnnotationSpec.builder(SuppressWarnings.class)
          .addMember("value", "$S", "auxiliaryclass").build());
    }
    boolean parts = instances.size() > PART;
    spec.addField(FieldSpec.builder(PLAN, "PLAN", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The components in startup order, with their keys, criticality and edges (indices into\nthese arrays).")
        .initializer(parts ? CodeBlock.of("Builder.plan()") : plan(app))
        .build());
    spec.addField(FieldSpec.builder(ORDO, "ordo", Modifier.PRIVATE, Modifier.FINAL)
        .addJavadoc("The application.").build());
    CodeBlock.Builder constructorDoc = CodeBlock.builder()
        .add("Holds the application and the components its accessors return.\n\n@param ordo the application\n");
    MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PRIVATE)
        .addParameter(ORDO, "ordo")
        .addStatement("this.ordo = ordo");
    List<Integer> accessed = new ArrayList<>();
    for (Accessor a : app.accessors()) {
      if (!accessed.contains(a.instance())) {
        accessed.add(a.instance());
      }
    }
    for (int i : accessed) {
      Instance instance = instances.get(i);
      spec.addField(FieldSpec.builder(type(instance), instance.variable(), Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("The component {@link $T}$L.", className(instance.name()),
              instance.critical() ? "" : ", or null when it was left out")
          .build());
      constructor.addParameter(type(instance), instance.variable())
          .addStatement("this.$N = $N", instance.variable(), instance.variable());
      constructorDoc.add("@param $N the component {@link $T}\n", instance.variable(), className(instance.name()));
    }
    spec.addMethod(constructor.addJavadoc(constructorDoc.build()).build());
    spec.addMethod(MethodSpec.methodBuilder("builder")
        .addJavadoc("Starts building the application.\n\n@return a new builder\n")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(builder)
        .addStatement("return new $T()", builder)
        .build());
    MethodSpec.Builder ordo = MethodSpec.methodBuilder("ordo")
        .addJavadoc("The application: built, not started yet. {@code ordo().run()} starts it and waits for\n"
            + "its shutdown.\n\n@return the application\n")
        .addModifiers(Modifier.PUBLIC)
        .returns(ORDO)
        .addStatement("return ordo");
    if (app.ordoAccessor()) {
      ordo.addAnnotation(Override.class);
    }
    spec.addMethod(ordo.build());
    for (Accessor a : app.accessors()) {
      spec.addMethod(accessor(a, instances.get(a.instance())));
    }
    spec.addType(builderType(app, self, builder, accessed, parts, dispatch));
    if (!parts && dispatch.any(0, instances.size())) {
      spec.addType(dispatch.hooks(0, instances.size()));
    }
    return JavaFile.builder(self.packageName(), spec.build()).skipJavaLangImports(true).build();
  }

  private static CodeBlock classJavadoc(Application app, ClassName appType, ClassName builder) {
    CodeBlock.Builder doc = CodeBlock.builder();
    doc.add("The application {@link $T}, wired by the compiler: {@link $T#build()}\n", appType, builder);
    doc.add("constructs its components in startup order, each with the dependencies its constructor\n");
    doc.add("takes, and builds the {@link $T} application from the plan the processor computed.\n", ORDO);
    doc.add("\n<p>Components, in startup order:\n<ol>\n");
    for (Instance i : app.instances()) {
      doc.add("  <li>{@link $T}", className(i.name()));
      if (i.key() != null) {
        doc.add(" {@code $L}", "\"" + i.key() + "\"");
      }
      List<String> notes = new ArrayList<>();
      if (i.critical()) {
        notes.add("critical");
      }
      if (i.given()) {
        notes.add("given: {@code " + i.external().setter() + "(...)}");
      }
      if (!notes.isEmpty()) {
        doc.add(" ($L)", String.join(", ", notes));
      }
      doc.add("\n");
    }
    doc.add("</ol>\n");
    if (!app.externals().isEmpty()) {
      doc.add("\n<p>What the builder must be given: ");
      List<String> setters = new ArrayList<>();
      for (External e : app.externals()) {
        setters.add("{@code " + e.setter() + "}");
      }
      doc.add("$L.\n", String.join(", ", setters));
    }
    return doc.build();
  }

  private static CodeBlock plan(Application app) {
    CodeBlock.Builder types = CodeBlock.builder();
    CodeBlock.Builder keys = CodeBlock.builder();
    CodeBlock.Builder critical = CodeBlock.builder();
    CodeBlock.Builder hard = CodeBlock.builder();
    CodeBlock.Builder soft = CodeBlock.builder();
    boolean anyKey = false;
    for (Instance i : app.instances()) {
      String sep = i.index() == 0 ? "" : ", ";
      types.add(sep + "$T.class", className(i.name()));
      keys.add(sep + (i.key() == null ? "null" : "$S"), i.key() == null ? new Object[0] : new Object[] {i.key()});
      anyKey |= i.key() != null;
      critical.add(sep + "$L", i.critical());
      hard.add(sep + "$L", indices(i.hard()));
      soft.add(sep + "$L", indices(i.soft()));
    }
    CodeBlock.Builder plan = CodeBlock.builder().add("new $T(\n", PLAN).indent().indent();
    plan.add("$S,\n", app.type().getQualifiedName().toString());
    plan.add("new $T[] {", ANY_CLASS).add(types.build()).add("},\n");
    if (anyKey) {
      plan.add("new $T[] {", String.class).add(keys.build()).add("},\n");
    } else {
      plan.add("new $T[$L],\n", String.class, app.instances().size());
    }
    plan.add("new boolean[] {").add(critical.build()).add("},\n");
    plan.add("new int[][] {").add(hard.build()).add("},\n");
    plan.add("new int[][] {").add(soft.build()).add("})");
    return plan.unindent().unindent().build();
  }

  private static String indices(int[] indices) {
    StringBuilder s = new StringBuilder("{");
    for (int k = 0; k < indices.length; k++) {
      s.append(k == 0 ? "" : ", ").append(indices[k]);
    }
    return s.append('}').toString();
  }

  private static MethodSpec accessor(Accessor a, Instance instance) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(a.method().getSimpleName().toString())
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(TypeName.get(a.method().getReturnType()));
    if (a.optional()) {
      m.addStatement("return $T.ofNullable($N)", Optional.class, instance.variable());
    } else if (!instance.critical()) {
      m.beginControlFlow("if ($N == null)", instance.variable())
          .addStatement("throw new $T($S)", IllegalStateException.class,
              instance.name().qualifiedName() + " was left out of this application with without(...)")
          .endControlFlow()
          .addStatement("return $N", instance.variable());
    } else {
      m.addStatement("return $N", instance.variable());
    }
    return m.build();
  }

  private TypeSpec builderType(Application app, ClassName self, ClassName builder, List<Integer> accessed,
      boolean parts, Dispatch dispatch) {
    TypeSpec.Builder spec = TypeSpec.classBuilder(builder)
        .addJavadoc("Builds {@link $T}: give it every external, then call {@link #build()}.\n", self)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL);
    spec.addField(FieldSpec.builder(ORDO_BUILDER, "ordoBuilder", Modifier.PRIVATE, Modifier.FINAL)
        .addJavadoc("The settings, applied by {@link #configure}.")
        .initializer(app.gracePeriod() == null ? CodeBlock.of("$T.builder()", ORDO)
            : CodeBlock.of("$T.builder().kubernetesGracePeriod($L)", ORDO,
                ControllerWriter.duration(Optional.of(app.gracePeriod()))))
        .build());
    spec.addField(FieldSpec.builder(ParameterizedTypeName.get(ClassName.get(List.class), ANY_CLASS), "leftOut",
        Modifier.PRIVATE, Modifier.FINAL).addJavadoc("The classes {@link #without} left out.")
        .initializer("new $T<>()", ArrayList.class).build());
    for (External e : app.externals()) {
      spec.addField(FieldSpec.builder(TypeName.get(e.type()).box(), e.setter(), Modifier.PRIVATE)
          .addJavadoc("What {@link #$N} gave; null until then.", e.setter()).build());
    }
    spec.addMethod(MethodSpec.constructorBuilder().addJavadoc("Use {@link $T#builder()}.", self)
        .addModifiers(Modifier.PRIVATE).build());
    for (External e : app.externals()) {
      spec.addMethod(setter(app, e, builder));
    }
    spec.addMethod(MethodSpec.methodBuilder("without")
        .addJavadoc("Leaves the optional component {@code component} out (every instance of it), and the\n"
            + "components that hard-depend on it with it; those that depend on it optionally start\n"
            + "without it, and get an empty {@code Optional}. {@link #build()} throws {@link $T}\n"
            + "when it is not a component of the application, or when a critical component would be\n"
            + "left out with it.\n",
            CONFIGURATION_EXCEPTION)
        .addModifiers(Modifier.PUBLIC)
        .returns(builder)
        .addJavadoc("\n@param component the component class to leave out\n@return this builder\n")
        .addParameter(ANY_CLASS, "component")
        .addStatement("leftOut.add($T.requireNonNull(component, $S))", Objects.class, "component")
        .addStatement("return this")
        .build());
    spec.addMethod(MethodSpec.methodBuilder("configure")
        .addJavadoc("Applies the application's settings (timeouts, listeners, health, events) to the\n"
            + "{@link $T} this builds from, as in\n"
            + "{@code configure(b -> b.shutdownTimeout(Duration.ofSeconds(25)))}.\n",
            ORDO_BUILDER)
        .addModifiers(Modifier.PUBLIC)
        .returns(builder)
        .addJavadoc("\n@param configuration what sets the settings\n@return this builder\n")
        .addParameter(ParameterizedTypeName.get(ClassName.get(Consumer.class), WildcardTypeName.supertypeOf(ORDO_BUILDER)),
            "configuration")
        .addStatement("configuration.accept(ordoBuilder)")
        .addStatement("return this")
        .build());
    spec.addMethod(build(app, self, accessed, parts, dispatch));
    if (parts) {
      int n = app.instances().size();
      spec.addField(FieldSpec.builder(int[].class, "NONE", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("No dependencies: shared by every component without them.").initializer("{}").build());
      MethodSpec.Builder plan = MethodSpec.methodBuilder("plan")
          .addJavadoc("The plan of a large application, filled part by part.\n\n@return the plan\n")
          .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
          .returns(PLAN)
          .addStatement("$T[] types = new $T[$L]", ANY_CLASS, ANY_CLASS, n)
          .addStatement("$T[] keys = new $T[$L]", String.class, String.class, n)
          .addStatement("boolean[] critical = new boolean[$L]", n)
          .addStatement("int[][] hard = new int[$L][]", n)
          .addStatement("int[][] soft = new int[$L][]", n);
      for (int k = 0; k * PART < n; k++) {
        plan.addStatement("Part$L.plan(types, keys, critical, hard, soft)", k);
      }
      plan.addStatement("return new $T($S, types, keys, critical, hard, soft)", PLAN,
          app.type().getQualifiedName().toString());
      spec.addMethod(plan.build());
      parts(app, builder, dispatch).forEach(spec::addType);
    }
    return spec.build();
  }

  private static MethodSpec setter(Application app, External e, ClassName builder) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(e.setter())
        .addModifiers(Modifier.PUBLIC)
        .returns(builder)
        .addParameter(TypeName.get(e.type()), e.setter());
    if (e.component() >= 0) {
      Instance i = app.instances().get(e.component());
      if (i.key() != null) {
        m.addJavadoc("Gives the instance {@code $L} of the component {@link $T}.\n", "\"" + i.key() + "\"", className(i.name()));
      } else {
        m.addJavadoc("Gives the component {@link $T}, which the application cannot construct itself\n"
            + "(it is abstract, or its constructor is not accessible here).\n", className(i.name()));
      }
    } else {
      CodeBlock.Builder doc = CodeBlock.builder().add("Gives ");
      TypeName type = TypeName.get(e.type());
      if (e.qualifier() != null) {
        doc.add("the value named {@code $L}", "\"" + e.qualifier() + "\"");
      } else if (type instanceof ClassName) {
        doc.add("the {@link $T}", type);
      } else {
        doc.add("the {@code $L}", simple(e));
      }
      doc.add(" that ");
      List<CodeBlock> takers = new ArrayList<>();
      for (int c : e.consumers()) {
        takers.add(CodeBlock.of("{@link $T}", className(app.instances().get(c).name())));
      }
      doc.add(CodeBlock.join(takers, ", ")).add(takers.size() == 1 ? " takes.\n" : " take.\n");
      m.addJavadoc(doc.build());
    }
    m.addJavadoc("\n@param $N the value\n@return this builder\n", e.setter());
    if (e.type().getKind().isPrimitive()) {
      m.addStatement("this.$N = $N", e.setter(), e.setter());
    } else {
      m.addStatement("this.$N = $T.requireNonNull($N, $S)", e.setter(), Objects.class, e.setter(), e.setter());
    }
    return m.addStatement("return this").build();
  }

  private static MethodSpec build(Application app, ClassName self, List<Integer> accessed, boolean parts,
      Dispatch dispatch) {
    MethodSpec.Builder m = MethodSpec.methodBuilder("build")
        .addJavadoc("Constructs every component, in startup order, and builds the application, not started.\n"
            + "\n@throws $T if an external was not given, a setting does not parse, or\n"
            + "    {@link #without} names a class that is not an optional component of the application\n"
            + "@return the application, built and not started\n",
            CONFIGURATION_EXCEPTION)
        .addModifiers(Modifier.PUBLIC)
        .returns(self);
    for (TypeMirror exception : app.exceptions()) {
      m.addException(TypeName.get(exception));
    }
    if (!app.exceptions().isEmpty()) {
      m.addJavadoc("@throws $T and the other exceptions declared: what the components' constructors throw\n",
          TypeName.get(app.exceptions().get(0)));
    }
    m.addStatement("$T assembly = ordoBuilder.assemble(PLAN, leftOut)", ASSEMBLY);
    if (!app.externals().isEmpty()) {
      m.addStatement("$T<$T> missing = new $T<>()", List.class, String.class, ArrayList.class);
      for (External e : app.externals()) {
        CodeBlock needed = needed(app, e);
        CodeBlock shown = CodeBlock.of("$S", e.setter() + "(" + simple(e) + ")");
        if (needed == null) {
          m.beginControlFlow("if ($N == null)", e.setter());
        } else {
          m.beginControlFlow("if ($N == null && $L)", e.setter(), needed);
        }
        m.addStatement("missing.add($L)", shown).endControlFlow();
      }
      m.beginControlFlow("if (!missing.isEmpty())")
          .addStatement("throw new $T($S + $T.join($S, missing) + $S)", CONFIGURATION_EXCEPTION,
              self.simpleName() + ".builder() was not given ", String.class, ", ", "; call each before build()")
          .endControlFlow();
    }
    CodeBlock.Builder args = CodeBlock.builder().add("assembly.build()");
    if (parts) {
      m.addStatement("$T[] instances = new $T[$L]", Object.class, Object.class, app.instances().size());
      for (int k = 0; k * PART < app.instances().size(); k++) {
        m.addStatement("Part$L.build(this, assembly, instances)", k);
      }
      for (int i : accessed) {
        Instance instance = app.instances().get(i);
        args.add(", ($T) instances[$L]", type(instance), i);
      }
    } else {
      boolean tracker = app.instances().stream()
          .anyMatch(i -> i.arguments().stream().anyMatch(a -> a.kind() == Application.ArgumentKind.REQUEST_TRACKER));
      if (tracker) {
        m.addStatement("$T requestTracker = assembly.requestTracker()", REQUEST_TRACKER);
      }
      Naming naming = new Naming(app, false);
      for (Instance i : app.instances()) {
        construct(m, app, i, naming, dispatch);
      }
      for (int i : accessed) {
        Instance instance = app.instances().get(i);
        if (instance.given() && !instance.critical()) {
          args.add(", assembly.includes($L) ? $N : null", i, instance.variable());
        } else {
          args.add(", $N", instance.variable());
        }
      }
    }
    m.addStatement("return new $T($L)", self, args.build());
    return m.build();
  }

  /**
   * How generated code refers to instances, externals and the tracker: by local variables and
   * fields in one {@code build()} method, or through the {@code instances} array and the builder
   * in the parts of a large application.
   */
  private static final class Naming {
    private final Application app;
    private final boolean parts;

    Naming(Application app, boolean parts) {
      this.app = app;
      this.parts = parts;
    }

    CodeBlock instance(int index) {
      Instance i = app.instances().get(index);
      return parts ? CodeBlock.of("(($T) instances[$L])", type(i), index) : CodeBlock.of("$N", i.variable());
    }

    CodeBlock external(External e) {
      return parts ? CodeBlock.of("builder.$N", e.setter()) : CodeBlock.of("$N", e.setter());
    }

    CodeBlock tracker() {
      return parts ? CodeBlock.of("assembly.requestTracker()") : CodeBlock.of("requestTracker");
    }
  }

  /** The statements that construct (or take) instance {@code i} and add its controller. */
  private static void construct(MethodSpec.Builder m, Application app, Instance i, Naming naming, Dispatch dispatch) {
    boolean parts = naming.parts;
    TypeName type = type(i);
    CodeBlock controller = dispatch.inline(i.index())
        ? CodeBlock.of("new Hooks($L, Hooks.$N(), $L)", i.index(), dispatch.descriptorMethod(i.index()), naming.instance(i.index()))
        : CodeBlock.of("$T.of($L)", ControllerWriter.controllerName(i.name()), naming.instance(i.index()));
    boolean guarded = !i.critical();
    if (i.given()) {
      if (guarded) {
        m.beginControlFlow("if (assembly.includes($L))", i.index());
      }
      if (parts) {
        m.addStatement("instances[$L] = $L", i.index(), naming.external(i.external()));
      }
      m.addStatement("assembly.add($L, $L)", i.index(), controller);
      if (guarded) {
        m.endControlFlow();
      }
      return;
    }
    CodeBlock arguments = arguments(app, i, naming);
    CodeBlock construct = i.type().getTypeParameters().isEmpty()
        ? CodeBlock.of("new $T($L)", type, arguments)
        : CodeBlock.of("new $T<>($L)", className(i.name()), arguments);
    if (parts) {
      if (guarded) {
        m.beginControlFlow("if (assembly.includes($L))", i.index());
      }
      m.addStatement("instances[$L] = $L", i.index(), construct);
    } else if (guarded) {
      m.addStatement("$T $N = null", type, i.variable());
      m.beginControlFlow("if (assembly.includes($L))", i.index());
      m.addStatement("$N = $L", i.variable(), construct);
    } else {
      m.addStatement("$T $N = $L", type, i.variable(), construct);
    }
    m.addStatement("assembly.add($L, $L)", i.index(), controller);
    if (guarded) {
      m.endControlFlow();
    }
  }

  /**
   * The parts of a large application: each constructs {@link #PART} components, and fills their
   * entries of the plan, so that no method outgrows the JVM's 64 KiB of bytecode and no class its
   * constant pool.
   */
  private static List<TypeSpec> parts(Application app, ClassName builder, Dispatch dispatch) {
    List<TypeSpec> parts = new ArrayList<>();
    Naming naming = new Naming(app, true);
    int n = app.instances().size();
    for (int k = 0; k * PART < n; k++) {
      int from = k * PART;
      int to = Math.min(n, from + PART);
      MethodSpec.Builder plan = MethodSpec.methodBuilder("plan")
          .addJavadoc("Fills the plan's entries of these components.\n\n@param types the classes\n@param keys the keys\n"
              + "@param critical whether each is critical\n@param hard the hard dependencies\n"
              + "@param soft the optional dependencies\n")
          .addModifiers(Modifier.STATIC)
          .addParameter(ArrayTypeName.of(ANY_CLASS), "types")
          .addParameter(String[].class, "keys")
          .addParameter(boolean[].class, "critical")
          .addParameter(int[][].class, "hard")
          .addParameter(int[][].class, "soft");
      MethodSpec.Builder build = MethodSpec.methodBuilder("build")
          .addJavadoc("Constructs these components and adds their controllers.\n\n@param builder the externals\n"
              + "@param assembly the application being assembled\n@param instances the components, by index\n")
          .addModifiers(Modifier.STATIC)
          .addParameter(builder, "builder")
          .addParameter(ASSEMBLY, "assembly")
          .addParameter(Object[].class, "instances");
      for (TypeMirror exception : app.exceptions()) {
        build.addException(TypeName.get(exception));
      }
      for (int index = from; index < to; index++) {
        Instance i = app.instances().get(index);
        plan.addStatement("types[$L] = $T.class", index, className(i.name()));
        if (i.key() != null) {
          plan.addStatement("keys[$L] = $S", index, i.key());
        }
        if (i.critical()) {
          plan.addStatement("critical[$L] = true", index);
        }
        plan.addStatement("hard[$L] = $L", index, i.hard().length == 0 ? "NONE" : "new int[] " + indices(i.hard()));
        plan.addStatement("soft[$L] = $L", index, i.soft().length == 0 ? "NONE" : "new int[] " + indices(i.soft()));
        construct(build, app, i, naming, dispatch);
      }
      TypeSpec.Builder part = TypeSpec.classBuilder("Part" + k);
      if (dispatch.any(from, to)) {
        part.addType(dispatch.hooks(from, to));
      }
      parts.add(part
          .addJavadoc("Components $L to $L.\n", from, to - 1)
          .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .addMethod(MethodSpec.constructorBuilder().addJavadoc("Not instantiated: static methods only.")
              .addModifiers(Modifier.PRIVATE).build())
          .addMethod(plan.build())
          .addMethod(build.build())
          .build());
    }
    return parts;
  }

  /** When the external is needed: null when always (a critical component takes it). */
  private static CodeBlock needed(Application app, External e) {
    List<Integer> users = e.component() >= 0 ? List.of(e.component()) : e.consumers();
    List<CodeBlock> conditions = new ArrayList<>();
    for (int u : users) {
      if (app.instances().get(u).critical()) {
        return null;
      }
      conditions.add(CodeBlock.of("assembly.includes($L)", u));
    }
    CodeBlock joined = CodeBlock.join(conditions, " || ");
    return conditions.size() == 1 ? joined : CodeBlock.of("($L)", joined);
  }

  private static String simple(External e) {
    TypeName t = TypeName.get(e.type());
    String s = t.toString();
    return t instanceof ClassName ? ((ClassName) t).simpleName() : s.replaceAll("[a-z0-9_]+\\.", "");
  }

  private static CodeBlock arguments(Application app, Instance i, Naming naming) {
    List<CodeBlock> args = new ArrayList<>();
    for (Argument a : i.arguments()) {
      switch (a.kind()) {
        case COMPONENT:
          args.add(naming.instance(a.instance()));
          break;
        case OPTIONAL_COMPONENT:
          args.add(CodeBlock.of("$T.ofNullable($L)", Optional.class, naming.instance(a.instance())));
          break;
        case REQUEST_TRACKER:
          args.add(naming.tracker());
          break;
        case EVENTS:
          args.add(CodeBlock.of("$T.of(assembly.events())",
              ClassName.get(a.events().packageName(), a.events().simpleName())));
          break;
        default:
          args.add(naming.external(a.external()));
      }
    }
    return CodeBlock.join(args, ", ");
  }

  static TypeName type(Instance i) {
    ClassName raw = className(i.name());
    int parameters = i.type().getTypeParameters().size();
    if (parameters == 0) {
      return raw;
    }
    TypeName[] wildcards = new TypeName[parameters];
    java.util.Arrays.fill(wildcards, WildcardTypeName.subtypeOf(Object.class));
    return ParameterizedTypeName.get(raw, wildcards);
  }

  static ClassName className(ComponentName name) {
    List<String> simpleNames = name.simpleNames();
    return ClassName.get(name.packageName(), simpleNames.get(0),
        simpleNames.subList(1, simpleNames.size()).toArray(new String[0]));
  }
}
