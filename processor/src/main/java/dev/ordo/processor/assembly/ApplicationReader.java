package dev.ordo.processor.assembly;

import dev.ordo.processor.ComponentReader;
import dev.ordo.processor.DependsOnDeclaration;
import dev.ordo.processor.assembly.Application.Accessor;
import dev.ordo.processor.assembly.Application.Argument;
import dev.ordo.processor.assembly.Application.ArgumentKind;
import dev.ordo.processor.assembly.Application.External;
import dev.ordo.processor.assembly.Application.Instance;
import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.OrdoAnnotation;
import dev.ordo.processor.base.Reporter;
import dev.ordo.processor.model.ComponentName;
import dev.ordo.processor.model.LifecycleGraph;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Resolves an {@code @OrdoApplication} into an {@link Application}: which components it holds
 * (every component of the compilation in the interface's package or below it, every one an
 * accessor names, and what they need, transitively, in other packages and jars too), how each is obtained, the edges, and a startup order. Every
 * mistake is reported on the element that makes it; the result is empty when any was.
 */
public final class ApplicationReader {
  private static final String ORDO = "dev.ordo.runtime.Ordo";
  /**
   * The generated builder's own methods, fields and the locals of its {@code build()}: no external
   * may take their names.
   */
  private static final Set<String> BUILDER_METHODS = Set.of("build", "without", "configure", "ordoBuilder", "leftOut",
      "assembly", "missing", "requestTracker", "instances", "builder");

  private final Elements elements;
  private final Types types;

  /** Reads with javac's utilities. */
  public ApplicationReader(ProcessingEnvironment env) {
    this.elements = env.getElementUtils();
    this.types = env.getTypeUtils();
  }

