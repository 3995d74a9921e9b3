package dev.ordo.processor;

import static com.google.testing.compile.Compiler.javac;
import static dev.ordo.processor.Sources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.util.ArrayList;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Generated Javadoc passes {@code -Xdoclint:all}: every member documented, with its
 * {@code @param}, {@code @return} and {@code @throws}, so that projects that run doclint on all
 * sources (the generated ones included) keep passing. Every kind of generated class is here: the
 * controllers (typed and of an auxiliary class), the events API with operations and payloads, the
 * registry split into parts, and the assembly with externals, keys, accessors and parts.
 */
class DoclintTest {
  @Test
  void everyGeneratedClassPassesDoclintAll() {
    List<JavaFileObject> sources = new ArrayList<>();
    sources.add(source("com.big.Big", "package com.big;", "@dev.ordo.OrdoApplication",
        "public interface Big { C1 first(); java.util.Optional<C2> second(); }"));
    sources.add(source("com.big.Config", "package com.big;", "public record Config(String url) {}"));
    sources.add(source("com.big.Placed", "package com.big;", "public record Placed(long id, String item) {}"));
    sources.add(source("com.big.Pool", "package com.big;",
        "@dev.ordo.Critical public class Pool { @dev.ordo.OnStartup void open() {} }",
        "class Helper { @dev.ordo.OnStartup void open() {} }"));
    sources.add(source("com.big.C0", "package com.big;",
        "@dev.ordo.Critical @dev.ordo.PublishesEvents(operations = {\"checkout\", \"work\"}, payloads = Placed.class)",
        "public class C0 {",
        "  public C0(Config config, @jakarta.inject.Named(\"http-port\") int port, C0_Events events,",
        "      @jakarta.inject.Named(\"orders-db\") Pool orders, @jakarta.inject.Named(\"users-db\") Pool users) {}",
        "  @dev.ordo.OnStartup(timeout = \"5s\") void start() {}",
        "  @dev.ordo.OnShutdown java.util.concurrent.CompletionStage<Void> stop() { return null; }",
        "  @dev.ordo.HealthCheck boolean ping() { return true; }",
        "}"));
    for (int i = 1; i < 230; i++) {
      sources.add(source("com.big.C" + i, "package com.big;",
          "public class C" + i + " {",
          "  public C" + i + "(C" + (i - 1) + " previous) {}",
          "  @dev.ordo.OnStartup void start() {}",
          "}"));
    }
    Compilation compilation = javac().withProcessors(new OrdoProcessor())
        .withOptions("-Xdoclint:all", "-Xmaxwarns", "10000", "-Xmaxerrs", "10000")
        .compile(sources);
    List<String> generated = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : compilation.diagnostics()) {
      if (d.getSource() != null && d.getSource().getName().startsWith("/SOURCE_OUTPUT/")) {
        generated.add(d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(null));
      }
    }
    assertEquals(List.of(), generated);
    assertEquals(Compilation.Status.SUCCESS, compilation.status(), compilation.errors().toString());
  }
}
