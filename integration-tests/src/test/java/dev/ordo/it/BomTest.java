package dev.ordo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * ordo-bom lists every artifact users depend on (each module of the reactor but the demo and the
 * benchmarks), at the reactor's version, so that one import aligns them all.
 */
class BomTest {
  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern ARTIFACT = Pattern.compile("<artifactId>([^<]+)</artifactId>");
  private static final Pattern VERSION = Pattern.compile("<version>([^<]+)</version>");

  private static List<String> all(Pattern p, String text) {
    List<String> found = new ArrayList<>();
    Matcher m = p.matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  @Test
  void theBomListsEveryPublishedModuleAtTheReactorsVersion() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    String parent = Files.readString(root.resolve("pom.xml"));
    String bom = Files.readString(root.resolve("bom/pom.xml"));
    String reactorVersion = all(VERSION, parent).get(0);

    TreeSet<String> published = new TreeSet<>();
    for (String module : all(MODULE, parent)) {
      if (List.of("integration-tests", "benchmarks", "bom").contains(module)) {
        continue;
      }
      String pom = Files.readString(root.resolve(module).resolve("pom.xml"));
      // The module's own artifactId: the first one after its <parent> block.
      String afterParent = pom.substring(pom.indexOf("</parent>"));
      published.add(all(ARTIFACT, afterParent).get(0));
    }
    String managed = bom.substring(bom.indexOf("<dependencyManagement>"));
    assertEquals(published, new TreeSet<>(all(ARTIFACT, managed)), "the BOM's artifacts");
    assertEquals(reactorVersion, all(VERSION, bom).get(0), "the BOM's own version is the reactor's");
    for (String v : all(VERSION, managed)) {
      assertEquals("${project.version}", v);
    }
  }
}