  /** Whether {@code type} mentions a type that is not resolved yet, so that reading it must wait. */
  public boolean waits(TypeElement app, Collection<TypeElement> components) {
    for (TypeElement component : components) {
      for (Injection.Parameter p : Injection.of(component).parameters()) {
        if (p.type().getKind() == TypeKind.ERROR && p.kind() != Injection.Kind.EVENTS) {
          return true;
        }
      }
    }
    for (ExecutableElement method : accessorMethods(app)) {
      if (method.getReturnType().getKind() == TypeKind.ERROR) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads {@code app}, whose compilation has the components {@code components} (binary name to
   * class), or reports why it cannot be assembled.
   */
  public Optional<Application> read(TypeElement app, Map<String, TypeElement> components, Reporter reporter) {
    int errors = reporter.errorCount();
    if (!checkKind(app, reporter)) {
      return Optional.empty();
    }
    // 1. The accessors.
    boolean ordoAccessor = false;
    List<ExecutableElement> accessorMethods = new ArrayList<>();
    for (ExecutableElement method : accessorMethods(app)) {
      Location at = locationOf(method, app);
      if (!method.getParameters().isEmpty() || !method.getTypeParameters().isEmpty()) {
        reporter.report(Message.ACCESSOR_PARAMETERS, at, describe(method), app.getQualifiedName());
        continue;
      }
      if (method.getSimpleName().contentEquals("ordo") && isType(method.getReturnType(), ORDO)) {
        ordoAccessor = true;
        continue;
      }
      if (accessedComponent(method) == null) {
        reporter.report(Message.ACCESSOR_NOT_COMPONENT, at, describe(method), method.getReturnType(),
            app.getQualifiedName());
        continue;
      }
      if (method.getSimpleName().contentEquals("ordo")) {
        reporter.report(Message.ACCESSOR_NOT_COMPONENT, at, describe(method), method.getReturnType(),
            app.getQualifiedName());
        continue;
      }
      accessorMethods.add(method);
    }

    // 2. The classes: the compilation's concrete components in the interface's package and its
    // subpackages, what accessors name, and what any of them needs, transitively.
    String appPackage = packageOf(app);
    Map<String, TypeElement> classes = new TreeMap<>();
    ArrayDeque<TypeElement> pending = new ArrayDeque<>();
    for (TypeElement c : components.values()) {
      String pkg = packageOf(c);
      boolean under = appPackage.isEmpty() || pkg.equals(appPackage) || pkg.startsWith(appPackage + ".");
      if (under && c.getKind() == ElementKind.CLASS && !c.getModifiers().contains(Modifier.ABSTRACT)) {
        pending.add(c);
      }
    }
    for (ExecutableElement method : accessorMethods) {
      pending.add(accessedComponent(method));
    }
    Map<String, Set<String>> qualifiers = new HashMap<>();
    while (!pending.isEmpty()) {
      TypeElement c = pending.poll();
      String binary = binaryName(c);
      if (classes.putIfAbsent(binary, c) != null) {
        continue;
      }
      for (Injection.Parameter p : Injection.of(c).edges()) {
        pending.add(p.component());
      }
      for (TypeElement target : dependsOnTargets(c).keySet()) {
        pending.add(target);
      }
    }
    for (TypeElement c : classes.values()) {
      if (constructs(c)) {
        for (Injection.Parameter p : Injection.of(c).edges()) {
          if (p.qualifier() != null && !p.qualifier().isEmpty()) {
            qualifiers.computeIfAbsent(binaryName(p.component()), k -> new TreeSet<>()).add(p.qualifier());
          }
        }
      }
    }
    for (ExecutableElement method : accessorMethods) {
      String q = Injection.named(method);
      if (q != null && !q.isEmpty()) {
        qualifiers.computeIfAbsent(binaryName(accessedComponent(method)), k -> new TreeSet<>()).add(q);
      }
    }

    // 3. The instances: one per class, or one per name where a parameter names them.
    List<Node> nodes = new ArrayList<>();
    Map<String, List<Node>> byClass = new HashMap<>();
    for (TypeElement c : classes.values()) {
      if (!nameable(c, appPackage)) {
        reporter.report(Message.COMPONENT_NOT_ACCESSIBLE, locationIn(c, components, app),
            c.getQualifiedName(), app.getQualifiedName(), appPackage.isEmpty() ? "the unnamed package" : appPackage);
        continue;
      }
      if (!components.containsKey(binaryName(c)) && controllerOf(c) == null) {
        reporter.report(Message.NO_CONTROLLER, Location.of(app), c.getQualifiedName(), app.getQualifiedName());
        continue;
      }
      Set<String> names = qualifiers.get(binaryName(c));
      List<String> keys = names == null ? Arrays.asList((String) null) : new ArrayList<>(names);
      for (String key : keys) {
        Node node = new Node(c, key);
        nodes.add(node);
        byClass.computeIfAbsent(binaryName(c), k -> new ArrayList<>()).add(node);
      }
    }
    if (reporter.errorCount() > errors) {
      return Optional.empty();
    }

    // 4. How each is obtained, and what its constructor is given.
    Map<String, ExternalDraft> externals = new LinkedHashMap<>();
    for (Node node : nodes) {
      TypeElement c = node.type;
      if (node.key == null && constructs(c) && Injection.of(c).constructor().isEmpty()) {
        reportAmbiguousConstructor(c, components, app, reporter);
        continue;
      }
      if (node.key != null || !constructs(c) || !accessible(c, Injection.of(c), appPackage)) {
        String setter = node.key != null ? camel(node.key) : lowerCamel(c.getSimpleName().toString());
        ExternalDraft draft = external(externals, setter, types.erasure(c.asType()), node.key,
            locationIn(c, components, app), reporter);
        if (draft != null) {
          draft.component = node;
          node.external = draft;
        }
        continue;
      }
      for (Injection.Parameter p : Injection.of(c).parameters()) {
        Location at = locationIn(p.element(), c, components, app);
        switch (p.kind()) {
          case COMPONENT:
          case OPTIONAL_COMPONENT: {
            Node target = resolve(byClass, p.component(), p.qualifier(), describe(p, c), at, reporter);
            if (target != null) {
              boolean optional = p.kind() == Injection.Kind.OPTIONAL_COMPONENT;
              node.arguments.add(new ArgDraft(optional ? ArgumentKind.OPTIONAL_COMPONENT : ArgumentKind.COMPONENT,
                  target, null, null));
              node.edge(target, !optional, true);
            }
            break;
          }
          case REQUEST_TRACKER:
            node.arguments.add(new ArgDraft(ArgumentKind.REQUEST_TRACKER, null, null, null));
            break;
          case EVENTS: {
            ComponentName events = eventsClass(p, c, classes);
            if (events == null) {
              reporter.report(Message.UNRESOLVED_TYPE, at, c.getQualifiedName(), p.type());
            } else {
              node.arguments.add(new ArgDraft(ArgumentKind.EVENTS, null, null, events));
            }
            break;
          }
          default: {
            String qualifier = p.qualifier() == null || p.qualifier().isEmpty() ? null : p.qualifier();
            if (qualifier == null && needsName(p.type())) {
              reporter.report(Message.EXTERNAL_NEEDS_NAME, at, describe(p, c), p.type(), app.getQualifiedName());
              break;
            }
            String setter = qualifier != null ? camel(qualifier) : lowerCamel(simpleNameOf(p.type()));
            ExternalDraft draft = external(externals, setter, p.type(), qualifier, at, reporter);
            if (draft != null) {
              draft.consumers.add(node);
              node.arguments.add(new ArgDraft(ArgumentKind.EXTERNAL, null, draft, null));
            }
          }
        }
      }
    }
    // @DependsOn, and for given instances the edges their class's constructor implies.
    for (Node node : nodes) {
      for (Map.Entry<TypeElement, Boolean> dependsOn : dependsOnTargets(node.type).entrySet()) {
        for (Node target : byClass.getOrDefault(binaryName(dependsOn.getKey()), List.of())) {
          node.edge(target, dependsOn.getValue(), false);
        }
      }
      if (node.external != null) {
        for (Injection.Parameter p : Injection.of(node.type).edges()) {
          List<Node> targets = byClass.getOrDefault(binaryName(p.component()), List.of());
          for (Node target : targets) {
            if (p.qualifier() == null || p.qualifier().isEmpty() || p.qualifier().equals(target.key)) {
              node.edge(target, p.kind() == Injection.Kind.COMPONENT, false);
            }
          }
        }
      }
    }
    // 5. Accessors.
    List<Accessor> accessors = new ArrayList<>();
    List<Node> accessed = new ArrayList<>();
    for (ExecutableElement method : accessorMethods) {
      Node target = resolve(byClass, accessedComponent(method), Injection.named(method), describe(method),
          locationOf(method, app), reporter);
      accessed.add(target);
    }
    if (reporter.errorCount() > errors) {
      return Optional.empty();
    }

    // 6. A startup order; a cycle of constructor arguments cannot even be built.
    List<Node> order = order(nodes, app, components, reporter);
    if (order == null) {
      return Optional.empty();
    }
    Map<Node, Integer> index = new HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      index.put(order.get(i), i);
    }
    Map<ExternalDraft, External> finished = new HashMap<>();
    List<ExternalDraft> sortedExternals = new ArrayList<>(externals.values());
    sortedExternals.sort((a, b) -> a.setter.compareTo(b.setter));
    List<External> externalList = new ArrayList<>();
    for (ExternalDraft d : sortedExternals) {
      List<Integer> consumers = new ArrayList<>(new TreeSet<>(d.consumers.stream().map(index::get).toList()));
      External e = new External(d.setter, d.type, d.qualifier, d.component == null ? -1 : index.get(d.component),
          consumers);
      finished.put(d, e);
      externalList.add(e);
    }
    Set<String> variables = new HashSet<>(BUILDER_METHODS);
    externals.keySet().forEach(variables::add);
    List<Instance> instances = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      Node node = order.get(i);
      List<Argument> arguments = new ArrayList<>();
      for (ArgDraft a : node.arguments) {
        arguments.add(new Argument(a.kind, a.instance == null ? -1 : index.get(a.instance),
            a.external == null ? null : finished.get(a.external), a.events));
      }
      String variable;
      if (node.external != null) {
        variable = node.external.setter;
      } else {
        variable = unique(lowerCamel(node.type.getSimpleName().toString()), variables);
      }
      instances.add(new Instance(i, node.type, ComponentReader.nameOf(node.type), node.key,
          OrdoAnnotation.CRITICAL.find(node.type).isPresent(),
          node.external == null ? null : finished.get(node.external), List.copyOf(arguments),
          indices(node.hard, index), indices(node.soft, index), variable));
    }
    for (int i = 0; i < accessorMethods.size(); i++) {
      ExecutableElement method = accessorMethods.get(i);
      accessors.add(new Accessor(method, index.get(accessed.get(i)), isType(method.getReturnType(), "java.util.Optional")));
    }
    // The checked exceptions of the constructors it calls: build() declares them.
    TypeMirror runtimeException = elements.getTypeElement("java.lang.RuntimeException").asType();
    TypeMirror error = elements.getTypeElement("java.lang.Error").asType();
    Map<String, TypeMirror> exceptions = new TreeMap<>();
    for (Node node : order) {
      if (node.external == null) {
        for (TypeMirror thrown : Injection.of(node.type).constructor().orElseThrow().getThrownTypes()) {
          if (!types.isAssignable(thrown, runtimeException) && !types.isAssignable(thrown, error)) {
            exceptions.putIfAbsent(thrown.toString(), thrown);
          }
        }
      }
    }
    return Optional.of(new Application(app, instances, externalList, accessors, ordoAccessor,
        List.copyOf(exceptions.values()), false, null));
  }

