package dev.ordo.processor;

import com.google.auto.service.AutoService;
import dev.ordo.processor.assembly.Application;
import dev.ordo.processor.assembly.ApplicationReader;
import dev.ordo.processor.base.AuxiliaryClasses;
import dev.ordo.processor.kubernetes.Kubernetes;
import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.PreviousOutput;
import dev.ordo.processor.base.SourceTrees;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.OrdoAnnotation;
import dev.ordo.processor.base.Reporter;
import dev.ordo.processor.base.UnresolvedClassLiterals;
import dev.ordo.processor.model.ComponentDescriptor;
import dev.ordo.processor.validation.ComponentClassRule;
import dev.ordo.processor.validation.ComponentKindRule;
import dev.ordo.processor.validation.ComponentRule;
import dev.ordo.processor.validation.CriticalDependencyRule;
import dev.ordo.processor.validation.CriticalWithoutHooksRule;
import dev.ordo.processor.validation.DependencyCycleRule;
import dev.ordo.processor.validation.DependencyIsComponentRule;
import dev.ordo.processor.validation.DuplicateDependencyRule;
import dev.ordo.processor.validation.DuplicateHookRule;
import dev.ordo.processor.validation.DurationRule;
import dev.ordo.processor.validation.GraphRule;
import dev.ordo.processor.validation.HookModifiersRule;
import dev.ordo.processor.validation.HookParametersRule;
import dev.ordo.processor.validation.HookReturnTypeRule;
import dev.ordo.processor.validation.HookThrowsRule;
import dev.ordo.processor.validation.LocalComponentRule;
import dev.ordo.processor.validation.InheritedLifecycleRule;
import dev.ordo.processor.validation.OptionalDependencyParameterRule;
import dev.ordo.processor.validation.PublishesNoEventsRule;
import dev.ordo.processor.validation.ResourceFieldRule;
import dev.ordo.processor.validation.RestartRule;
import dev.ordo.processor.validation.RetryRule;
import dev.ordo.processor.validation.RoundComponents;
import dev.ordo.processor.validation.UndeclaredDependencyRule;
import dev.ordo.processor.writing.AssemblyWriter;
import dev.ordo.processor.writing.ControllerWriter;
import dev.ordo.processor.writing.GraphJsonWriter;
import dev.ordo.processor.writing.JavadocImports;
import dev.ordo.processor.writing.RegistryWriter;
import dev.ordo.processor.writing.EventCatalogWriter;
import dev.ordo.processor.writing.EventsApiWriter;
import dev.ordo.processor.validation.EventConflictRule;
import dev.ordo.processor.validation.EventDeclarationRule;
import dev.ordo.processor.validation.GeneratedNameClashRule;
import dev.ordo.processor.model.ComponentEvents;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.FilerException;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ModuleElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.tools.FileObject;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;

/**
 * Ordo's annotation processor. Each round runs four steps, in order:
 *
 * <ol>
 *   <li><b>read</b> the new components (classes that are {@code @Critical},
 *       {@code @PublishesEvents} or {@code @DependsOn}, or have an {@code @OnStartup},
 *       {@code @OnShutdown} or {@code @HealthCheck} method) into {@link ComponentDescriptor}s;
 *       a component that mentions a type not generated yet waits for a later round;
 *   <li><b>validate each component</b> ({@link ComponentRule}s);
 *   <li><b>validate the graph</b> ({@link GraphRule}s) over every component seen so far;
 *   <li><b>generate</b> a {@code Foo_Lifecycle} controller per new component, and the registry
 *       ({@code OrdoRegistry_<hash>}, or {@code <module>.OrdoRegistry} in a named module) of the
 *       round's components, unless any error was reported: code generated after an error only adds
 *       more errors.
 * </ol>
 *
 * <p>Usually one round finds every component, so a compilation has one registry; a later round
 * that finds more (written by another processor) writes a registry of its own rather than cost
 * javac a round more for every compilation. In the last round, it writes the
 * {@code META-INF/services} entry naming each registry, {@code META-INF/ordo/graph.json} and the
 * event catalog, and warns when a named module does not {@code provides} its registries. It never
 * throws: an unexpected exception is reported as
 * {@code [Ordo/InternalError]} on the element being processed.
 */
@AutoService(Processor.class)
public final class OrdoProcessor extends AbstractProcessor {
  private Reporter reporter;
  private ComponentReader reader;
  private List<ComponentRule> componentRules;
  private List<GraphRule> graphRules;
  private LocalComponentRule localComponentRule;
  private final ComponentKindRule componentKindRule = new ComponentKindRule();
  private AuxiliaryClasses auxiliaryClasses;
  /** Rules tests add, such as one that throws to prove that nothing escapes {@code process()}. */
  private final List<ComponentRule> extraRules;
  private static final String GENERATED = "javax.annotation.processing.Generated";
  private static final String APPLICATION = "dev.ordo.OrdoApplication";
  private ApplicationReader applicationReader;
  private AssemblyWriter assemblyWriter;
  /** The {@code @OrdoApplication}s not assembled yet, by canonical name. */
  private final SortedMap<String, TypeElement> applications = new TreeMap<>();
  /** Whether an assembly was written: it names the controllers, so no registry must be provided. */
  private boolean assembled;
  /** The processor options of the Kubernetes check ({@code -Aordo.*}). */
  private Kubernetes.Options kubernetes;
  /** Per package, the simple names its classes share with java.lang's (see {@link #writeSource}). */
  private final Map<String, String[]> clashes = new java.util.HashMap<>();
  /** The simple names of java.lang's classes, read once. */
  private Set<String> javaLang;
  /** The worst cases of each application assembled, for {@code META-INF/ordo/kubernetes.yaml}. */
  private final List<Kubernetes.Estimate> estimates = new ArrayList<>();
  /** The startup plans of the applications assembled ({@code plan.json}, {@code plan.mmd}). */
  private final List<dev.ordo.processor.writing.StartupPlan> plans = new ArrayList<>();
  private ControllerWriter controllerWriter;
  private RegistryWriter registryWriter;
  private EventsApiWriter eventsApiWriter;
  /** Whether {@link #leaveOutGeneratedInNamedModule} ran. */
  private boolean writersChecked;

