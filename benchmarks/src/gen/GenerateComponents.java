import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes the component sources the benchmarks run: distinct classes per system (Ordo, Guava,
 * Spring, avaje-inject, the hand-written floor), a dependency chain, a seeded random DAG, and the
 * sources of the processor scenario. Run with the JDK's source launcher, without compiling it
 * first (Maven does so in generate-sources; run.sh does so for the processor scenario):
 *
 * <pre>
 * java GenerateComponents.java build OUT_DIR N [SELF [CLASSES]]  # the sets the module compiles
 * java GenerateComponents.java processor OUT_DIR COUNT  # ordo/ and avaje/ trees for javac timing
 * </pre>
 *
 * Everything is deterministic: the same arguments write the same bytes.
 */
public final class GenerateComponents {
  /** Statements per generated method: far below the JVM's 64 KiB method limit. */
  private static final int CHUNK = 500;
  static final int DAG_SIZE = 200;
  static final int DAG_LEVELS = 10;
  static final int DAG_EDGES = 400;
  static final long DAG_SEED = 20240607L;
  static final int[] AVAJE_SIZES = {100, 1000, 10000};

  /**
   * Ordo components per compilation: the large Ordo sets are compiled in units of this size, each
   * with its own registry, as a multi-jar application would be. (The processor's registry once was
   * one switch that javac rejected past about 2,000 components; it now splits itself, so this is a
   * choice of the benchmark, not a limit.)
   */
  static final int UNIT = 1000;

  private final Path out;

  private GenerateComponents(Path out) {
    this.out = out;
  }