  // ---------------------------------------------------------------------------------------------

  /** One instance while the application is resolved. */
  private static final class Node {
    final TypeElement type;
    final String key;
    ExternalDraft external;
    final List<ArgDraft> arguments = new ArrayList<>();
    final Set<Node> hard = new LinkedHashSet<>();
    final Set<Node> soft = new LinkedHashSet<>();
    /** The edges along which the constructor needs the other instance. */
    final Set<Node> built = new LinkedHashSet<>();

    Node(TypeElement type, String key) {
      this.type = type;
      this.key = key;
    }

    void edge(Node target, boolean isHard, boolean byConstructor) {
      if (target == this) {
        return;
      }
      if (isHard) {
        hard.add(target);
        soft.remove(target);
      } else if (!hard.contains(target)) {
        soft.add(target);
      }
      if (byConstructor) {
        built.add(target);
      }
    }

    String sortKey() {
      return binaryName(type) + (key == null ? "" : "[" + key);
    }

    String display() {
      return type.getQualifiedName() + (key == null ? "" : "[" + key + "]");
    }
  }

  private record ArgDraft(ArgumentKind kind, Node instance, ExternalDraft external, ComponentName events) {}

  private static final class ExternalDraft {
    final String setter;
    final TypeMirror type;
    final String qualifier;
    Node component;
    final List<Node> consumers = new ArrayList<>();