  /** Every component read so far, by binary name. */
  private final SortedMap<String, TypeElement> components = new TreeMap<>();
  private final SortedMap<String, ComponentDescriptor> descriptors = new TreeMap<>();
  /** The events each component declares, by binary name; for the catalog. */
  private final SortedMap<String, ComponentEvents> events = new TreeMap<>();
  /** Canonical names of components that wait for types another processor generates. */
  private final Set<String> deferred = new TreeSet<>();
  /** Canonical names of the classes Ordo generated: no local class hides in them. */
  private final Set<String> generated = new HashSet<>();
  private boolean failed;
  /** The registries written so far, by binary name: one per round that found components. */
  private final List<String> registries = new ArrayList<>();
  /**
   * What an earlier compilation left in the class output (read in the first round), and the
   * components of it that this compilation does not recompile but that still exist, by binary
   * name: an incremental compile carries them over into the graph checks, the services entry, the
   * graph and the event catalog.
   */
  private PreviousOutput previous;
  private final SortedMap<String, TypeElement> carried = new TreeMap<>();
  /**
   * Whether the last round writes the services entry, the graph and the catalog again although
   * this compilation found no component: it recompiled only classes that lost their last Ordo
   * annotation, and the carried components must be listed without them.
   */
  private boolean rewriteCarried;
  /** The named module of each registry written into one; none on the class path. */
  private final Map<String, ModuleElement> registryModules = new LinkedHashMap<>();

  /** The processor javac finds through {@code META-INF/services}. */
  public OrdoProcessor() {
    this(List.of());
  }

  /** A processor that also runs {@code extraRules} on each component: for tests. */
  OrdoProcessor(List<ComponentRule> extraRules) {
    this.extraRules = List.copyOf(extraRules);
  }

  @Override
  public synchronized void init(ProcessingEnvironment processingEnv) {
    super.init(processingEnv);
    Elements elements = processingEnv.getElementUtils();
    reporter = new Reporter(processingEnv);
    reader = new ComponentReader(processingEnv.getTypeUtils());
    componentRules = new ArrayList<>(List.of(
        new ComponentClassRule(),
        new HookModifiersRule(),
        new HookParametersRule(),
        new HookReturnTypeRule(elements, processingEnv.getTypeUtils()),
        new HookThrowsRule(elements, processingEnv.getTypeUtils()),
        new DuplicateHookRule(),
        new DurationRule(),
        new RetryRule(),
        new RestartRule(),
        new DuplicateDependencyRule(),
        new UndeclaredDependencyRule(),
        new OptionalDependencyParameterRule(),
        new InheritedLifecycleRule(elements),
        new CriticalWithoutHooksRule(),
        new PublishesNoEventsRule(),
        new EventDeclarationRule(),
        new ResourceFieldRule()));
    componentRules.addAll(extraRules);
    graphRules = List.of(new DependencyIsComponentRule(), new DependencyCycleRule(), new CriticalDependencyRule(),
        new EventConflictRule(), new GeneratedNameClashRule());
    // Rules that need javac's trees are made only where the trees exist (not on the Eclipse
    // compiler, nor where jdk.compiler is missing): their classes would not even link there.
    localComponentRule = SourceTrees.available(processingEnv) ? new LocalComponentRule(processingEnv) : null;
    applicationReader = new ApplicationReader(processingEnv);
    List<Kubernetes.InvalidOption> invalid = new ArrayList<>();
    kubernetes = Kubernetes.options(processingEnv.getOptions(), invalid);
    for (Kubernetes.InvalidOption option : invalid) {
      reporter.report(Message.INVALID_OPTION, null, option.option(), option.value(), option.expected());
      failed = true;
    }
    auxiliaryClasses = new AuxiliaryClasses(processingEnv);
    createWriters(elements.getTypeElement(GENERATED) != null);
  }

  private void createWriters(boolean generatedAnnotation) {
    controllerWriter = new ControllerWriter(generatedAnnotation);
    registryWriter = new RegistryWriter(generatedAnnotation);
    eventsApiWriter = new EventsApiWriter(generatedAnnotation);
    assemblyWriter = new AssemblyWriter(generatedAnnotation);
  }

