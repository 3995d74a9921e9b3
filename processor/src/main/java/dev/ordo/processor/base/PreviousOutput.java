package dev.ordo.processor.base;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.processing.Filer;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * What an earlier compilation into the same class output left there: the registries its
 * {@code META-INF/services} entry names and the components its {@code META-INF/ordo/graph.json}
 * lists.
 *
 * <p>An IDE, or Maven and Gradle when they compile incrementally, recompiles only the files that
 * changed, against the classes of the others in the output directory. The files Ordo writes for the
 * whole compilation (the services entry, the graph, the event catalog) would then list only the
 * changed files' components, and the others' controllers would no longer be found at run time. The
 * processor reads what the previous compilation wrote, and carries over what still exists, as
 * AutoService merges an existing services file.
 *
 * <p>Read once, before anything is written: a filer may refuse to open a file for reading once it
 * was opened for writing in the same compilation.
 */
public final class PreviousOutput {
  private static final Pattern NAME = Pattern.compile("\"name\": \"([^\"\\\\]+)\"");

  private final List<String> registries;
  private final List<String> components;

  private PreviousOutput(List<String> registries, List<String> components) {
    this.registries = registries;
    this.components = components;
  }

  /**
   * Reads {@code servicesFile} and {@code graphFile} from the class output of {@code filer}; what is
   * missing or unreadable (a first build, a compiler whose filer cannot read the output) is empty.
   */
  public static PreviousOutput read(Filer filer, String servicesFile, String graphFile) {
    List<String> registries = new ArrayList<>();
    String services = text(filer, servicesFile);
    if (services != null) {
      for (String line : services.split("\n")) {
        int comment = line.indexOf('#');
        String name = (comment >= 0 ? line.substring(0, comment) : line).trim();
        if (!name.isEmpty() && !registries.contains(name)) {
          registries.add(name);
        }
      }
    }
    List<String> components = new ArrayList<>();
    String graph = text(filer, graphFile);
    if (graph != null) {
      Matcher m = NAME.matcher(graph);
      while (m.find()) {
        components.add(m.group(1));
      }
    }
    return new PreviousOutput(List.copyOf(registries), List.copyOf(components));
  }

  /** The binary names of the registries the previous services entry listed, in its order. */
  public List<String> registries() {
    return registries;
  }

  /** The binary names of the components the previous graph listed. */
  public List<String> components() {
    return components;
  }

  private static String text(Filer filer, String path) {
    try {
      FileObject file = filer.getResource(StandardLocation.CLASS_OUTPUT, "", path);
      try (InputStream in = file.openInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException | IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
      // No earlier output (FileNotFoundException, NoSuchFileException), or a filer that cannot read it.
      return null;
    }
  }
}