    ExternalDraft(String setter, TypeMirror type, String qualifier) {
      this.setter = setter;
      this.type = type;
      this.qualifier = qualifier;
    }
  }

  private ExternalDraft external(Map<String, ExternalDraft> externals, String setter, TypeMirror type,
      String qualifier, Location at, Reporter reporter) {
    if (!SourceVersion.isIdentifier(setter) || SourceVersion.isKeyword(setter) || BUILDER_METHODS.contains(setter)) {
      reporter.report(Message.EXTERNAL_NAME_CLASH, at, type, setter,
          BUILDER_METHODS.contains(setter) ? "the builder's own " + setter
              : setter.isEmpty() ? "nothing: it has no letter or digit" : "the Java language (not a valid name)");
      return null;
    }
    ExternalDraft existing = externals.get(setter);
    if (existing == null) {
      ExternalDraft draft = new ExternalDraft(setter, type, qualifier);
      externals.put(setter, draft);
      return draft;
    }
    if (existing.component == null && types.isSameType(existing.type, type)) {
      return existing;
    }
    reporter.report(Message.EXTERNAL_NAME_CLASH, at, type, setter, "the external " + existing.type);
    return null;
  }

  private Node resolve(Map<String, List<Node>> byClass, TypeElement target, String qualifier, String what,
      Location at, Reporter reporter) {
    List<Node> candidates = byClass.getOrDefault(binaryName(target), List.of());
    if (qualifier != null && !qualifier.isEmpty()) {
      for (Node n : candidates) {
        if (qualifier.equals(n.key)) {
          return n;
        }
      }
      return null; // reported (not accessible, or no controller)
    }
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    if (candidates.size() > 1) {
      List<String> keys = new ArrayList<>();
      candidates.forEach(n -> keys.add("\"" + n.key + "\""));
      reporter.report(Message.AMBIGUOUS_COMPONENT, at, what, target.getQualifiedName(), candidates.size(),
          String.join(", ", keys));
    }
    return null;
  }

