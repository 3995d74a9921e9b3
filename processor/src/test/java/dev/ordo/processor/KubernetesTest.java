package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.ordo.processor.Sources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/**
 * The grace period checked at build time, and {@code META-INF/ordo/kubernetes.yaml}: the worst-case
 * shutdown is the pre-stop delay, then the drain and the longest chain of stop timeouts through the
 * reverse graph (independent stops overlap), capped by the budget.
 */
class KubernetesTest {
  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
  private static final boolean UPDATE = Boolean.getBoolean("ordo.golden.update");

  /** Pool (stop 5s) <- Store (stop 15s) <- Api (stop 2s); Cache (stop 20s) on its own. */
  static List<JavaFileObject> shop(String annotation) {
    return List.of(
        source("com.acme.Shop", "package com.acme;", annotation, "public interface Shop {}"),
        source("com.acme.Pool", "package com.acme;", "import dev.ordo.*;",
            "@Critical public class Pool {", "  @OnStartup(timeout = \"20s\") void open() {}",
            "  @OnShutdown(timeout = \"5s\") void close() {}", "}"),
        source("com.acme.Store", "package com.acme;", "import dev.ordo.*;",
            "@Critical public class Store {", "  public Store(Pool pool) {}", "  @OnStartup void migrate() {}",
            "  @OnShutdown(timeout = \"15s\") void flush() {}", "}"),
        source("com.acme.Api", "package com.acme;", "import dev.ordo.*;",
            "@Critical public class Api {", "  public Api(Store store) {}", "  @OnStartup(timeout = \"5s\") void listen() {}",
            "  @OnShutdown(timeout = \"2s\") void close() {}", "}"),
        source("com.acme.Cache", "package com.acme;", "import dev.ordo.*;",
            "public class Cache {", "  @OnShutdown(timeout = \"20s\") void clear() {}", "}"));
  }

  private static Compilation compile(List<JavaFileObject> sources, String... options) {
    List<String> all = new ArrayList<>(List.of("-Xlint:all,-processing"));
    all.addAll(List.of(options));
    return javac().withProcessors(new OrdoProcessor()).withOptions(all).compile(sources);
  }

  private static String yaml(Compilation compilation) throws IOException {
    return compilation.generatedFile(StandardLocation.CLASS_OUTPUT, "META-INF/ordo/kubernetes.yaml")
        .orElseThrow(() -> new AssertionError("no kubernetes.yaml: " + compilation.diagnostics()))
        .getCharContent(true).toString();
  }

  @Test
  void aGracePeriodThatCoversTheWorstCaseIsQuiet() {
    // delay 0 + drain 10s + Api 2s -> Store 15s -> Pool 5s = 32s, capped by the 30s budget: 30s + 2s margin.
    assertThat(compile(shop("@dev.ordo.OrdoApplication(gracePeriod = \"32s\")"))).succeededWithoutWarnings();
  }

  @Test
  void aShortGracePeriodIsAWarningWithTheNumbersAndThePath() {
    Compilation compilation = compile(shop("@dev.ordo.OrdoApplication"),
        "-Aordo.kubernetes.gracePeriod=25s", "-Aordo.shutdown.delay=5s", "-Aordo.shutdown.timeout=1m");
    assertThat(compilation).succeeded();
    assertThat(compilation).hadWarningCount(1);
    assertEquals("[Ordo/GracePeriod] com.acme.Shop may need 37s to shut down, more than the Kubernetes grace"
        + " period 25s leaves after a margin of 2s: pre-stop delay 5s + drain 10s + stop phase 22s (the longest"
        + " chain of stop timeouts: Api 2s -> Store 15s -> Pool 5s)\n"
        + "  help: give its pods terminationGracePeriodSeconds: 39 or more (META-INF/ordo/kubernetes.yaml has the"
        + " computed value), or shorten the delay, the drain or a stop timeout on that chain\n"
        + "  docs: docs/errors.md#grace-period", compilation.warnings().get(0).getMessage(null));
  }

