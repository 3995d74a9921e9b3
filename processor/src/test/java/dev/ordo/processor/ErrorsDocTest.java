package dev.ordo.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import dev.ordo.processor.base.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/errors.md} documents every diagnostic: a section per {@link Message} tag, under the
 * anchor its {@code docs:} line points at, and every example in it compiles to exactly the message
 * shown next to it.
 */
class ErrorsDocTest {
  private static final Path DOC = Path.of("..", "docs", "errors.md");
  private static final Pattern ANCHOR = Pattern.compile("<a id=\"([a-z0-9-]+)\"></a>");
  private static final Pattern BLOCK = Pattern.compile("```(java|text)\\n(.*?)\\n```", Pattern.DOTALL);

  private static String doc() throws IOException {
    return Files.readString(DOC, StandardCharsets.UTF_8);
  }

  /** The sections of the document, by anchor, each up to the next anchor. */
  private static Map<String, String> sections(String doc) {
    Map<String, String> sections = new LinkedHashMap<>();
    Matcher m = ANCHOR.matcher(doc);
    List<int[]> starts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    while (m.find()) {
      starts.add(new int[] {m.start(), m.end()});
      names.add(m.group(1));
    }
    for (int i = 0; i < names.size(); i++) {
      int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : doc.length();
      String previous = sections.put(names.get(i), doc.substring(starts.get(i)[1], end));
      assertEquals(null, previous, "anchor " + names.get(i) + " appears twice");
    }
    return sections;
  }

  @Test
  void everyMessageHasASectionUnderItsAnchor() throws IOException {
    Map<String, String> sections = sections(doc());
    for (Message message : Message.values()) {
      String section = sections.get(message.anchor());
      assertTrue(section != null, "docs/errors.md has no <a id=\"" + message.anchor() + "\"></a> for " + message);
      assertTrue(section.contains("### " + message.tag() + " ("), "section " + message.anchor() + " has no heading for " + message.tag());
      assertTrue(section.contains("[Ordo/" + message.tag() + "]"), "section " + message.anchor() + " shows no message");
      assertTrue(section.contains("**Fix:**"), "section " + message.anchor() + " says no fix");
      String kind = message.kind() == javax.tools.Diagnostic.Kind.ERROR ? "(error)" : "(warning, `ordo:" + message.lintName() + "`)";
      assertTrue(section.contains("### " + message.tag() + " " + kind), "section " + message.anchor() + " should be marked " + kind);
    }
    Set<String> known = Set.of(Message.values()).stream().map(Message::anchor).collect(Collectors.toSet());
    assertEquals(new TreeSet<>(), new TreeSet<>(sections.keySet().stream().filter(a -> !known.contains(a)).toList()),
        "sections without a message");
  }

  @Test
  void everyLinkAndDocsLineResolves() throws IOException {
    String doc = doc();
    Set<String> anchors = sections(doc).keySet();
    Matcher links = Pattern.compile("\\]\\(#([a-z0-9-]+)\\)").matcher(doc);
    while (links.find()) {
      assertTrue(anchors.contains(links.group(1)), "broken link #" + links.group(1));
    }
    for (Map.Entry<String, String> section : sections(doc).entrySet()) {
      Matcher docsLine = Pattern.compile("docs: docs/errors\\.md#([a-z0-9-]+)").matcher(section.getValue());
      while (docsLine.find()) {
        assertEquals(section.getKey(), docsLine.group(1), "a message in section " + section.getKey() + " points elsewhere");
      }
    }
  }

  @Test
  void everyExampleCompilesToTheMessageShown() throws IOException {
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (Map.Entry<String, String> section : sections(doc()).entrySet()) {
      List<JavaFileObject> sources = new ArrayList<>();
      List<String> messages = new ArrayList<>();
      Matcher block = BLOCK.matcher(section.getValue());
      while (block.find()) {
        if (block.group(1).equals("java")) {
          sources.add(sourceOf(block.group(2)));
        } else if (block.group(2).startsWith("[Ordo/")) {
          messages.add(block.group(2));
        }
      }
      if (sources.isEmpty()) {
        continue; // a diagnostic that no single compilation can show (InternalError, RuntimeMissing, ...)
      }
      Compilation compilation = Sources.compile(sources.toArray(new JavaFileObject[0]));
      List<String> reported = compilation.diagnostics().stream().map(d -> d.getMessage(null)).toList();
      for (String message : messages) {
        checked++;
        if (!reported.contains(message)) {
          failures.add("#" + section.getKey() + ": expected\n" + message + "\nbut javac reported\n"
              + String.join("\n---\n", reported));
        }
      }
      if (messages.isEmpty()) {
        fail("section " + section.getKey() + " has an example but no message");
      }
    }
    assertEquals(List.of(), failures);
    assertTrue(checked >= 20, "only " + checked + " examples checked");
  }

  private static JavaFileObject sourceOf(String text) {
    Matcher pkg = Pattern.compile("package ([\\w.]+);").matcher(text);
    Matcher type = Pattern.compile("public (?:final |abstract )*(?:class|record|@?interface|enum) (\\w+)").matcher(text);
    if (!pkg.find() || !type.find()) {
      throw new AssertionError("an example needs a package and a public type:\n" + text);
    }
    return Sources.source(pkg.group(1) + "." + type.group(1), text.split("\n", -1));
  }
}
