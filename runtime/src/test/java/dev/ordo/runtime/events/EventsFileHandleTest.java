package dev.ordo.runtime.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.Ordo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The events file is checked when the application is built but held open only from the first
 * event: a build that fails, or an application never started, holds no file.
 */
class EventsFileHandleTest {
  static final class Store {}

  /** How many of this process's file descriptors point at {@code file} (Linux). */
  private static long openHandles(Path file) throws IOException {
    Path fds = Path.of("/proc/self/fd");
    assumeTrue(Files.isDirectory(fds), "needs /proc");
    Path target = file.toRealPath();
    try (Stream<Path> links = Files.list(fds)) {
      return links.filter(l -> {
        try {
          return Files.readSymbolicLink(l).equals(target);
        } catch (IOException | UnsupportedOperationException e) {
          return false; // closed meanwhile, or not a link
        }
      }).count();
    }
  }

  @Test
  void aFailedBuildHoldsNoEventsFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("events.jsonl");
    ComponentDescriptor store = ComponentDescriptor.builder(Store.class).dependsOn("com.acme.Missing").build();
    for (int i = 0; i < 20; i++) {
      assertThrows(ConfigurationException.class, () -> Ordo.builder()
          .controller(new LifecycleController<>(store, new Store()) {})
          .events(EventOptions.defaults().file(file))
          .build());
    }
    if (Files.exists(file)) { // the graph fails first: the events are not even configured
      assertEquals(0, openHandles(file));
    }
  }

  @Test
  void anAssemblyWhoseBuildFailsHoldsNoEventsFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("events.jsonl");
    dev.ordo.runtime.AssemblyPlan plan = new dev.ordo.runtime.AssemblyPlan("com.acme.App",
        new Class<?>[] {Store.class}, new String[1], new boolean[1], new int[][] {{}}, new int[][] {{}});
    for (int i = 0; i < 20; i++) {
      Ordo.Assembly assembly = Ordo.builder().events(EventOptions.defaults().file(file))
          .assemble(plan, java.util.List.of());
      // As the generated build() does when an external is missing: it throws, the assembly is dropped.
      assertTrue(assembly.includes(0));
    }
    assertTrue(Files.exists(file), "the path is checked when the application is assembled");
    assertEquals(0, openHandles(file));
  }

  @Test
  void aBuiltAppHoldsTheFileOnlyFromItsFirstEventAndReleasesItAtStop(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("events.jsonl");
    Ordo app = Ordo.builder()
        .controller(new LifecycleController<>(ComponentDescriptor.builder(Store.class).build(), new Store()) {})
        .events(EventOptions.defaults().file(file))
        .build();
    assertEquals(0, openHandles(file), "built, not started");
    app.start();
    app.stop();
    assertEquals(0, openHandles(file), "stopped");
    assertTrue(Files.readString(file).contains("application.stopped"), "the events were written");
  }

  @Test
  void aPathThatCannotBeWrittenStillFailsAtBuild(@TempDir Path dir) throws IOException {
    Path directory = Files.createDirectory(dir.resolve("a-directory"));
    assertThrows(ConfigurationException.class, () -> Ordo.builder()
        .events(EventOptions.defaults().file(directory)).build());
  }
}
