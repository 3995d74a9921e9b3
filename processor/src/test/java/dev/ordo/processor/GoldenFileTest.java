package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Pins the exact text of generated code. After an intended change, regenerate the files with
 * {@code mvn -pl processor verify -Dordo.golden.update=true} and read the diff.
 */
class GoldenFileTest {
  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
  private static final boolean UPDATE = Boolean.getBoolean("ordo.golden.update");

  private final Compilation compilation =
      Sources.compile(Sources.orderStore(), Sources.connectionPool(), Sources.search());

  @Test
  void compilesWithoutWarnings() {
    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void controller() throws IOException {
    assertGolden("com.acme.OrderStore_Lifecycle", "OrderStore_Lifecycle.java.txt");
  }

  @Test
  void nestedComponentController() throws IOException {
    assertGolden("com.acme.Search_Index_Lifecycle", "Search_Index_Lifecycle.java.txt");
  }

  @Test
  void retryingComponentController() throws IOException {
    // Only components that retry or restart carry the policy; the others are generated as before.
    Compilation cache = Sources.compile(Sources.cache());
    assertThat(cache).succeededWithoutWarnings();
    assertGolden(cache, "com.acme.Cache_Lifecycle", "Cache_Lifecycle.java.txt");
  }

  @Test
  void controllerWithManagedResources() throws IOException {
    // Only components with managed-resource fields list them and override resources().
    Compilation scorer = Sources.compile(Sources.scorer());
    assertThat(scorer).succeededWithoutWarnings();
    assertGolden(scorer, "com.acme.Scorer_Lifecycle", "Scorer_Lifecycle.java.txt");
  }

  @Test
  void registry() throws IOException {
    // The suffix is the SHA-256 of the sorted binary names: the same on every build.
    assertGolden("com.acme.OrdoRegistry_ff27d01f", "OrdoRegistry.java.txt");
  }

  private void assertGolden(String generatedClass, String goldenFile) throws IOException {
    assertGolden(compilation, generatedClass, goldenFile);
  }

  private static void assertGolden(Compilation compilation, String generatedClass, String goldenFile)
      throws IOException {
    String actual = compilation.generatedSourceFile(generatedClass)
        .orElseThrow(() -> new AssertionError("not generated: " + generatedClass + "; generated: "
            + compilation.generatedSourceFiles()))
        .getCharContent(true)
        .toString();
    Path file = GOLDEN.resolve(goldenFile);
    if (UPDATE) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual,
        "generated " + generatedClass + " differs from " + file
            + "; if the change is intended, rerun with -Dordo.golden.update=true");
  }
}