  /** A topological order, wave by wave, by name within a wave; null after reporting a cycle. */
  private List<Node> order(List<Node> nodes, TypeElement app, Map<String, TypeElement> components, Reporter reporter) {
    // A cycle of constructor arguments cannot be built, whatever kind its edges are.
    List<Node> cycle = cycle(nodes, n -> n.built);
    if (cycle != null) {
      StringBuilder path = new StringBuilder();
      for (int i = 0; i < cycle.size(); i++) {
        path.append(i == 0 ? "" : "\n").append("    ").append(cycle.get(i).display()).append(" takes ")
            .append(cycle.get((i + 1) % cycle.size()).display()).append(" in its constructor");
      }
      Node first = cycle.get(0);
      reporter.report(Message.CONSTRUCTOR_CYCLE, locationIn(first.type, components, app), path);
      return null;
    }
    // Optional edges inside a cycle yield, as at run time.
    Map<Node, Integer> scc = stronglyConnected(nodes);
    for (Node n : nodes) {
      n.soft.removeIf(t -> scc.get(t).equals(scc.get(n)) && !n.built.contains(t));
    }
    Map<Node, Integer> remaining = new HashMap<>();
    Map<Node, List<Node>> dependents = new HashMap<>();
    for (Node n : nodes) {
      remaining.put(n, n.hard.size() + n.soft.size());
      for (Node d : n.hard) {
        dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(n);
      }
      for (Node d : n.soft) {
        dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(n);
      }
    }
    // In waves: every component whose dependencies are all in earlier waves, sorted by name.
    List<Node> wave = new ArrayList<>();
    for (Node n : nodes) {
      if (remaining.get(n) == 0) {
        wave.add(n);
      }
    }
    List<Node> order = new ArrayList<>();
    while (!wave.isEmpty()) {
      wave.sort((a, b) -> a.sortKey().compareTo(b.sortKey()));
      order.addAll(wave);
      List<Node> next = new ArrayList<>();
      for (Node n : wave) {
        for (Node d : dependents.getOrDefault(n, List.of())) {
          if (remaining.merge(d, -1, Integer::sum) == 0) {
            next.add(d);
          }
        }
      }
      wave = next;
    }
    if (order.size() < nodes.size()) {
      // A cycle of hard edges: [Ordo/DependencyCycle] reports it on the components.
      return null;
    }
    return order;
  }

  private static List<Node> cycle(List<Node> nodes, java.util.function.Function<Node, Set<Node>> edges) {
    Map<Node, Integer> state = new HashMap<>(); // 1 on the stack, 2 done
    List<Node> sorted = new ArrayList<>(nodes);
    sorted.sort((a, b) -> a.sortKey().compareTo(b.sortKey()));
    for (Node root : sorted) {
      if (state.containsKey(root)) {
        continue;
      }
      ArrayDeque<Node> stack = new ArrayDeque<>();
      ArrayDeque<java.util.Iterator<Node>> iterators = new ArrayDeque<>();
      stack.push(root);
      iterators.push(edges.apply(root).iterator());
      state.put(root, 1);
      while (!stack.isEmpty()) {
        java.util.Iterator<Node> it = iterators.peek();
        if (it.hasNext()) {
          Node next = it.next();
          Integer s = state.get(next);
          if (s == null) {
            state.put(next, 1);
            stack.push(next);
            iterators.push(edges.apply(next).iterator());
          } else if (s == 1) {
            List<Node> path = new ArrayList<>(stack);
            java.util.Collections.reverse(path);
            return path.subList(path.indexOf(next), path.size());
          }
        } else {
          state.put(stack.pop(), 2);
          iterators.pop();
        }
      }
    }
    return null;
  }

