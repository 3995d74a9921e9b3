package dev.ordo.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of random lifecycle graphs, with random misuse of every annotation, compiled with the
 * processor: it never throws and never reports an internal error, and the cycles it reports are
 * exactly those an independent count finds (a transitive closure, where the processor uses
 * Tarjan's algorithm): one {@code [Ordo/DependencyCycle]} per strongly connected component of the
 * hard edges with a cycle, one per such component of the soft edges, and one
 * {@code [Ordo/SoftCycle]} warning per component of all edges with a cycle but neither of those
 * in it, unless a class of it suppresses the warning. A cycle counts only when a component of this
 * compilation is on it: a component waiting for a class that never comes is not.
 */
class RobustnessTest {
  private static final int VARIANTS = 300;
  private static final long SEED = 20_261_122L;

  /** One random program and what an independent reading of it expects. */
  static final class Variant {
    final int index;
    final Map<String, String> sources = new LinkedHashMap<>();
    int size;
    boolean[][] hard;
    boolean[][] soft;
    /** Components that mention a class that does not exist: they wait, and are never processed. */
    final BitSet waiting = new BitSet();
    final BitSet suppressesSoftCycle = new BitSet();
    /** Classes with an Ordo annotation on the class or on one of its own methods. */
    final BitSet components = new BitSet();
    /** The class each one's constructor takes, or -1. */
    int[] constructorTakes;

    Variant(int index) {
      this.index = index;
    }
  }

  static Variant generate(int index) {
    Random random = new Random(SEED + index);
    Variant v = new Variant(index);
    int n = 5 + random.nextInt(26);
    v.size = n;
    v.hard = new boolean[n][n];
    v.soft = new boolean[n][n];
    v.constructorTakes = new int[n];
    java.util.Arrays.fill(v.constructorTakes, -1);
    double density = (0.5 + 2.0 * random.nextDouble()) / n;
    String pkg = "v" + index;
    v.sources.put(pkg + "/Plain.java", "package " + pkg + ";\npublic class Plain {}\n");
    for (int i = 0; i < n; i++) {
      StringBuilder s = new StringBuilder("package " + pkg + ";\n\nimport dev.ordo.*;\n\n");
      boolean anyAnnotation = false;
      List<Integer> targets = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        if (random.nextDouble() < (i == j ? density / 4 : density)) {
          targets.add(j);
        }
      }
      for (int j : targets) {
        boolean optional = random.nextInt(10) < 3;
        s.append(optional ? "@DependsOn(value = C" + j + ".class, optional = true)\n" : "@DependsOn(C" + j + ".class)\n");
        (optional ? v.soft : v.hard)[i][j] = true;
        anyAnnotation = true;
        if (random.nextInt(40) == 0) { // the same edge again, of the other kind: a duplicate
          s.append(optional ? "@DependsOn(C" + j + ".class)\n" : "@DependsOn(value = C" + j + ".class, optional = true)\n");
          (optional ? v.hard : v.soft)[i][j] = true;
        }
      }
      switch (random.nextInt(30)) {
        case 0:
          s.append("@DependsOn(String.class)\n");
          anyAnnotation = true;
          break;
        case 1:
          s.append("@DependsOn(Plain.class)\n");
          anyAnnotation = true;
          break;
        case 2:
          s.append("@DependsOn(Missing").append(i).append(".class)\n");
          v.waiting.set(i);
          anyAnnotation = true;
          break;
        default:
          break;
      }
      if (random.nextInt(4) == 0) {
        s.append("@Critical\n");
        anyAnnotation = true;
      }
      if (random.nextInt(15) == 0) {
        s.append(random.nextBoolean() ? "@PublishesEvents\n" : "@PublishesEvents(operations = {\"a\", \"b\"})\n");
        anyAnnotation = true;
      }
      if (random.nextInt(12) == 0) {
        s.append(random.nextBoolean() ? "@SuppressWarnings(\"ordo:soft-cycle\")\n" : "@SuppressWarnings(\"ordo:all\")\n");
        v.suppressesSoftCycle.set(i);
      }
      s.append("public class C").append(i).append(" {\n");
      if (random.nextInt(20) == 0) {
        v.constructorTakes[i] = random.nextInt(n);
        s.append("  public C").append(i).append("(C").append(v.constructorTakes[i]).append(" other) {}\n");
      }
      boolean component = anyAnnotation;
      if (random.nextInt(10) < 8 || !anyAnnotation) {
        if (random.nextInt(10) < 7 || anyAnnotation) {
          s.append("  ").append(hook(random, "OnStartup", "start")).append('\n');
          component = true;
        }
      }
      if (random.nextInt(3) == 0) {
        s.append("  ").append(hook(random, "OnShutdown", "stop")).append('\n');
        component = true;
      }
      if (random.nextInt(25) == 0) {
        s.append("  ").append(hook(random, "OnStartup", "again")).append('\n');
        component = true;
      }
      if (random.nextInt(4) == 0) {
        s.append("  ").append(healthCheck(random)).append('\n');
        component = true;
      }
      if (component) {
        v.components.set(i);
      }
      switch (random.nextInt(25)) {
        case 0:
          s.append("  class Inner { @OnStartup void start() {} }\n");
          break;
        case 1:
          s.append("  private static class Hidden { @OnStartup void start() {} }\n");
          break;
        case 2:
          s.append("  Runnable task() { return new Runnable() { public void run() {} @OnShutdown void stop() {} }; }\n");
          break;
        case 3:
          s.append("  static class Nested { @OnStartup(timeout = \"1s\") void start() {} }\n");
          break;
        default:
          break;
      }
      s.append("}\n");
      v.sources.put(pkg + "/C" + i + ".java", s.toString());
    }
    // A constructor that takes a component is a hard edge, unless @DependsOn declares that edge.
    for (int i = 0; i < n; i++) {
      int j = v.constructorTakes[i];
      if (j >= 0 && j != i && v.components.get(j) && !v.hard[i][j] && !v.soft[i][j]) {
        v.hard[i][j] = true;
      }
    }
    return v;
  }

  private static String hook(Random random, String annotation, String name) {
    String timeout = "";
    switch (random.nextInt(12)) {
      case 0: timeout = "(timeout = \"ten seconds\")"; break;
      case 1: timeout = "(timeout = \"0s\")"; break;
      case 2: timeout = "(timeout = \"-5s\")"; break;
      case 3: timeout = "(timeout = \"250ms\")"; break;
      case 4: timeout = "(timeout = \"2m\")"; break;
      default: break;
    }
    String modifiers = "";
    switch (random.nextInt(20)) {
      case 0: modifiers = "private "; break;
      case 1: modifiers = "static "; break;
      case 2: modifiers = "public "; break;
      default: break;
    }
    switch (random.nextInt(16)) {
      case 0:
        return "@" + annotation + timeout + " " + modifiers + "int " + name + "() { return 0; }";
      case 1:
        return "@" + annotation + timeout + " " + modifiers + "java.util.concurrent.Future<?> " + name + "() { return null; }";
      case 2:
        return "@" + annotation + timeout + " " + modifiers + "void " + name + "(String s) {}";
      case 3:
        return "@" + annotation + timeout + " " + modifiers
            + "java.util.concurrent.CompletionStage<Void> " + name + "(dev.ordo.runtime.LifecycleContext c) { return null; }";
      case 4:
        return "@" + annotation + timeout + " " + modifiers + "void " + name + "() throws Throwable {}";
      default:
        return "@" + annotation + timeout + " " + modifiers + "void " + name + "() {}";
    }
  }

  private static String healthCheck(Random random) {
    switch (random.nextInt(6)) {
      case 0:
        return "@HealthCheck String check() { return \"UP\"; }";
      case 1:
        return "@HealthCheck(interval = \"often\") boolean check() { return true; }";
      case 2:
        return "@HealthCheck dev.ordo.runtime.Health check() { return dev.ordo.runtime.Health.up(); }";
      default:
        return "@HealthCheck(timeout = \"1s\") boolean check() { return true; }";
    }
  }

  /** What the processor must report about cycles, counted by transitive closure. */
  record Expected(int cycleErrors, int softCycleWarnings) {}

  static Expected expected(Variant v) {
    int n = v.size;
    boolean[][] both = new boolean[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        both[i][j] = v.hard[i][j] || v.soft[i][j];
      }
    }
    boolean[][] hardReach = closure(v.hard);
    boolean[][] softReach = closure(v.soft);
    boolean[][] reach = closure(both);
    BitSet inErrorCycle = new BitSet();
    int errors = 0;
    for (boolean[][] r : List.of(hardReach, softReach)) {
      for (List<Integer> scc : cyclicComponents(r)) {
        scc.forEach(inErrorCycle::set);
        if (scc.stream().anyMatch(m -> !v.waiting.get(m))) {
          errors++;
        }
      }
    }
    int warnings = 0;
    for (List<Integer> scc : cyclicComponents(reach)) {
      boolean reported = scc.stream().anyMatch(m -> !v.waiting.get(m));
      boolean suppressed = scc.stream().anyMatch(m -> !v.waiting.get(m) && v.suppressesSoftCycle.get(m));
      if (reported && !suppressed && scc.stream().noneMatch(inErrorCycle::get)) {
        warnings++;
      }
    }
    return new Expected(errors, warnings);
  }

  /** Warshall's transitive closure: {@code r[i][j]} when a path of one edge or more leads from i to j. */
  private static boolean[][] closure(boolean[][] edges) {
    int n = edges.length;
    boolean[][] r = new boolean[n][];
    for (int i = 0; i < n; i++) {
      r[i] = edges[i].clone();
    }
    for (int k = 0; k < n; k++) {
      for (int i = 0; i < n; i++) {
        if (r[i][k]) {
          for (int j = 0; j < n; j++) {
            r[i][j] |= r[k][j];
          }
        }
      }
    }
    return r;
  }

  /** The groups of nodes that reach each other and themselves: the components with a cycle. */
  private static List<List<Integer>> cyclicComponents(boolean[][] reach) {
    int n = reach.length;
    BitSet placed = new BitSet();
    List<List<Integer>> result = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (placed.get(i) || !reach[i][i]) {
        continue;
      }
      List<Integer> members = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        if (j == i || (reach[i][j] && reach[j][i])) {
          members.add(j);
          placed.set(j);
        }
      }
      result.add(members);
    }
    return result;
  }

  /** What one variant did, or why it failed. */
  record Outcome(int index, String failure, int cycles, int softCycles) {}

  static Outcome run(InMemoryCompiler compiler, Variant v) {
    InMemoryCompiler.Result result;
    try {
      result = compiler.compile(v.sources, new OrdoProcessor(),
          "-Xlint:all,-processing", "-Xmaxerrs", "100000", "-Xmaxwarns", "100000");
    } catch (RuntimeException | Error e) {
      return new Outcome(v.index, "compilation threw " + e, 0, 0);
    }
    List<String> errors = result.messages(Diagnostic.Kind.ERROR);
    List<String> warnings = result.messages(Diagnostic.Kind.WARNING);
    Expected expected = expected(v);
    long cycles = errors.stream()
        .filter(m -> m.startsWith("[Ordo/DependencyCycle]") || m.startsWith("[Ordo/ConstructorCycle]")).count();
    long softCycles = warnings.stream().filter(m -> m.startsWith("[Ordo/SoftCycle]")).count();
    String failure = null;
    if (errors.stream().anyMatch(m -> m.contains("[Ordo/InternalError]"))) {
      failure = "internal error: " + errors;
    } else if (cycles != expected.cycleErrors()) {
      failure = "expected " + expected.cycleErrors() + " cycle errors, got " + cycles + ": " + errors;
    } else if (softCycles != expected.softCycleWarnings()) {
      failure = "expected " + expected.softCycleWarnings() + " soft-cycle warnings, got " + softCycles + ": " + warnings;
    } else if (errors.isEmpty() != result.success()) {
      failure = "success " + result.success() + " with errors " + errors;
    } else if (errors.stream().noneMatch(m -> m.startsWith("[Ordo/"))
        && errors.stream().anyMatch(m -> !m.contains("Missing"))) {
      failure = "javac errors without an Ordo error (generated code that does not compile?): " + errors;
    }
    return new Outcome(v.index, failure == null ? null : failure + "\nsources: " + v.sources, (int) cycles,
        (int) softCycles);
  }

  @Test
  void randomProgramsNeverCrashTheProcessorAndEveryCycleIsReportedOnce() throws Exception {
    long start = System.nanoTime();
    int threads = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<InMemoryCompiler> opened = java.util.Collections.synchronizedList(new ArrayList<>());
    ThreadLocal<InMemoryCompiler> compilers = ThreadLocal.withInitial(() -> {
      InMemoryCompiler compiler = new InMemoryCompiler();
      opened.add(compiler);
      return compiler;
    });
    List<Future<Outcome>> futures = new ArrayList<>();
    for (int i = 0; i < VARIANTS; i++) {
      int index = i;
      futures.add(pool.submit(() -> run(compilers.get(), generate(index))));
    }
    List<String> failures = new ArrayList<>();
    int withCycles = 0;
    int cycles = 0;
    int softCycles = 0;
    for (Future<Outcome> future : futures) {
      Outcome outcome = future.get();
      if (outcome.failure() != null) {
        failures.add("variant " + outcome.index() + ": " + outcome.failure());
      }
      withCycles += outcome.cycles() > 0 ? 1 : 0;
      cycles += outcome.cycles();
      softCycles += outcome.softCycles();
    }
    pool.shutdown();
    for (InMemoryCompiler compiler : opened) {
      compiler.close();
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("RobustnessTest: %d variants, %d with cycles, %d cycle errors, %d soft-cycle warnings,"
        + " in %d ms on %d threads%n", VARIANTS, withCycles, cycles, softCycles, millis, threads);
    assertEquals(List.of(), failures.subList(0, Math.min(3, failures.size())), failures.size() + " variants failed");
    assertTrue(withCycles > VARIANTS / 5, "too few variants with cycles to prove anything: " + withCycles);
    assertTrue(withCycles < VARIANTS, "every variant has a cycle: the clean path is not exercised");
    assertTrue(softCycles > 0, "no soft cycle among the variants");
  }
}