  /**
   * Before the first code is generated: in a named module, generated code names no
   * {@code @Generated}. Its module, {@code java.compiler}, is one an application module rarely
   * reads, yet javac finds the type whenever any module of the graph requires it, and code naming
   * it would not compile. Whether this module reads it cannot be asked here: reading a module's
   * directives before the last round makes javac check its {@code provides} while the registry it
   * names is not generated yet, and fail.
   */
  private void leaveOutGeneratedInNamedModule(TypeElement component) {
    if (writersChecked) {
      return;
    }
    writersChecked = true;
    ModuleElement module = processingEnv.getElementUtils().getModuleOf(component);
    if (module != null && !module.isUnnamed()) {
      createWriters(false);
    }
  }

  /**
   * The applications of this round, and those waiting: each is assembled in the first round in
   * which no component and none of its constructors waits for a type another processor generates,
   * with every component read so far (usually in the first round, with the controllers).
   */
  private void processApplications(RoundEnvironment round) {
    TypeElement annotation = processingEnv.getElementUtils().getTypeElement(APPLICATION);
    if (annotation != null) {
      for (Element element : round.getElementsAnnotatedWith(annotation)) {
        if (element instanceof TypeElement) {
          applications.putIfAbsent(((TypeElement) element).getQualifiedName().toString(), (TypeElement) element);
        }
      }
    }
    if (applications.isEmpty() || failed || !deferred.isEmpty()) {
      return;
    }
    for (Map.Entry<String, TypeElement> entry : new ArrayList<>(applications.entrySet())) {
      TypeElement app = entry.getValue();
      if (applicationReader.waits(app, components.values())) {
        continue;
      }
      applications.remove(entry.getKey());
      guarded(app, () -> {
        int errors = reporter.errorCount();
        Optional<Application> read = applicationReader.read(app, components, reporter);
        if (read.isEmpty() || reporter.errorCount() > errors) {
          failed = true;
          return;
        }
        if (processingEnv.getElementUtils().getTypeElement("dev.ordo.runtime.AssemblyPlan") == null) {
          reporter.report(Message.RUNTIME_MISSING, Location.of(app), app.getQualifiedName());
          failed = true;
          return;
        }
        java.util.Optional<java.time.Duration> declared = declaredGracePeriod(app);
        if (declared == null) {
          failed = true; // reported
          return;
        }
        leaveOutGeneratedInNamedModule(app);
        Application assembly = read.get().with(
            read.get().instances().stream().anyMatch(i -> auxiliaryClasses.isAuxiliary(i.type())),
            declared.orElse(null));
        List<ComponentDescriptor> instances = descriptorsOf(assembly); // read once: jar components from class files
        writeSource(assemblyWriter.write(assembly, instances), processingEnv.getFiler());
        assembled = true;
        checkGracePeriod(app, estimate(read.get(), instances), declared);
      });
    }
  }