  /** Where the Ordo units' sources go: beside the main generated sources. */
  private Path units() {
    return out.resolveSibling(out.getFileName() + "-ordo-units");
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      System.err.println("usage: GenerateComponents (build|processor) OUT_DIR N [GENERATOR_SOURCE]");
      System.exit(2);
    }
    if (args[0].equals("compile-units")) {
      // compile-units UNITS_SRC UNITS_OUT CLASSPATH: each unit with the Ordo processor, in order.
      compileUnits(Path.of(args[1]), Path.of(args[2]), args[3]);
      return;
    }
    Path out = Path.of(args[1]);
    int n = Integer.parseInt(args[2]);
    GenerateComponents g = new GenerateComponents(out);
    long began = System.nanoTime();
    int files;
    if (args[0].equals("build")) {
      files = g.build(n, args.length > 3 ? Files.readString(Path.of(args[3])) : "");
      if (files > 0 && args.length > 4) {
        // Classes compiled from the previous sources (and service files that processors merge
        // into) must not outlive them.
        Path classes = Path.of(args[4]);
        deleteTree(classes);
        // avaje's generator also keeps what earlier compilations provided beside the classes, and
        // reads it back: a module of an earlier build would still be named in its service file.
        for (String kept : new String[] {"avaje-module-dependencies.csv", "avaje-plugins.csv"}) {
          Files.deleteIfExists(classes.resolveSibling(kept));
        }
      }
    } else if (args[0].equals("processor")) {
      files = g.processorSources(n);
    } else {
      throw new IllegalArgumentException(args[0]);
    }
    System.out.printf("GenerateComponents: %d files in %s (%d ms)%n",
        files, out, (System.nanoTime() - began) / 1_000_000);
  }

  private int written;

  private int build(int n, String generatorSource) {
    // Up to date when the marker names the same size and the same generator.
    Path marker = out.resolve("dev/ordo/bench/gen/Sizes.java");
    String sizes = "// generator " + Integer.toHexString(generatorSource.hashCode()) + "\n" + sizesSource(n);
    try {
      if (Files.exists(marker) && Files.readString(marker).equals(sizes)) {
        return 0;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    deleteTree(out);
    deleteTree(units());
    flatOrdo(n);
    flatGuava(n);
    flatSpring(n);
    for (int size : AVAJE_SIZES) {
      if (size <= n) {
        flatAvaje(size);
      }
    }
    flatFloor(n);
    processAssembly(n);
    chainOrdo(n);
    dag();
    // Last: its presence says the generation completed.
    write(marker, sizes);
    return written;
  }

  private static String sizesSource(int n) {
    StringBuilder avaje = new StringBuilder();
    for (int size : AVAJE_SIZES) {
      if (size <= n) {
        avaje.append(avaje.length() == 0 ? "" : ", ").append(size);
      }
    }
    return "package dev.ordo.bench.gen;\n\n"
        + "/** How many components of each kind the build generated. */\n"
        + "public final class Sizes {\n"
        + "  /** Flat sets and the chain hold this many distinct classes per system. */\n"
        + "  public static final int COMPONENTS = " + n + ";\n"
        + "  /** The avaje-inject flat scopes compiled (one module per size). */\n"
        + "  public static final int[] AVAJE = {" + avaje + "};\n"
        + "  /** Ordo components per compilation unit (and per generated registry). */\n"
        + "  public static final int UNIT = " + UNIT + ";\n"
        + "  /** Components of the random DAG. */\n"
        + "  public static final int DAG = " + DAG_SIZE + ";\n\n"
        + "  private Sizes() {}\n"
        + "}\n";
  }

  // ---- flat sets -------------------------------------------------------------------------

  private void flatOrdo(int n) {
    String pkg = "dev.ordo.bench.flat.ordo";
    for (int unit = 0; unit * UNIT < n; unit++) {
      GenerateComponents tree = unitTree("flat", unit);
      int from = unit * UNIT;
      int to = Math.min(n, from + UNIT);
      for (int i = from; i < to; i++) {
        String c = name("O", i);
        tree.write(pkg, c, "package " + pkg + ";\n\n"
            + "import dev.ordo.OnShutdown;\nimport dev.ordo.OnStartup;\n\n"
            + "public final class " + c + " {\n"
            + "  public boolean running;\n\n"
            + "  @OnStartup\n  void start() {\n    running = true;\n  }\n\n"
            + "  @OnShutdown\n  void stop() {\n    running = false;\n  }\n"
            + "}\n");
      }
      tree.unitFactory(pkg, "OrdoFlat", "O", from, to, true);
      if (unit == 0) {
        // Scenario 5's main: in this unit, so that it calls the factory directly.
        tree.write(pkg, "OrdoProcessMain", "package " + pkg + ";\n\n"
            + "import dev.ordo.runtime.Ordo;\n\n"
            + "/** A whole process: wire and start N components, say RUNNING, stop, exit. */\n"
            + "public final class OrdoProcessMain {\n"
            + "  private OrdoProcessMain() {}\n\n"
            + "  public static void main(String[] args) {\n"
            + "    int n = Integer.parseInt(args[0]);\n"
            + "    Object[] components = new Object[n];\n"
            + "    OrdoFlat_Unit00.create(components, n);\n"
            + "    Ordo.Builder builder = Ordo.builder();\n"
            + "    for (Object c : components) {\n"
            + "      builder.component(c);\n"
            + "    }\n"
            + "    Ordo app = builder.build();\n"
            + "    app.start();\n"
            + "    System.out.println(\"RUNNING \" + app.state());\n"
            + "    System.out.flush();\n"
            + "    app.stop();\n"
            + "  }\n"
            + "}\n");
      }
    }
  }

  /**
   * Scenario 5's two Ordo paths over the same classes: a unit of its own ({@code process-00},
   * package {@code dev.ordo.bench.assembly}) holding exactly min(n, UNIT) no-op components (the
   * process scenario's N), an {@code @OrdoApplication} interface, whose generated
   * {@code OrdoProcessApp} constructs every component of the compilation in its package, and
   * mains: the registry path ({@code Ordo.builder().components(...)}), the assembly, and a
   * hand-made prototype of an assembly without a class per component. A package of its own,
   * because the assembly takes every component of its package in the compilation.
   */
  private void processAssembly(int n) {
    String pkg = "dev.ordo.bench.assembly";
    int size = Math.min(n, UNIT);
    GenerateComponents tree = unitTree("process", 0);
    for (int i = 0; i < size; i++) {
      String c = name("Q", i);
      tree.write(pkg, c, "package " + pkg + ";\n\n"
          + "import dev.ordo.OnShutdown;\nimport dev.ordo.OnStartup;\n\n"
          + "public final class " + c + " {\n"
          + "  public boolean running;\n\n"
          + "  @OnStartup\n  void start() {\n    running = true;\n  }\n\n"
          + "  @OnShutdown\n  void stop() {\n    running = false;\n  }\n"
          + "}\n");
    }
    tree.unitFactory(pkg, "OrdoProcess", "Q", 0, size, false);
    tree.write(pkg, "ProcessApp", "package " + pkg + ";\n\n"
        + "import dev.ordo.OrdoApplication;\n\n"
        + "/** The " + size + " components of this package, wired by the compiler ({@code OrdoProcessApp}). */\n"
        + "@OrdoApplication\n"
        + "public interface ProcessApp {}\n");
    // Both mains: the same protocol as the other process mains (N in args[0]). After the stop, exit
    // status 3 if the application did not hold N components: a wrong count is never reported.
    String check = "    if (app.components().size() != n) {\n"
        + "      System.err.println(\"expected \" + n + \" components, got \" + app.components().size());\n"
        + "      System.exit(3);\n"
        + "    }\n";
    String run = "    app.start();\n"
        + "    System.out.println(\"RUNNING\");\n"
        + "    System.out.flush();\n"
        + "    app.stop();\n";
    tree.write(pkg, "ComponentsProcessMain", "package " + pkg + ";\n\n"
        + "import dev.ordo.runtime.Ordo;\n\n"
        + "/** A whole process, the registry path: {@code Ordo.builder().components(...)} of N instances. */\n"
        + "public final class ComponentsProcessMain {\n"
        + "  private ComponentsProcessMain() {}\n\n"
        + "  public static void main(String[] args) {\n"
        + "    int n = Integer.parseInt(args[0]);\n"
        + "    Object[] components = new Object[n];\n"
        + "    OrdoProcess_Unit00.create(components, n);\n"
        + "    Ordo app = Ordo.builder().components(components).build();\n"
        + run + check
        + "  }\n"
        + "}\n");
    tree.write(pkg, "AssemblyProcessMain", "package " + pkg + ";\n\n"
        + "import dev.ordo.runtime.Ordo;\n\n"
        + "/** A whole process, the compile-time assembly: {@code OrdoProcessApp.builder().build()}. */\n"
        + "public final class AssemblyProcessMain {\n"
        + "  private AssemblyProcessMain() {}\n\n"
        + "  public static void main(String[] args) {\n"
        + "    int n = Integer.parseInt(args[0]);\n"
        + "    Ordo app = OrdoProcessApp.builder().build().ordo();\n"
        + run + check
        + "  }\n"
        + "}\n");
    prototypeAssembly(tree, pkg, size);
    tree.write(pkg, "PrototypeProcessMain", "package " + pkg + ";\n\n"
        + "import dev.ordo.runtime.Ordo;\n\n"
        + "/** A whole process, the prototype assembly without a controller class per component. */\n"
        + "public final class PrototypeProcessMain {\n"
        + "  private PrototypeProcessMain() {}\n\n"
        + "  public static void main(String[] args) {\n"
        + "    int n = Integer.parseInt(args[0]);\n"
        + "    Ordo app = PrototypeAssembly.build();\n"
        + run + check
        + "  }\n"
        + "}\n");
  }

  /**
   * Not Ordo's generated code: a hand-made prototype of what an assembly could be without a
   * generated controller class per component, over the same classes and the same public API
   * ({@code AssemblyPlan}, {@code Ordo.Builder#assemble}, {@code Assembly#add}). One controller
   * class for all components calls the hooks through a {@code switch} on the component's index, and
   * each descriptor is built from data where the component is constructed (what a
   * {@code Foo_Lifecycle}'s static initializer does). The process scenario measures it beside the
   * real assembly, to show what the 1,000 {@code Foo_Lifecycle} classes cost.
   */
  private void prototypeAssembly(GenerateComponents tree, String pkg, int size) {
    int part = 200;
    int parts = (size + part - 1) / part;
    StringBuilder s = new StringBuilder("package " + pkg + ";\n\n"
        + "import dev.ordo.runtime.AssemblyPlan;\n"
        + "import dev.ordo.runtime.ComponentDescriptor;\n"
        + "import dev.ordo.runtime.LifecycleContext;\n"
        + "import dev.ordo.runtime.LifecycleController;\n"
        + "import dev.ordo.runtime.Ordo;\n"
        + "import java.util.List;\n"
        + "import java.util.concurrent.CompletionStage;\n\n"
        + "/**\n"
        + " * Not generated by Ordo: a prototype of an assembly with one controller class for every component\n"
        + " * (hooks called through a switch on the index) instead of a Foo_Lifecycle class per component.\n"
        + " */\n"
        + "public final class PrototypeAssembly {\n"
        + "  private static final int[] NONE = {};\n\n"
        + "  private PrototypeAssembly() {}\n\n"
        + "  /** The controller of every component: its hooks by index. */\n"
        + "  static final class Controller extends LifecycleController<Object> {\n"
        + "    private final int index;\n\n"
        + "    Controller(ComponentDescriptor descriptor, Object component, int index) {\n"
        + "      super(descriptor, component);\n"
        + "      this.index = index;\n"
        + "    }\n\n"
        + "    @Override\n"
        + "    public CompletionStage<?> start(LifecycleContext context) {\n"
        + "      hook(index, component(), true);\n"
        + "      return COMPLETED;\n"
        + "    }\n\n"
        + "    @Override\n"
        + "    public CompletionStage<?> stop(LifecycleContext context) {\n"
        + "      hook(index, component(), false);\n"
        + "      return COMPLETED;\n"
        + "    }\n"
        + "  }\n\n"
        + "  static ComponentDescriptor descriptor(Class<?> type) {\n"
        + "    return ComponentDescriptor.builder(type).onStartup(\"start\", null).onShutdown(\"stop\", null).build();\n"
        + "  }\n\n"
        + "  static void hook(int index, Object component, boolean start) {\n"
        + "    switch (index / " + part + ") {\n");
    for (int p = 0; p < parts; p++) {
      s.append("      case ").append(p).append(":\n        Part").append(p).append(".hook(index, component, start);\n")
          .append("        return;\n");
    }
    s.append("      default:\n        throw new IllegalArgumentException(\"no component #\" + index);\n    }\n  }\n\n"
        + "  public static Ordo build() {\n"
        + "    Class<?>[] types = new Class<?>[" + size + "];\n"
        + "    int[][] hard = new int[" + size + "][];\n"
        + "    int[][] soft = new int[" + size + "][];\n");
    for (int p = 0; p < parts; p++) {
      s.append("    Part").append(p).append(".plan(types, hard, soft);\n");
    }
    s.append("    AssemblyPlan plan = new AssemblyPlan(\"" + pkg + ".ProcessApp\", types, new String[" + size + "],"
        + " new boolean[" + size + "], hard, soft);\n"
        + "    Ordo.Assembly assembly = Ordo.builder().assemble(plan, List.of());\n");
    for (int p = 0; p < parts; p++) {
      s.append("    Part").append(p).append(".build(assembly);\n");
    }
    s.append("    return assembly.build();\n  }\n");
    for (int p = 0; p < parts; p++) {
      int from = p * part;
      int to = Math.min(size, from + part);
      s.append("\n  private static final class Part").append(p).append(" {\n")
          .append("    static void plan(Class<?>[] types, int[][] hard, int[][] soft) {\n");
      for (int i = from; i < to; i++) {
        s.append("      types[").append(i).append("] = ").append(name("Q", i)).append(".class;\n")
            .append("      hard[").append(i).append("] = NONE;\n")
            .append("      soft[").append(i).append("] = NONE;\n");
      }
      s.append("    }\n\n    static void build(Ordo.Assembly assembly) {\n");
      for (int i = from; i < to; i++) {
        String q = name("Q", i);
        s.append("      assembly.add(").append(i).append(", new Controller(descriptor(").append(q)
            .append(".class), new ").append(q).append("(), ").append(i).append("));\n");
      }
      s.append("    }\n\n    static void hook(int index, Object component, boolean start) {\n"
          + "      switch (index) {\n");
      for (int i = from; i < to; i++) {
        String q = name("Q", i);
        s.append("        case ").append(i).append(":\n          if (start) {\n            ((").append(q)
            .append(") component).start();\n          } else {\n            ((").append(q)
            .append(") component).stop();\n          }\n          return;\n");
      }
      s.append("        default:\n          throw new IllegalArgumentException(\"no component #\" + index);\n"
          + "      }\n    }\n  }\n");
    }
    s.append("}\n");
    tree.write(pkg, "PrototypeAssembly", s.toString());
  }

  private void flatGuava(int n) {
    String pkg = "dev.ordo.bench.flat.guava";
    for (int i = 0; i < n; i++) {
      String c = name("G", i);
      write(pkg, c, "package " + pkg + ";\n\n"
          + "import com.google.common.util.concurrent.AbstractIdleService;\n\n"
          + "public final class " + c + " extends AbstractIdleService {\n"
          + "  public boolean running;\n\n"
          + "  @Override\n  protected void startUp() {\n    running = true;\n  }\n\n"
          + "  @Override\n  protected void shutDown() {\n    running = false;\n  }\n"
          + "}\n");
    }
    instances(pkg, "GuavaFlat", "G", n, "com.google.common.util.concurrent.Service");
  }

  private void flatSpring(int n) {
    String pkg = "dev.ordo.bench.flat.spring";
    for (int i = 0; i < n; i++) {
      String c = name("S", i);
      write(pkg, c, "package " + pkg + ";\n\n"
          + "import org.springframework.context.SmartLifecycle;\n\n"
          + "public final class " + c + " implements SmartLifecycle {\n"
          + "  private volatile boolean running;\n\n"
          + "  @Override\n  public void start() {\n    running = true;\n  }\n\n"
          + "  @Override\n  public void stop() {\n    running = false;\n  }\n\n"
          + "  @Override\n  public boolean isRunning() {\n    return running;\n  }\n\n"
          + "  @Override\n  public boolean isAutoStartup() {\n    return dev.ordo.bench.SpringAutoStartup.enabled;\n  }\n"
          + "}\n");
    }
    chunked(pkg, "SpringFlat", n, "Class<?>[] classes(int n)",
        "    Class<?>[] out = new Class<?>[n];\n", "    return out;\n",
        (i) -> "      out[" + i + "] = " + name("S", i) + ".class;\n", "n");
  }

  /**
   * avaje-inject generates one module class per scope, and javac rejects it beyond about 2,000
   * beans ("code too large", "too many constants"); so a set of more than UNIT beans is split
   * into scopes of UNIT, whose modules are given together to one BeanScope.
   */
  private void flatAvaje(int size) {
    String pkg = "dev.ordo.bench.flat.avaje" + size;
    int parts = (size + UNIT - 1) / UNIT;
    StringBuilder modules = new StringBuilder();
    for (int part = 0; part < parts; part++) {
      modules.append(part == 0 ? "" : ", ").append("new ").append(avajeScope(size, part).replace("Scope", "Module"))
          .append("()");
    }
    write(pkg, "AvajeModules", "package " + pkg + ";\n\n"
        + "import io.avaje.inject.spi.AvajeModule;\n\n"
        + "/** The generated modules of the " + size + " flat beans. */\n"
        + "public final class AvajeModules {\n"
        + "  private AvajeModules() {}\n\n"
        + "  public static AvajeModule[] create() {\n"
        + "    return new AvajeModule[] {" + modules + "};\n"
        + "  }\n"
        + "}\n");
    write(pkg, "AvajeProcessMain", "package " + pkg + ";\n\n"
        + "import io.avaje.inject.BeanScope;\n\n"
        + "/** A whole process: create and start the beans, say RUNNING, close, exit. */\n"
        + "public final class AvajeProcessMain {\n"
        + "  private AvajeProcessMain() {}\n\n"
        + "  public static void main(String[] args) {\n"
        + "    BeanScope scope = BeanScope.builder().modules(AvajeModules.create()).build();\n"
        + "    System.out.println(\"RUNNING\");\n"
        + "    System.out.flush();\n"
        + "    scope.close();\n"
        + "  }\n"
        + "}\n");
    for (int part = 0; part < parts; part++) {
      String scope = avajeScope(size, part);
      write(pkg, scope, "package " + pkg + ";\n\n"
          + "import jakarta.inject.Scope;\nimport java.lang.annotation.Retention;\n"
          + "import java.lang.annotation.RetentionPolicy;\n\n"
          + "/** An avaje-inject scope (and so a generated module) of flat beans. */\n"
          + "@Scope\n@Retention(RetentionPolicy.RUNTIME)\npublic @interface " + scope + " {}\n");
    }
    for (int i = 0; i < size; i++) {
      String c = name("A", i);
      write(pkg, c, "package " + pkg + ";\n\n"
          + "import io.avaje.inject.PostConstruct;\nimport io.avaje.inject.PreDestroy;\n\n"
          + "@" + avajeScope(size, i / UNIT) + "\n"
          + "public final class " + c + " {\n"
          + "  public boolean running;\n\n"
          + "  @PostConstruct\n  void start() {\n    running = true;\n  }\n\n"
          + "  @PreDestroy\n  void stop() {\n    running = false;\n  }\n"
          + "}\n");
    }
  }

  private static String avajeScope(int size, int part) {
    return size <= UNIT ? "Flat" + size + "Scope" : "Flat" + size + "Part" + part + "Scope";
  }

  private void flatFloor(int n) {
    String pkg = "dev.ordo.bench.flat.floor";
    for (int i = 0; i < n; i++) {
      String c = name("P", i);
      write(pkg, c, "package " + pkg + ";\n\n"
          + "import dev.ordo.bench.Hook;\n\n"
          + "public final class " + c + " implements Hook {\n"
          + "  public boolean running;\n\n"
          + "  @Override\n  public void start() {\n    running = true;\n  }\n\n"
          + "  @Override\n  public void stop() {\n    running = false;\n  }\n"
          + "}\n");
    }
    instances(pkg, "FloorFlat", "P", n, "dev.ordo.bench.Hook");
    // Straight calls: what generated code calling each component directly would do.
    for (String hook : new String[] {"start", "stop"}) {
      String cls = "FloorCalls" + (hook.equals("start") ? "Start" : "Stop");
      chunked(pkg, cls, n, "void " + hook + "(Object[] c)", "", "",
          (i) -> "      ((" + name("P", i) + ") c[" + i + "])." + hook + "();\n", "c.length");
    }
  }

  // ---- chain and dag ---------------------------------------------------------------------

  private void chainOrdo(int n) {
    String pkg = "dev.ordo.bench.chain.ordo";
    for (int unit = 0; unit * UNIT < n; unit++) {
      GenerateComponents tree = unitTree("chain", unit);
      int from = unit * UNIT;
      int to = Math.min(n, from + UNIT);
      for (int i = from; i < to; i++) {
        String c = name("K", i);
        tree.write(pkg, c, "package " + pkg + ";\n\n"
            + "import dev.ordo.DependsOn;\nimport dev.ordo.OnShutdown;\nimport dev.ordo.OnStartup;\n\n"
            + (i > 0 ? "@DependsOn(" + name("K", i - 1) + ".class)\n" : "")
            + "public final class " + c + " {\n"
            + "  public boolean running;\n\n"
            + "  @OnStartup\n  void start() {\n    running = true;\n  }\n\n"
            + "  @OnShutdown\n  void stop() {\n    running = false;\n  }\n"
            + "}\n");
      }
      tree.unitFactory(pkg, "OrdoChain", "K", from, to, true);
    }
  }

  private GenerateComponents unitTree(String set, int unit) {
    return new GenerateComponents(units().resolve(String.format("%s-%02d", set, unit)));
  }

  /**
   * {@code public static void create(Object[] out, int limit)} filling out[from..min(to, limit)),
   * and, for Ordo, {@code controllers(Object[] c, LifecycleController<?>[] out, int limit)}: the
   * direct path ({@code Foo_Lifecycle.of(foo)}, no registry). The harness finds units by name.
   */
  private void unitFactory(String pkg, String base, String prefix, int from, int to, boolean controllers) {
    String cls = String.format("%s_Unit%02d", base, from / UNIT);
    StringBuilder s = new StringBuilder("package " + pkg + ";\n\n"
        + "/** Generated by GenerateComponents: components " + from + " to " + (to - 1) + ". */\n"
        + "public final class " + cls + " {\n"
        + "  private " + cls + "() {}\n\n"
        + "  public static void create(Object[] out, int limit) {\n");
    for (int c = from; c < to; c += CHUNK) {
      s.append("    if (limit > ").append(c).append(") {\n      Create").append(c / CHUNK)
          .append(".run(out, limit);\n    }\n");
    }
    s.append("  }\n");
    if (controllers) {
      s.append("\n  public static void controllers(Object[] c, dev.ordo.runtime.LifecycleController<?>[] out,"
          + " int limit) {\n");
      for (int c = from; c < to; c += CHUNK) {
        s.append("    if (limit > ").append(c).append(") {\n      Controllers").append(c / CHUNK)
            .append(".run(c, out, limit);\n    }\n");
      }
      s.append("  }\n");
    }
    for (int c = from; c < to; c += CHUNK) {
      s.append("\n  private static final class Create").append(c / CHUNK).append(" {\n")
          .append("    static void run(Object[] out, int limit) {\n");
      for (int i = c; i < Math.min(to, c + CHUNK); i++) {
        s.append("      if (limit == ").append(i).append(") {\n        return;\n      }\n");
        s.append("      out[").append(i).append("] = new ").append(name(prefix, i)).append("();\n");
      }
      s.append("    }\n  }\n");
      if (controllers) {
        s.append("\n  private static final class Controllers").append(c / CHUNK).append(" {\n")
            .append("    static void run(Object[] c, dev.ordo.runtime.LifecycleController<?>[] out, int limit) {\n");
        for (int i = c; i < Math.min(to, c + CHUNK); i++) {
          String n = name(prefix, i);
          s.append("      if (limit == ").append(i).append(") {\n        return;\n      }\n");
          s.append("      out[").append(i).append("] = ").append(n).append("_Lifecycle.of((").append(n)
              .append(") c[").append(i).append("]);\n");
        }
        s.append("    }\n  }\n");
      }
    }
    s.append("}\n");
    write(pkg, cls, s.toString());
  }

  /** The random DAG: levels of 20, each non-root depends on the level above and earlier ones. */
  static int[][] dagDependencies() {
    Random random = new Random(DAG_SEED);
    int perLevel = DAG_SIZE / DAG_LEVELS;
    List<List<Integer>> deps = new ArrayList<>();
    for (int i = 0; i < DAG_SIZE; i++) {
      deps.add(new ArrayList<>());
    }
    int edges = 0;
    // One edge from the level just above: this makes the depth exactly DAG_LEVELS.
    for (int i = perLevel; i < DAG_SIZE; i++) {
      int level = i / perLevel;
      deps.get(i).add((level - 1) * perLevel + random.nextInt(perLevel));
      edges++;
    }
    // The rest at random, to any earlier level, until the average fan-in is DAG_EDGES / DAG_SIZE.
    while (edges < DAG_EDGES) {
      int i = perLevel + random.nextInt(DAG_SIZE - perLevel);
      int level = i / perLevel;
      int d = random.nextInt(level * perLevel);
      if (!deps.get(i).contains(d)) {
        deps.get(i).add(d);
        edges++;
      }
    }
    int[][] out = new int[DAG_SIZE][];
    for (int i = 0; i < DAG_SIZE; i++) {
      out[i] = deps.get(i).stream().mapToInt(Integer::intValue).sorted().toArray();
    }
    return out;
  }

  private void dag() {
    int[][] deps = dagDependencies();
    StringBuilder shape = new StringBuilder();
    for (int[] d : deps) {
      shape.append("      {");
      for (int k = 0; k < d.length; k++) {
        shape.append(k == 0 ? "" : ", ").append(d[k]);
      }
      shape.append("},\n");
    }
    write("dev.ordo.bench.dag", "DagShape", "package dev.ordo.bench.dag;\n\n"
        + "/** The seeded random DAG (seed " + DAG_SEED + "): DEPENDENCIES[i] are the components i depends on. */\n"
        + "public final class DagShape {\n"
        + "  public static final int[][] DEPENDENCIES = {\n" + shape + "  };\n\n"
        + "  private DagShape() {}\n}\n");
    String ordo = "dev.ordo.bench.dag.ordo";
    GenerateComponents ordoTree = new GenerateComponents(units().resolve("dag-00"));
    String avaje = "dev.ordo.bench.dag.avaje";
    write(avaje, "DagScope", "package " + avaje + ";\n\n"
        + "import jakarta.inject.Scope;\nimport java.lang.annotation.Retention;\n"
        + "import java.lang.annotation.RetentionPolicy;\n\n"
        + "/** The avaje-inject scope (and so the generated module) of the DAG. */\n"
        + "@Scope\n@Retention(RetentionPolicy.RUNTIME)\npublic @interface DagScope {}\n");
    for (int i = 0; i < DAG_SIZE; i++) {
      String c = name("D", i);
      StringBuilder dependsOn = new StringBuilder();
      for (int d : deps[i]) {
        dependsOn.append("@DependsOn(").append(name("D", d)).append(".class)\n");
      }
      ordoTree.write(ordo, c, "package " + ordo + ";\n\n"
          + "import dev.ordo.DependsOn;\nimport dev.ordo.OnStartup;\nimport dev.ordo.bench.dag.DagClock;\n\n"
          + dependsOn
          + "public final class " + c + " {\n"
          + "  @OnStartup\n  void start() {\n    DagClock.hook(" + i + ");\n  }\n"
          + "}\n");
      String v = name("V", i);
      StringBuilder params = new StringBuilder();
      for (int k = 0; k < deps[i].length; k++) {
        params.append(k == 0 ? "" : ", ").append(name("V", deps[i][k])).append(" d").append(k);
      }
      write(avaje, v, "package " + avaje + ";\n\n"
          + "import dev.ordo.bench.dag.DagClock;\nimport io.avaje.inject.PostConstruct;\n\n"
          + "@DagScope\n"
          + "public final class " + v + " {\n"
          + "  public " + v + "(" + params + ") {}\n\n"
          + "  @PostConstruct\n  void start() {\n    DagClock.hook(" + i + ");\n  }\n"
          + "}\n");
    }
    ordoTree.unitFactory(ordo, "OrdoDag", "D", 0, DAG_SIZE, true);
  }

  // ---- processor scenario ----------------------------------------------------------------

  /**
   * Equivalent sources for javac timing: COUNT Ordo components with hooks and a seeded random
   * set of dependencies (0 to 3 each), and as many avaje-inject beans with the same
   * dependencies as constructor parameters and the same hooks.
   */
  private int processorSources(int count) {
    deleteTree(out);
    Random random = new Random(DAG_SEED + 1);
    GenerateComponents ordoTree = new GenerateComponents(out.resolve("ordo"));
    GenerateComponents avajeTree = new GenerateComponents(out.resolve("avaje"));
    for (int i = 0; i < count; i++) {
      int fanIn = i == 0 ? 0 : random.nextInt(Math.min(i, 3) + 1);
      List<Integer> deps = new ArrayList<>();
      while (deps.size() < fanIn) {
        int d = random.nextInt(i);
        if (!deps.contains(d)) {
          deps.add(d);
        }
      }
      deps.sort(null);
      String c = name("C", i);
      StringBuilder dependsOn = new StringBuilder();
      StringBuilder params = new StringBuilder();
      StringBuilder fields = new StringBuilder();
      StringBuilder assign = new StringBuilder();
      for (int k = 0; k < deps.size(); k++) {
        String d = name("C", deps.get(k));
        dependsOn.append("@DependsOn(").append(d).append(".class)\n");
        params.append(k == 0 ? "" : ", ").append(d).append(" d").append(k);
        fields.append("  private final ").append(d).append(" d").append(k).append(";\n");
        assign.append("    this.d").append(k).append(" = d").append(k).append(";\n");
      }
      String body = fields
          + "  private boolean running;\n\n"
          + "  public " + c + "(" + params + ") {\n" + assign + "  }\n\n";
      ordoTree.write("bench.components", c, "package bench.components;\n\n"
          + "import dev.ordo.DependsOn;\nimport dev.ordo.OnShutdown;\nimport dev.ordo.OnStartup;\n\n"
          + dependsOn
          + "public class " + c + " {\n" + body
          + "  @OnStartup(timeout = \"5s\")\n  void start() {\n    running = true;\n  }\n\n"
          + "  @OnShutdown\n  void stop() {\n    running = false;\n  }\n"
          + "}\n");
      avajeTree.write("bench.components", c, "package bench.components;\n\n"
          + "import io.avaje.inject.PostConstruct;\nimport io.avaje.inject.PreDestroy;\n"
          + "import jakarta.inject.Singleton;\n\n"
          + "@Singleton\n"
          + "public class " + c + " {\n" + body
          + "  @PostConstruct\n  void start() {\n    running = true;\n  }\n\n"
          + "  @PreDestroy\n  void stop() {\n    running = false;\n  }\n"
          + "}\n");
    }
    return ordoTree.written + avajeTree.written;
  }

  // ---- compiling the Ordo units ----------------------------------------------------------

  /**
   * Compiles each unit directory under {@code src} (in name order: a chain unit depends on the
   * ones before it) into the same-named directory under {@code outRoot}, with the Ordo processor
   * taken from {@code classpath}. A unit whose sources did not change since it was compiled is
   * skipped.
   */
  private static void compileUnits(Path src, Path outRoot, String classpath) throws IOException {
    javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
    List<Path> units = new ArrayList<>();
    if (Files.isDirectory(src)) {
      try (var list = Files.list(src)) {
        list.filter(Files::isDirectory).sorted().forEach(units::add);
      }
    }
    // Units no longer generated must not stay on the class path.
    if (Files.isDirectory(outRoot)) {
      try (var list = Files.list(outRoot)) {
        for (Path stale : (Iterable<Path>) list::iterator) {
          if (!Files.isDirectory(src.resolve(stale.getFileName().toString()))) {
            deleteTree(stale);
          }
        }
      }
    }
    StringBuilder cp = new StringBuilder(classpath);
    int compiled = 0;
    long began = System.nanoTime();
    // What the generated code depends on besides the sources: Ordo's own jars or classes (the
    // processor that writes it, the annotations and the runtime it compiles against). A unit
    // compiled by an earlier processor is compiled again.
    long ordoStamp = ordoStamp(classpath);
    for (Path unit : units) {
      Path out = outRoot.resolve(unit.getFileName().toString());
      List<String> files = new ArrayList<>();
      long stamp = ordoStamp;
      try (var walk = Files.walk(unit)) {
        for (Path p : (Iterable<Path>) walk::iterator) {
          if (p.toString().endsWith(".java")) {
            files.add(p.toString());
            stamp = stamp * 31 + Files.readString(p).hashCode();
          }
        }
      }
      Path stampFile = out.resolve("ordo-unit.stamp");
      String stampText = Long.toHexString(stamp) + " " + files.size() + "\n";
      if (!(Files.exists(stampFile) && Files.readString(stampFile).equals(stampText))) {
        deleteTree(out);
        Files.createDirectories(out);
        List<String> args = new ArrayList<>(List.of(
            "-d", out.toString(), "-cp", cp.toString(), "-processorpath", classpath,
            "-processor", "dev.ordo.processor.OrdoProcessor", "--release", "17", "-Xlint:none",
            "-implicit:none", "-encoding", "UTF-8"));
        args.addAll(files);
        int status = javac.run(null, null, null, args.toArray(new String[0]));
        if (status != 0) {
          throw new IllegalStateException("javac failed on unit " + unit);
        }
        Files.writeString(stampFile, stampText);
        compiled++;
      }
      cp.append(java.io.File.pathSeparator).append(out);
    }
    System.out.printf("GenerateComponents: compiled %d of %d Ordo units into %s (%d ms)%n",
        compiled, units.size(), outRoot, (System.nanoTime() - began) / 1_000_000);
  }

  /** A hash of the content of every Ordo entry (jar, or directory of classes) of {@code classpath}. */
  private static long ordoStamp(String classpath) throws IOException {
    long stamp = 17;
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      Path p = Path.of(entry);
      String name = p.toString().replace('\\', '/');
      boolean ordo = name.contains("/ordo-") || name.matches(".*/(processor|annotations|runtime)/target/classes/?$");
      if (!ordo || !Files.exists(p)) {
        continue;
      }
      List<Path> files = new ArrayList<>();
      if (Files.isDirectory(p)) {
        try (var walk = Files.walk(p)) {
          walk.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
      } else {
        files.add(p);
      }
      for (Path f : files) {
        stamp = stamp * 31 + java.util.Arrays.hashCode(Files.readAllBytes(f));
      }
    }
    return stamp;
  }

  // ---- helpers ---------------------------------------------------------------------------

  static String name(String prefix, int i) {
    return prefix + String.format("%05d", i);
  }

  /** A factory {@code static T[] create(int n)} that instantiates the first n classes. */
  private void instances(String pkg, String cls, String prefix, int n, String type) {
    chunked(pkg, cls, n, type + "[] create(int n)",
        "    " + type + "[] out = new " + type + "[n];\n", "    return out;\n",
        (i) -> "      out[" + i + "] = new " + name(prefix, i) + "();\n", "n");
  }

  /**
   * A class whose public static method runs one statement per component for the first
   * {@code limit} components, split over one nested class per {@value #CHUNK} (a class per chunk,
   * so that running the first 1,000 loads only the chunks it needs).
   */
  private void chunked(String pkg, String cls, int n, String signature, String prologue, String epilogue,
      java.util.function.IntFunction<String> statement, String limit) {
    StringBuilder s = new StringBuilder("package " + pkg + ";\n\n"
        + "/** Generated by GenerateComponents: one statement per component, in chunks. */\n"
        + "public final class " + cls + " {\n"
        + "  private " + cls + "() {}\n\n"
        + "  public static " + signature + " {\n" + prologue
        + "    int limit = " + limit + ";\n");
    String params = signature.substring(signature.indexOf('(') + 1, signature.indexOf(')'));
    String args = params.isEmpty() ? "" : params.substring(params.lastIndexOf(' ') + 1);
    String outArg = prologue.isEmpty() ? "" : "out, ";
    String outParam = prologue.isEmpty() ? ""
        : prologue.trim().substring(0, prologue.trim().indexOf('=')).trim() + ", ";
    for (int from = 0; from < n; from += CHUNK) {
      s.append("    if (limit > ").append(from).append(") {\n      Chunk").append(from / CHUNK)
          .append(".run(").append(outArg).append(args).append(", limit);\n    }\n");
    }
    s.append(epilogue).append("  }\n");
    for (int from = 0; from < n; from += CHUNK) {
      s.append("\n  private static final class Chunk").append(from / CHUNK).append(" {\n")
          .append("    static void run(").append(outParam).append(params).append(", int limit) {\n");
      for (int i = from; i < Math.min(n, from + CHUNK); i++) {
        s.append("      if (limit == ").append(i).append(") {\n        return;\n      }\n");
        s.append(statement.apply(i).replace("      ", "      "));
      }
      s.append("    }\n  }\n");
    }
    s.append("}\n");
    write(pkg, cls, s.toString());
  }

  private void write(String pkg, String cls, String source) {
    write(out.resolve(pkg.replace('.', '/')).resolve(cls + ".java"), source);
  }

  private void write(Path file, String source) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, source, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    written++;
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