  @Test
  void strictMakesItAnErrorAndTheAttributeWinsOverTheOption() {
    Compilation strict = compile(shop("@dev.ordo.OrdoApplication(gracePeriod = \"20s\")"),
        "-Aordo.kubernetes.gracePeriod=1h", "-Aordo.kubernetes.strict=true");
    assertThat(strict).failed();
    assertThat(strict).hadErrorContaining("[Ordo/GracePeriod] com.acme.Shop may need 30s to shut down, more than"
        + " the Kubernetes grace period 20s leaves");
    assertThat(strict).hadErrorContaining("the shutdown budget (ordo.shutdown.timeout) cuts the drain and the stop"
        + " phase, 32s, to 30s");
  }

  @Test
  void theDeclaredGracePeriodIsHandedToTheRuntimeWhichChecksItAgainAtStart() throws IOException {
    Compilation compilation = compile(shop("@dev.ordo.OrdoApplication(gracePeriod = \"2m\")"));
    assertThat(compilation).succeededWithoutWarnings();
    String assembly = compilation.generatedSourceFile("com.acme.OrdoShop").orElseThrow().getCharContent(true).toString();
    assertTrue(assembly.contains("Ordo.Builder ordoBuilder = Ordo.builder().kubernetesGracePeriod(Duration.ofMinutes(2));"),
        assembly);
  }

  @Test
  void theWarningCanBeSuppressedOnTheApplication() {
    assertThat(compile(shop("@SuppressWarnings(\"ordo:grace-period\") @dev.ordo.OrdoApplication(gracePeriod = \"5s\")")))
        .succeededWithoutWarnings();
  }

  @Test
  void badValuesAreErrorsNamingTheOptionOrTheAttribute() {
    Compilation option = compile(shop("@dev.ordo.OrdoApplication"), "-Aordo.kubernetes.gracePeriod=thirty");
    assertThat(option).hadErrorContaining("[Ordo/InvalidOption] Processor option -Aordo.kubernetes.gracePeriod=thirty"
        + " is not a positive duration such as 500ms, 10s, 2m or 1h");
    Compilation port = compile(shop("@dev.ordo.OrdoApplication"), "-Aordo.health.port=70000");
    assertThat(port).hadErrorContaining("-Aordo.health.port=70000 is not a port number from 1 to 65535");
    Compilation attribute = compile(shop("@dev.ordo.OrdoApplication(gracePeriod = \"soon\")"));
    assertThat(attribute).hadErrorContaining("[Ordo/InvalidDuration] @OrdoApplication(gracePeriod = \"soon\") on"
        + " com.acme.Shop is not a positive duration");
  }

  @Test
  void theContainerFragmentIsTheGoldenFile() throws IOException {
    Compilation compilation = compile(shop("@dev.ordo.OrdoApplication"),
        "-Aordo.shutdown.delay=5s", "-Aordo.health.port=9090");
    assertThat(compilation).succeededWithoutWarnings();
    String actual = yaml(compilation);
    Path file = GOLDEN.resolve("kubernetes.yaml.txt");
    if (UPDATE) {
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual,
        "kubernetes.yaml differs from " + file + "; if intended, rerun with -Dordo.golden.update=true");
    assertTrue(actual.contains("terminationGracePeriodSeconds: 37\n"), actual); // 5s + min(10s + 22s, 30s) + 2s
    assertTrue(actual.contains("        sleep:\n          seconds: 5\n"), actual);
  }

  @Test
  void aCompilationWiredByHandIsCheckedWithTheOption() throws IOException {
    List<JavaFileObject> components = new ArrayList<>(shop("").subList(1, 5));
    Compilation compilation = compile(components, "-Aordo.kubernetes.gracePeriod=10s");
    assertThat(compilation).hadWarningContaining("[Ordo/GracePeriod] The application of this compilation may need"
        + " 30s to shut down");
    assertTrue(yaml(compilation).contains("terminationGracePeriodSeconds: 32\n"));
    // Without the option and without an application: no fragment.
    assertTrue(compile(components).generatedFile(StandardLocation.CLASS_OUTPUT, "META-INF/ordo/kubernetes.yaml").isEmpty());
  }
}
