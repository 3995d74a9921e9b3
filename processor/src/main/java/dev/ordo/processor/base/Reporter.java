package dev.ordo.processor.base;

import java.util.Optional;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.tools.Diagnostic;

/**
 * Reports {@link Message}s through the compiler's {@link Messager}, on the exact element,
 * annotation and value, and counts the errors so that the processor can decide not to generate.
 * A warning that the element (or one around it) suppresses with {@code @SuppressWarnings("ordo:..")}
 * is not reported.
 */
public final class Reporter {
  private final Messager messager;
  private final Optional<RepeatedAnnotationLocator> repeatedAnnotations;
  private int errors;

  /** Reports through the environment's {@code Messager}. */
  public Reporter(ProcessingEnvironment env) {
    this.messager = env.getMessager();
    // Only where javac's trees exist: the locator's class names them, and would not link elsewhere.
    this.repeatedAnnotations = SourceTrees.available(env) ? RepeatedAnnotationLocator.of(env) : Optional.empty();
  }

  /** Reports {@code message}, formatted with {@code args}, at {@code location}. */
  public void report(Message message, Location location, Object... args) {
    if (message.kind() != Diagnostic.Kind.ERROR && location != null && location.element() != null
        && Suppressions.isSuppressed(location.element(), message)) {
      return;
    }
    String text = forJavac(message.format(args));
    if (message.kind() == Diagnostic.Kind.ERROR) {
      errors++;
    }
    if (location == null || location.element() == null) {
      messager.printMessage(message.kind(), text);
    } else if (location.annotation() == null) {
      messager.printMessage(message.kind(), text, location.element());
    } else if (repeatedAnnotations.isPresent()
        && repeatedAnnotations.get().report(message.kind(), text, location)) {
      return;
    } else if (location.value() == null) {
      messager.printMessage(message.kind(), text, location.element(), location.annotation());
    } else {
      messager.printMessage(
          message.kind(), text, location.element(), location.annotation(), location.value());
    }
  }

  /**
   * javac indents every line of a diagnostic after the first by two spaces when it prints it;
   * taking them off here makes what users see match {@link Message#format} exactly.
   */
  static String forJavac(String text) {
    return text.replace("\n  ", "\n");
  }

  /** How many errors were reported so far. */
  public int errorCount() {
    return errors;
  }
}