  /**
   * The grace period {@code @OrdoApplication(gracePeriod = ...)} declares: empty for none; null
   * after reporting a value that is no duration.
   */
  private java.util.Optional<java.time.Duration> declaredGracePeriod(TypeElement app) {
    javax.lang.model.element.AnnotationMirror mirror = app.getAnnotationMirrors().stream()
        .filter(m -> ((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().contentEquals(APPLICATION))
        .findFirst().orElse(null);
    java.util.Optional<javax.lang.model.element.AnnotationValue> value =
        mirror == null ? java.util.Optional.empty() : OrdoAnnotation.explicitValue(mirror, "gracePeriod");
    if (value.isEmpty() || String.valueOf(value.get().getValue()).isEmpty()) {
      return java.util.Optional.empty();
    }
    String text = String.valueOf(value.get().getValue());
    java.util.Optional<java.time.Duration> declared = dev.ordo.processor.model.Durations.parse(text);
    if (declared.isEmpty()) {
      reporter.report(Message.INVALID_DURATION, Location.of(app, mirror, value.get()), "OrdoApplication",
          "gracePeriod", text, app.getQualifiedName());
      return null;
    }
    return declared;
  }

  /**
   * The descriptors of {@code app}'s instances, in its startup order: those of this compilation as
   * read, those of other jars read from their class files.
   */
  private List<ComponentDescriptor> descriptorsOf(Application app) {
    List<ComponentDescriptor> read = new ArrayList<>();
    for (Application.Instance instance : app.instances()) {
      ComponentDescriptor known = descriptors.get(instance.name().binaryName());
      read.add(known != null ? known : reader.read(instance.type()));
    }
    return read;
  }

  /** The worst cases of {@code app}, from its components' descriptors {@code read}, in its startup order. */
  private Kubernetes.Estimate estimate(Application app, List<ComponentDescriptor> read) {
    List<String> names = new ArrayList<>();
    List<int[]> dependencies = new ArrayList<>();
    for (Application.Instance instance : app.instances()) {
      names.add(instance.name().simpleName() + (instance.key() == null ? "" : "[" + instance.key() + "]"));
      int[] both = java.util.stream.IntStream.concat(
          java.util.Arrays.stream(instance.hard()), java.util.Arrays.stream(instance.soft())).toArray();
      dependencies.add(both);
    }
    Kubernetes.Estimate estimate = Kubernetes.estimate(app.type().getQualifiedName().toString(), names, read,
        dependencies, kubernetes);
    estimates.add(estimate);
    List<int[]> hard = new ArrayList<>();
    List<int[]> soft = new ArrayList<>();
    for (Application.Instance instance : app.instances()) {
      hard.add(instance.hard());
      soft.add(instance.soft());
    }
    plans.add(dev.ordo.processor.writing.StartupPlan.of(app.type().getQualifiedName().toString(), names, read,
        hard, soft, kubernetes.startupTimeout(), kubernetes.componentTimeout()));
    return estimate;
  }

  /**
   * Warns (or, strict, fails) when the worst-case shutdown of an application does not fit in its
   * grace period: the one {@code @OrdoApplication(gracePeriod = ...)} declares, else the processor
   * option's. {@code app} is null for the components of a compilation without an application.
   */
  private void checkGracePeriod(TypeElement app, Kubernetes.Estimate estimate,
      java.util.Optional<java.time.Duration> declared) {
    java.util.Optional<java.time.Duration> grace = declared.isPresent() ? declared : kubernetes.gracePeriod();
    if (grace.isEmpty() || !estimate.exceeds(grace.get())) {
      return;
    }
    Kubernetes.Options o = estimate.options();
    String cap = estimate.capped()
        ? "; the shutdown budget (ordo.shutdown.timeout) cuts the drain and the stop phase, "
            + Kubernetes.format(estimate.needed()) + ", to " + Kubernetes.format(o.budget())
        : "";
    reporter.report(kubernetes.strict() ? Message.GRACE_PERIOD_STRICT : Message.GRACE_PERIOD,
        app == null ? null : Location.of(app),
        app == null ? "The application of this compilation" : app.getQualifiedName(),
        Kubernetes.format(estimate.worst()), Kubernetes.format(grace.get()), Kubernetes.format(o.margin()),
        Kubernetes.format(o.delay()), Kubernetes.format(o.drainTimeout()),
        Kubernetes.format(estimate.shutdown().total()), estimate.shutdown().describe(), cap,
        estimate.gracePeriodSeconds());
    if (kubernetes.strict()) {
      failed = true;
    }
  }

  /**
   * In the last round: {@code META-INF/ordo/kubernetes.yaml} for the applications assembled; for a
   * compilation that has none but is given {@code -Aordo.kubernetes.gracePeriod}, its components
   * are taken as the application.
   */
  private void writeKubernetes() throws IOException {
    if (estimates.isEmpty() && kubernetes.gracePeriod().isPresent() && !descriptors.isEmpty()) {
      List<ComponentDescriptor> order = Kubernetes.topological(new ArrayList<>(descriptors.values()));
      List<String> names = new ArrayList<>();
      order.forEach(c -> names.add(c.name().simpleName()));
      Kubernetes.Estimate estimate = Kubernetes.estimate("application", names, order,
          Kubernetes.dependencyIndices(order), kubernetes);
      estimates.add(estimate);
      checkGracePeriod(null, estimate, java.util.Optional.empty());
    }
    if (estimates.isEmpty() || failed) {
      return;
    }
    writeResource(processingEnv.getFiler(), Kubernetes.RESOURCE, Kubernetes.yaml(estimates),
        components.values().toArray(new Element[0]));
  }

  /** In the last round, the applications that waited for a type in vain. */
  private void reportWaitingApplications() {
    if (failed) {
      return; // the errors reported say why
    }
    for (TypeElement app : applications.values()) {
      guarded(app, () -> reporter.report(Message.UNRESOLVED_TYPE, Location.of(app), app.getQualifiedName(),
          "a constructor parameter or accessor type"));
      failed = true;
    }
    applications.clear();
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    Set<String> names = new LinkedHashSet<>();
    names.add(APPLICATION);
    // The @Generated on the code Ordo generates: claimed with Ordo's own, so that the round that
    // compiles that code draws no "No processor claimed" warning under -Xlint:all -Werror.
    names.add(GENERATED);
    // The container is listed too: a class whose @DependsOn is repeated carries only it.
    for (OrdoAnnotation annotation : OrdoAnnotation.values()) {
      names.add(annotation.qualifiedName());
    }
    return names;
  }

  @Override
  public Set<String> getSupportedOptions() {
    return Kubernetes.OPTIONS;
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    try {
      processRound(annotations, round);
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
        throw (VirtualMachineError) t;
      }
      reportInternalError(null, t);
    }
    // Claimed: Ordo's annotations (and the @Generated of its output) are Ordo's to process, and
    // -Xlint:all -Werror builds would fail on "No processor claimed any of these annotations"
    // otherwise. Later processors still run, and still find the annotated elements through the
    // round environment. @Inject and @Named are read but never claimed: Dagger needs @Inject.
    return true;
  }

  private void processRound(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    if (!round.processingOver()) {
      processComponents(annotations, round);
      processApplications(round);
      return;
    }
    reportUnresolved(); // no sources may be written now
    reportWaitingApplications();
    if (!failed) {
      guarded(null, this::writeKubernetes);
    }
    if ((!registries.isEmpty() || rewriteCarried) && !failed) {
      writeResources();
      if (!assembled) {
        checkModuleProvides(); // an assembly names its controllers itself: no registry needed
      }
    }
  }

  private void processComponents(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    int errorsBefore = reporter.errorCount();
    if (localComponentRule != null) {
      guarded(null, () -> localComponentRule.validate(round.getRootElements(), generated, reporter));
    }
    if (reporter.errorCount() > errorsBefore) {
      failed = true;
    }
    boolean firstRound = previous == null;
    if (firstRound) {
      previous = PreviousOutput.read(processingEnv.getFiler(), RegistryWriter.SERVICE_FILE, GraphJsonWriter.RESOURCE);
    }
    SortedMap<String, TypeElement> added = new TreeMap<>();
    for (TypeElement type : discover(annotations, round)) {
      String key = ComponentReader.nameOf(type).binaryName();
      if (components.containsKey(key)) {
        continue;
      }
      if (ComponentReader.hasUnresolvedTypes(type)) {
        deferred.add(type.getQualifiedName().toString());
      } else {
        added.put(key, type);
      }
    }
    // An interface or an annotation type is reported, and is no component: other rules, on it or
    // on the graph, would only add noise.
    added.values().removeIf(type -> {
      if (ComponentKindRule.isComponentKind(type)) {
        return false;
      }
      guarded(type, () -> componentKindRule.validate(type, reporter));
      failed = true;
      return true;
    });
    if (firstRound) {
      guarded(null, () -> carryOver(round, added));
    }
    if (added.isEmpty()) {
      if (firstRound && recompilesLostComponents(round)) {
        // An incremental compile of classes that were components and are none any more: what
        // depended on them is checked again, and the services entry, the graph and the catalog are
        // written again without them, as a full build would.
        rewriteCarried = true;
        RoundComponents roundComponents = new RoundComponents(components, new TreeSet<>(carried.keySet()));
        for (GraphRule rule : graphRules) {
          guarded(null, () -> rule.validate(roundComponents, reporter));
        }
        if (reporter.errorCount() > errorsBefore) {
          failed = true;
        }
      }
      return;
    }

    // 1. read
    SortedMap<String, ComponentDescriptor> read = new TreeMap<>();
    added.forEach((key, type) -> guarded(type, () -> read.put(key, reader.read(type))));
    // 2. validate each component
    added.forEach((key, type) -> componentRules.forEach(rule -> guarded(type, () -> rule.validate(type, reporter))));
    components.putAll(added);
    descriptors.putAll(read);
    // 3. validate the graph; in the first round, the edges of the components carried over from an
    // earlier compilation too, as they may lead into a class that changed (C no longer critical
    // while B, not recompiled, hard-depends on it)
    Set<String> checked = new TreeSet<>(added.keySet());
    if (firstRound) {
      checked.addAll(carried.keySet());
    }
    RoundComponents roundComponents = new RoundComponents(components, checked);
    for (GraphRule rule : graphRules) {
      guarded(added.get(added.firstKey()), () -> rule.validate(roundComponents, reporter));
    }
    if (reporter.errorCount() > errorsBefore) {
      failed = true;
    }
    if (failed) {
      return;
    }
    if (processingEnv.getElementUtils().getTypeElement("dev.ordo.runtime.LifecycleController") == null) {
      TypeElement first = added.get(added.firstKey());
      reporter.report(Message.RUNTIME_MISSING, Location.of(first), first.getQualifiedName());
      failed = true;
      return;
    }
    // 4. generate
    leaveOutGeneratedInNamedModule(added.get(added.firstKey()));
    Filer filer = processingEnv.getFiler();
    added.forEach((key, type) -> guarded(type, () -> writeSource(
        controllerWriter.write(read.get(key), type, auxiliaryClasses.isAuxiliary(type)), filer)));
    added.forEach((key, type) -> guarded(type, () -> {
      ComponentEvents declared = EventReader.read(type);
      if (!declared.isEmpty()) {
        events.put(key, declared);
        writeSource(eventsApiWriter.write(declared, type), filer); // Foo_Events
      }
    }));
    if (reporter.errorCount() > errorsBefore) {
      failed = true;
      return;
    }
    writeRegistry(read, added);
  }

  /**
   * The components an earlier compilation into this class output listed in its graph that this
   * compilation does not recompile, and that are still components with a controller: their
   * descriptors and events are read from their class files, so that the graph checks, the
   * services entry, the graph and the catalog cover the whole application after an incremental
   * compile. A class of this compilation is never carried: if it is no component any more, it is
   * gone from the graph (and a component that still depends on it is reported).
   */
  private void carryOver(RoundEnvironment round, SortedMap<String, TypeElement> added) {
    if (previous.components().isEmpty()) {
      return;
    }
    Elements elements = processingEnv.getElementUtils();
    Set<Element> roots = new HashSet<>(round.getRootElements());
    for (String binaryName : previous.components()) {
      if (components.containsKey(binaryName) || added.containsKey(binaryName)) {
        continue;
      }
      TypeElement type = elements.getTypeElement(binaryName.replace('$', '.'));
      if (type == null || !ComponentReader.nameOf(type).binaryName().equals(binaryName)
          || compiledNow(type, roots) || !ComponentReader.isComponent(type)
          || elements.getTypeElement(ControllerWriter.controllerName(ComponentReader.nameOf(type)).canonicalName()) == null) {
        continue; // deleted, recompiled, no component any more, or never generated
      }
      carried.put(binaryName, type);
    }
    carried.forEach((key, type) -> guarded(type, () -> {
      descriptors.put(key, reader.read(type));
      ComponentEvents declared = EventReader.read(type);
      if (!declared.isEmpty()) {
        events.put(key, declared);
      }
    }));
    components.putAll(carried);
  }

  /**
   * Whether this compilation recompiles a class that the earlier compilation's graph listed as a
   * component and that is none any more (it lost its last Ordo annotation).
   */
  private boolean recompilesLostComponents(RoundEnvironment round) {
    Elements elements = processingEnv.getElementUtils();
    Set<Element> roots = new HashSet<>(round.getRootElements());
    for (String binaryName : previous.components()) {
      if (carried.containsKey(binaryName) || components.containsKey(binaryName)) {
        continue;
      }
      TypeElement type = elements.getTypeElement(binaryName.replace('$', '.'));
      if (type != null && compiledNow(type, roots) && !ComponentReader.isComponent(type)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code type} is declared in a source file of this compilation. */
  private static boolean compiledNow(TypeElement type, Set<Element> roots) {
    for (Element e = type; e != null && e.getKind() != ElementKind.PACKAGE; e = e.getEnclosingElement()) {
      if (roots.contains(e)) {
        return true;
      }
    }
    return false;
  }

  /**
   * In the last round, the components still waiting for a type: javac reports why the type is
   * missing, this says which component was left out. Earlier rounds stay silent, as the type may
   * be generated yet.
   */
  private void reportUnresolved() {
    if (!deferred.isEmpty()) {
      failed = true; // the compilation is incomplete: no services entry names its registries
    }
    for (String name : deferred) {
      TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
      if (type != null) {
        guarded(type, () -> {
          Set<String> names = new LinkedHashSet<>(SourceTrees.available(processingEnv)
              ? new UnresolvedClassLiterals(processingEnv).of(type) : List.of());
          names.addAll(ComponentReader.unresolvedTypes(type));
          if (names.size() > 1) {
            names.remove("<error>");
          }
          reporter.report(Message.UNRESOLVED_TYPE, Location.of(type), type.getQualifiedName(),
              String.join(", ", names));
        });
      }
    }
    deferred.clear();
  }

  /**
   * The classes of this round that are components, or have been waiting for a later round.
   * {@code annotations} are the Ordo annotations present in the round (javac passes only those
   * this processor supports): a round of generated code carries none, and is not searched.
   */
  private Set<TypeElement> discover(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Elements elements = processingEnv.getElementUtils();
    Set<TypeElement> found = new LinkedHashSet<>();
    for (String name : deferred) {
      TypeElement type = elements.getTypeElement(name);
      if (type != null) {
        found.add(type);
      }
    }
    deferred.clear();
    for (TypeElement annotationType : annotations) {
      if (annotationType.getQualifiedName().contentEquals(APPLICATION)
          || annotationType.getQualifiedName().contentEquals(GENERATED)) {
        continue; // an application is no component (see processApplications), nor is generated code
      }
      for (Element element : round.getElementsAnnotatedWith(annotationType)) {
        Element type = element instanceof TypeElement ? element : element.getEnclosingElement();
        if (type instanceof TypeElement) {
          found.add((TypeElement) type);
        }
      }
    }
    return found;
  }

  /**
   * The registry of the components this round read, written with their controllers: a round of
   * its own would cost javac another pass over every tree of the compilation.
   */
  private void writeRegistry(SortedMap<String, ComponentDescriptor> read, SortedMap<String, TypeElement> added) {
    List<ComponentDescriptor> these = new ArrayList<>(read.values());
    List<TypeElement> originating = new ArrayList<>(added.values());
    guarded(null, () -> {
      ModuleElement module = processingEnv.getElementUtils().getModuleOf(originating.get(0));
      boolean named = module != null && !module.isUnnamed();
      // In a named module the first registry has a name that adding components does not change,
      // as module-info.java names it; a later round's (rare) keeps the name of its components.
      if (named && registries.isEmpty()) {
        // The module's registry has one name in every compilation, so this one replaces the
        // earlier compilation's: it must name the components carried over from it as well.
        carried.forEach((key, type) -> {
          if (module.equals(processingEnv.getElementUtils().getModuleOf(type)) && descriptors.containsKey(key)) {
            these.add(descriptors.get(key));
          }
        });
        these.sort(java.util.Comparator.comparing(d -> d.name().binaryName()));
      }
      // The classes of the components, for the registry's dispatcher to tell which hooks it can call.
      Map<String, TypeElement> types = new HashMap<>(carried);
      types.putAll(added);
      java.util.function.Predicate<TypeElement> ownController = auxiliaryClasses::isAuxiliary;
      JavaFile registry = named && registries.isEmpty()
          ? registryWriter.writeForModule(module.getQualifiedName().toString(), these, types, ownController, originating)
          : registryWriter.write(these, types, ownController, originating);
      writeSource(registry, processingEnv.getFiler());
      registries.add(ClassName.get(registry.packageName(), registry.typeSpec().name()).reflectionName());
      if (named) {
        registryModules.put(registries.get(registries.size() - 1), module);
      }
    });
  }

  /**
   * In the last round (only then may a module's directives be read: see
   * {@link #leaveOutGeneratedInNamedModule}): on the module path, {@code ServiceLoader} ignores {@code META-INF/services}
   * in named modules, so a module whose {@code module-info.java} does not provide its registries
   * would start without its components being found. Warns on the module declaration, with the line
   * to add.
   */
  private void checkModuleProvides() {
    Map<ModuleElement, List<String>> missing = new LinkedHashMap<>();
    registryModules.forEach((registry, module) -> {
      if (!provided(module).contains(registry)) {
        missing.computeIfAbsent(module, m -> new ArrayList<>()).add(registry);
      }
    });
    missing.forEach((module, names) -> guarded(null, () -> reporter.report(Message.MODULE_PROVIDES,
        Location.of(module), module.getQualifiedName(), String.join(", ", names))));
  }

  /** The implementations {@code module} provides of the runtime's {@code LifecycleRegistry}. */
  private static Set<String> provided(ModuleElement module) {
    Set<String> implementations = new HashSet<>();
    for (ModuleElement.ProvidesDirective provides : ElementFilter.providesIn(module.getDirectives())) {
      if (provides.getService().getQualifiedName().contentEquals(RegistryWriter.SERVICE)) {
        provides.getImplementations().forEach(type -> implementations.add(type.getQualifiedName().toString()));
      }
    }
    return implementations;
  }

  /**
   * In the last round, what covers the whole compilation: the {@code META-INF/services} entry
   * naming each registry, the graph and the event catalog. Resources, unlike sources, may be
   * written in the last round.
   */
  private void writeResources() {
    List<ComponentDescriptor> all = new ArrayList<>(descriptors.values());
    Element[] origin = components.values().toArray(new Element[0]);
    guarded(null, () -> {
      Filer filer = processingEnv.getFiler();
      writeResource(filer, RegistryWriter.SERVICE_FILE, String.join("\n", allRegistries()) + "\n", origin);
      writeResource(filer, GraphJsonWriter.RESOURCE, GraphJsonWriter.write(all), origin);
      List<dev.ordo.processor.writing.StartupPlan> startupPlans = plans.isEmpty() ? List.of(compilationPlan(all)) : sortedPlans();
      writeResource(filer, dev.ordo.processor.writing.StartupPlan.JSON_RESOURCE,
          dev.ordo.processor.writing.PlanJsonWriter.write(startupPlans), origin);
      writeResource(filer, dev.ordo.processor.writing.StartupPlan.MERMAID_RESOURCE,
          dev.ordo.processor.writing.PlanMermaidWriter.write(startupPlans), origin);
      String catalog = EventCatalogWriter.write(new ArrayList<>(events.values()));
      if (catalog != null) {
        writeResource(filer, EventCatalogWriter.RESOURCE, catalog, origin);
      }
    });
  }

  /**
   * The registries the services entry names: those of this compilation, then those an earlier
   * compilation into the same output listed that still exist (an incremental compile recompiles
   * only some components; the registries of the others stay valid).
   */
  private List<String> allRegistries() {
    List<String> all = new ArrayList<>(registries);
    if (previous != null) {
      Elements elements = processingEnv.getElementUtils();
      for (String name : previous.registries()) {
        if (!all.contains(name) && elements.getTypeElement(name.replace('$', '.')) != null) {
          all.add(name);
        }
      }
    }
    return all;
  }

  /** The plans of the applications, by name: the same output whatever order they were read in. */
  private List<dev.ordo.processor.writing.StartupPlan> sortedPlans() {
    List<dev.ordo.processor.writing.StartupPlan> sorted = new ArrayList<>(plans);
    sorted.sort(java.util.Comparator.comparing(dev.ordo.processor.writing.StartupPlan::application));
    return sorted;
  }

  /**
   * The startup plan of a compilation without an {@code @OrdoApplication}: its components, by
   * simple name (binary name where two share one), ordered by their {@code @DependsOn}.
   */
  private dev.ordo.processor.writing.StartupPlan compilationPlan(List<ComponentDescriptor> all) {
    List<ComponentDescriptor> order = Kubernetes.topological(all);
    Map<String, Integer> simple = new HashMap<>();
    order.forEach(c -> simple.merge(c.name().simpleName(), 1, Integer::sum));
    List<String> names = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      ComponentDescriptor c = order.get(i);
      names.add(simple.get(c.name().simpleName()) == 1 ? c.name().simpleName() : c.name().binaryName());
      index.put(c.name().binaryName(), i);
    }
    List<int[]> hard = new ArrayList<>();
    List<int[]> soft = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      int self = i;
      hard.add(order.get(i).hardDependencies().stream().map(index::get)
          .filter(d -> d != null && d < self).mapToInt(Integer::intValue).toArray());
      soft.add(order.get(i).softDependencies().stream().map(index::get)
          .filter(d -> d != null && d < self).mapToInt(Integer::intValue).toArray());
    }
    return dev.ordo.processor.writing.StartupPlan.of("application", names, order, hard, soft,
        kubernetes.startupTimeout(), kubernetes.componentTimeout());
  }

  private void writeSource(JavaFile file, Filer filer) throws IOException {
    generated.add(file.packageName().isEmpty() ? file.typeSpec().name()
        : file.packageName() + "." + file.typeSpec().name());
    String[] clashes = javaLangClashes(file.packageName());
    if (clashes.length > 0) {
      // The package declares a class named like one of java.lang (Object, String, Override...):
      // generated code must name java.lang's by its qualified name, or it would mean the package's.
      file = JavaFile.builder(file.packageName(), file.typeSpec().toBuilder().alwaysQualify(clashes).build())
          .skipJavaLangImports(true).build();
    }
    String text = file.toString();
    Set<String> javadocOnly = JavadocImports.of(text);
    if (!javadocOnly.isEmpty()) {
      // A class only the Javadoc names is written qualified there rather than imported: the
      // Eclipse compiler warns about an import that only Javadoc uses.
      Set<String> qualified = new TreeSet<>(javadocOnly);
      qualified.addAll(List.of(clashes));
      file = JavaFile.builder(file.packageName(),
              file.typeSpec().toBuilder().alwaysQualify(qualified.toArray(new String[0])).build())
          .skipJavaLangImports(true).build();
      text = file.toString();
    }
    String name = file.packageName().isEmpty() ? file.typeSpec().name() : file.packageName() + "." + file.typeSpec().name();
    Element[] origins = file.typeSpec().originatingElements().toArray(new Element[0]);
    JavaFileObject source;
    try {
      source = filer.createSourceFile(name, origins);
    } catch (FilerException refused) {
      // The Eclipse batch compiler refuses to create a source file for a type it finds on the
      // class path, as it does the previous build's class when an IDE or an incremental build
      // recompiles one file into the same output. When the file it wrote then is what would be
      // written now, that class is still right; otherwise the build must start clean.
      if (!text.equals(existingSource(filer, file))) {
        Element origin = origins.length > 0 ? origins[0] : null;
        reporter.report(Message.GENERATED_FILE_EXISTS,
            origin instanceof TypeElement ? Location.of((TypeElement) origin) : null, name,
            origin instanceof TypeElement ? ((TypeElement) origin).getQualifiedName() : name, refused.getMessage());
        failed = true;
      }
      return;
    }
    try (Writer writer = source.openWriter()) {
      writer.write(text);
    }
  }

  /** The text of the source file an earlier build generated for {@code file}, or null. */
  private static String existingSource(Filer filer, JavaFile file) {
    try {
      FileObject existing = filer.getResource(StandardLocation.SOURCE_OUTPUT, file.packageName(),
          file.typeSpec().name() + ".java");
      try (InputStream in = existing.openInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException | IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
      return null; // not there, or a filer that cannot read it: the file must be written
    }
  }

  /**
   * The simple names of the classes of {@code packageName} that java.lang has too; computed once
   * per package (a package of thousands of components is asked once per generated file).
   */
  private String[] javaLangClashes(String packageName) {
    return clashes.computeIfAbsent(packageName, name -> {
      Elements elements = processingEnv.getElementUtils();
      javax.lang.model.element.PackageElement pkg = name.isEmpty() ? null : elements.getPackageElement(name);
      if (pkg == null) {
        return new String[0];
      }
      if (javaLang == null) {
        javaLang = new HashSet<>();
        // java.lang's package element, through Object's: the Eclipse compiler finds none when asked
        // for the package by name (a package of a module).
        TypeElement object = elements.getTypeElement("java.lang.Object");
        if (object != null) {
          for (Element e : object.getEnclosingElement().getEnclosedElements()) {
            javaLang.add(e.getSimpleName().toString());
          }
        }
      }
      Set<String> found = new TreeSet<>();
      for (Element e : pkg.getEnclosedElements()) {
        String simple = e.getSimpleName().toString();
        if (e instanceof TypeElement && javaLang.contains(simple)) {
          found.add(simple);
        }
      }
      return found.toArray(new String[0]);
    });
  }

  private static void writeResource(Filer filer, String path, String text, Element[] origin)
      throws IOException {
    FileObject file = filer.createResource(StandardLocation.CLASS_OUTPUT, "", path, origin);
    try (Writer writer = new java.io.OutputStreamWriter(file.openOutputStream(), StandardCharsets.UTF_8)) {
      writer.write(text);
    }
  }

  /** A step that may fail; the failure is reported, never thrown. */
  private interface Step {
    void run() throws Exception;
  }

  private void guarded(TypeElement type, Step step) {
    try {
      step.run();
    } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
      reportInternalError(type, e);
    }
  }

  /**
   * The stack trace up to Ordo's {@code process()}: the frames of javac (and of the build tool)
   * below it are the same in every report. The causes are kept.
   */
  static String withoutCompilerFrames(String trace) {
    StringBuilder kept = new StringBuilder();
    boolean skipping = false;
    for (String line : trace.strip().split("\\R")) {
      if (skipping && line.startsWith("\tat ")) {
        continue;
      }
      skipping = line.startsWith("\tat " + OrdoProcessor.class.getName() + ".process(");
      kept.append(kept.length() == 0 ? "" : "\n").append(line);
      if (skipping) {
        kept.append("\n\t...");
      }
    }
    return kept.toString();
  }

  private void reportInternalError(TypeElement type, Throwable t) {
    StringWriter trace = new StringWriter();
    t.printStackTrace(new PrintWriter(trace));
    reporter.report(Message.INTERNAL_ERROR, type == null ? null : Location.of(type),
        type == null ? "this round" : type.getQualifiedName(), withoutCompilerFrames(trace.toString()));
    failed = true;
  }
}