  /** Each node's strongly connected component, by the processor's one SCC implementation. */
  private static Map<Node, Integer> stronglyConnected(List<Node> nodes) {
    Map<String, Node> byKey = new HashMap<>();
    LifecycleGraph.Builder graph = LifecycleGraph.builder();
    for (Node n : nodes) {
      byKey.put(n.sortKey(), n);
      graph.addNode(n.sortKey());
      for (Node d : n.hard) {
        graph.addEdge(n.sortKey(), d.sortKey());
      }
      for (Node d : n.soft) {
        graph.addEdge(n.sortKey(), d.sortKey());
      }
    }
    Map<Node, Integer> id = new HashMap<>();
    List<List<String>> components = graph.build().stronglyConnectedComponents();
    for (int i = 0; i < components.size(); i++) {
      for (String member : components.get(i)) {
        id.put(byKey.get(member), i);
      }
    }
    return id;
  }

  private static int[] indices(Set<Node> nodes, Map<Node, Integer> index) {
    return nodes.stream().mapToInt(index::get).sorted().toArray();
  }

  private boolean checkKind(TypeElement app, Reporter reporter) {
    if (app.getKind() != ElementKind.INTERFACE) {
      String kind = app.getKind() == ElementKind.ANNOTATION_TYPE ? "an annotation type"
          : app.getKind() == ElementKind.ENUM ? "an enum"
          : app.getKind() == ElementKind.RECORD ? "a record" : "a class";
      reporter.report(Message.APPLICATION_KIND, Location.of(app), app.getQualifiedName(), kind,
          "Ordo" + ComponentReader.nameOf(app).flatName());
      return false;
    }
    if (!app.getTypeParameters().isEmpty()) {
      reporter.report(Message.APPLICATION_TYPE_PARAMETERS, Location.of(app), app.getQualifiedName());
      return false;
    }
    for (Element e = app; e.getKind() != ElementKind.PACKAGE; e = e.getEnclosingElement()) {
      if (e.getModifiers().contains(Modifier.PRIVATE)) {
        reporter.report(Message.APPLICATION_KIND, Location.of(app), app.getQualifiedName(),
            "a private interface", "Ordo" + ComponentReader.nameOf(app).flatName());
        return false;
      }
    }
    return true;
  }

  /** The interface's abstract methods, its own and inherited, in declaration order. */
  private List<ExecutableElement> accessorMethods(TypeElement app) {
    List<ExecutableElement> methods = new ArrayList<>();
    for (ExecutableElement m : ElementFilter.methodsIn(elements.getAllMembers(app))) {
      if (m.getModifiers().contains(Modifier.ABSTRACT)
          && m.getEnclosingElement().getKind() == ElementKind.INTERFACE) {
        methods.add(m);
      }
    }
    return methods;
  }

  /** The component an accessor returns (unwrapping {@code Optional}), or null when it returns none. */
  private static TypeElement accessedComponent(ExecutableElement method) {
    TypeMirror type = method.getReturnType();
    if (type.getKind() != TypeKind.DECLARED) {
      return null;
    }
    DeclaredType declared = (DeclaredType) type;
    TypeElement element = (TypeElement) declared.asElement();
    if (element.getQualifiedName().contentEquals("java.util.Optional") && declared.getTypeArguments().size() == 1
        && declared.getTypeArguments().get(0).getKind() == TypeKind.DECLARED) {
      declared = (DeclaredType) declared.getTypeArguments().get(0);
      element = (TypeElement) declared.asElement();
    }
    // The assembly holds a generic component as Foo<?, ...>: an accessor may return that, not Foo<String>.
    for (TypeMirror argument : declared.getTypeArguments()) {
      if (argument.getKind() != TypeKind.WILDCARD || ((javax.lang.model.type.WildcardType) argument).getExtendsBound() != null
          || ((javax.lang.model.type.WildcardType) argument).getSuperBound() != null) {
        return null;
      }
    }
    return Injection.isComponentClass(element) ? element : null;
  }

