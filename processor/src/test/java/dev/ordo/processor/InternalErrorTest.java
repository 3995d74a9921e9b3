package dev.ordo.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.ordo.processor.Sources.component;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.ordo.processor.validation.ComponentRule;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** An exception inside the processor is one diagnostic on the element, never a crash of javac. */
class InternalErrorTest {
  private static final ComponentRule FAILING = (component, reporter) -> {
    if (component.getSimpleName().contentEquals("Broken")) {
      throw new IllegalStateException("deliberate failure in a test rule");
    }
  };

  @Test
  void anExceptionInARuleIsReportedOnTheComponent() {
    JavaFileObject broken = component("Broken", "public class Broken { @OnStartup void start() {} }");
    JavaFileObject fine = component("Fine", "public class Fine { @OnStartup private void start() {} }");
    Compilation compilation = javac()
        .withProcessors(new OrdoProcessor(List.of(FAILING)))
        .compile(broken, fine);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorCount(2); // the other rules still ran: Fine's private hook is reported
    assertThat(compilation).hadErrorContaining(
            "[Ordo/InternalError] Ordo failed unexpectedly while processing com.acme.Broken; this is a bug"
                + " in Ordo:\n  java.lang.IllegalStateException: deliberate failure in a test rule\n")
        .inFile(broken).onLineContaining("public class Broken");
    String message = compilation.errors().stream()
        .filter(d -> d.getMessage(null).startsWith("[Ordo/InternalError]"))
        .findFirst().orElseThrow().getMessage(null);
    assertTrue(message.contains("\tat dev.ordo.processor.InternalErrorTest"), message);
    assertTrue(message.contains("OrdoProcessor.process(OrdoProcessor.java:"), message);
    assertTrue(message.endsWith(")\n  \t...\n  help: report it at https://github.com/ordo-dev/ordo/issues with"
        + " this message\n  docs: docs/errors.md#internal-error"), message);
    assertFalse(message.contains("org.junit"), "the frames below process() are left out: " + message);
    assertThat(compilation).hadErrorContaining("[Ordo/PrivateHook]").inFile(fine).onLineContaining("private void start");
  }

  @Test
  void withoutTheFailingRuleTheSameSourceCompiles() {
    JavaFileObject broken = component("Broken", "public class Broken { @OnStartup void start() {} }");
    assertThat(javac().withProcessors(new OrdoProcessor(List.of(FAILING)))
        .compile(component("Other", "public class Other { @OnStartup void start() {} }")))
        .succeededWithoutWarnings();
    assertThat(javac().withProcessors(new OrdoProcessor()).compile(broken)).succeededWithoutWarnings();
  }
}