  /** What {@code c}'s {@code @DependsOn} names, with whether each edge is hard. */
  private Map<TypeElement, Boolean> dependsOnTargets(TypeElement c) {
    Map<TypeElement, Boolean> targets = new LinkedHashMap<>();
    for (DependsOnDeclaration d : DependsOnDeclaration.of(c)) {
      if (d.resolved() && d.target().getKind() == TypeKind.DECLARED) {
        TypeElement t = (TypeElement) ((DeclaredType) d.target()).asElement();
        if (Injection.isComponentClass(t) && !t.equals(c)) {
          targets.merge(t, !d.optional(), Boolean::logicalOr);
        }
      }
    }
    return targets;
  }

  /** Whether the assembly may call a constructor of {@code c} at all. */
  private static boolean constructs(TypeElement c) {
    return !c.getModifiers().contains(Modifier.ABSTRACT)
        && (c.getNestingKind() == javax.lang.model.element.NestingKind.TOP_LEVEL
            || c.getModifiers().contains(Modifier.STATIC));
  }

  /** Whether the chosen constructor of {@code c} can be called from the generated class's package. */
  private static boolean accessible(TypeElement c, Injection injection, String appPackage) {
    ExecutableElement constructor = injection.constructor().orElse(null);
    if (constructor == null) {
      return true; // ambiguous: reported by the caller
    }
    if (constructor.getModifiers().contains(Modifier.PRIVATE)) {
      return false;
    }
    if (constructor.getModifiers().contains(Modifier.PUBLIC)) {
      return true;
    }
    return packageOf(c).equals(appPackage);
  }

  /** Whether the generated class (in {@code appPackage}) can name {@code c}. */
  private static boolean nameable(TypeElement c, String appPackage) {
    boolean samePackage = packageOf(c).equals(appPackage);
    for (Element e = c; e.getKind() != ElementKind.PACKAGE; e = e.getEnclosingElement()) {
      Set<Modifier> m = e.getModifiers();
      if (m.contains(Modifier.PRIVATE) || (!m.contains(Modifier.PUBLIC) && !samePackage)) {
        return false;
      }
    }
    return true;
  }

  private TypeElement controllerOf(TypeElement c) {
    ComponentName name = ComponentReader.nameOf(c);
    String controller = (name.packageName().isEmpty() ? "" : name.packageName() + ".") + name.flatName() + "_Lifecycle";
    return elements.getTypeElement(controller);
  }

  private void reportAmbiguousConstructor(TypeElement c, Map<String, TypeElement> components, TypeElement app,
      Reporter reporter) {
    List<ExecutableElement> candidates = Injection.of(c).candidates();
    List<String> shown = new ArrayList<>();
    for (ExecutableElement e : candidates) {
      shown.add(describe(e));
    }
    boolean injected = candidates.size() < ElementFilter.constructorsIn(c.getEnclosedElements()).size()
        || candidates.stream().anyMatch(e -> e.getAnnotationMirrors().stream()
            .anyMatch(m -> m.getAnnotationType().toString().endsWith(".Inject")));
    reporter.report(Message.AMBIGUOUS_CONSTRUCTOR, locationIn(c, components, app), c.getQualifiedName(),
        candidates.size(), injected ? "@Inject on more than one" : "none annotated @Inject",
        String.join(", ", shown), app.getQualifiedName());
  }

  /** The events class a parameter names, among the components' events classes. */
  private static ComponentName eventsClass(Injection.Parameter p, TypeElement declaring, Map<String, TypeElement> classes) {
    String written = p.eventsName();
    String simple = written.substring(written.lastIndexOf('.') + 1);
    ComponentName match = null;
    for (TypeElement c : classes.values()) {
      ComponentName name = ComponentReader.nameOf(c);
      if ((name.flatName() + "_Events").equals(simple)) {
        String qualified = (name.packageName().isEmpty() ? "" : name.packageName() + ".") + simple;
        if (written.equals(qualified) || written.equals(simple)) {
          ComponentName events = ComponentName.of(name.packageName(), simple);
          if (match == null || name.packageName().equals(packageOf(declaring))) {
            match = events;
          }
        }
      }
    }
    return match;
  }

  /** Whether an external of {@code type} needs a {@code @Named} to say what it is. */
  private static boolean needsName(TypeMirror type) {
    if (type.getKind() != TypeKind.DECLARED) {
      return true; // a primitive, an array, a type variable
    }
    DeclaredType declared = (DeclaredType) type;
    if (!declared.getTypeArguments().isEmpty()) {
      return true;
    }
    TypeElement element = (TypeElement) declared.asElement();
    Element p = element.getEnclosingElement();
    while (p.getKind() != ElementKind.PACKAGE) {
      p = p.getEnclosingElement();
    }
    String pkg = ((PackageElement) p).getQualifiedName().toString();
    // String, Integer, Duration, Path...: a value of the platform says nothing of what it is for.
    return pkg.startsWith("java.") || pkg.startsWith("javax.");
  }

  private static String simpleNameOf(TypeMirror type) {
    if (type.getKind() == TypeKind.DECLARED) {
      return ((DeclaredType) type).asElement().getSimpleName().toString();
    }
    return type.toString();
  }

  private static boolean isType(TypeMirror type, String name) {
    return type.getKind() == TypeKind.DECLARED
        && ((TypeElement) ((DeclaredType) type).asElement()).getQualifiedName().contentEquals(name);
  }

  static String binaryName(TypeElement type) {
    return ComponentReader.nameOf(type).binaryName();
  }

  private static String packageOf(TypeElement type) {
    return ComponentReader.nameOf(type).packageName();
  }

  /** {@code OrderStore} to {@code orderStore}; {@code URLs} to {@code urls}. */
  static String lowerCamel(String simpleName) {
    int upper = 0;
    while (upper < simpleName.length() && Character.isUpperCase(simpleName.charAt(upper))) {
      upper++;
    }
    if (upper == 0) {
      return simpleName;
    }
    int cut = upper == 1 || upper == simpleName.length() ? upper : upper - 1;
    return simpleName.substring(0, cut).toLowerCase(Locale.ROOT) + simpleName.substring(cut);
  }

  /** A qualifier such as {@code orders-db} or {@code orders.db} to {@code ordersDb}. */
  static String camel(String qualifier) {
    StringBuilder s = new StringBuilder();
    boolean up = false;
    for (int i = 0; i < qualifier.length(); i++) {
      char ch = qualifier.charAt(i);
      if (!Character.isLetterOrDigit(ch)) {
        up = s.length() > 0;
        continue;
      }
      s.append(up ? Character.toUpperCase(ch) : s.length() == 0 ? Character.toLowerCase(ch) : ch);
      up = false;
    }
    return s.toString();
  }

  private static String unique(String name, Set<String> taken) {
    String candidate = SourceVersion.isKeyword(name) ? name + "_" : name;
    int n = 2;
    String base = candidate;
    while (!taken.add(candidate)) {
      candidate = base + n++;
    }
    return candidate;
  }

  private static String describe(ExecutableElement method) {
    StringBuilder s = new StringBuilder();
    Element owner = method.getEnclosingElement();
    s.append(owner instanceof TypeElement ? ((TypeElement) owner).getQualifiedName() : owner.getSimpleName());
    if (method.getKind() != ElementKind.CONSTRUCTOR) {
      s.append('.').append(method.getSimpleName());
    }
    s.append('(');
    for (int i = 0; i < method.getParameters().size(); i++) {
      s.append(i == 0 ? "" : ", ").append(method.getParameters().get(i).asType());
    }
    return s.append(')').toString();
  }

  private static String describe(Injection.Parameter p, TypeElement c) {
    return "The constructor of " + c.getQualifiedName() + " (parameter " + p.element().getSimpleName() + ")";
  }

  private static Location locationOf(ExecutableElement method, TypeElement app) {
    return method.getEnclosingElement().equals(app) ? Location.of(method) : Location.of(app);
  }

  /** On {@code c} when this compilation declares it, else on the application. */
  private static Location locationIn(TypeElement c, Map<String, TypeElement> components, TypeElement app) {
    return components.containsKey(binaryName(c)) ? Location.of(c) : Location.of(app);
  }

  private static Location locationIn(Element e, TypeElement c, Map<String, TypeElement> components, TypeElement app) {
    return components.containsKey(binaryName(c)) ? Location.of(e) : Location.of(app);
  }
}
