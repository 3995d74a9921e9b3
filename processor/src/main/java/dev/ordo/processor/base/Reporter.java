package dev.ordo.processor.base;

import javax.annotation.processing.Messager;
import javax.tools.Diagnostic;

/**
 * Reports {@link Message}s through the compiler's {@link Messager}, on the exact element,
 * annotation and value, and counts the errors so that the processor can decide not to generate.
 */
public final class Reporter {
  private final Messager messager;
  private int errors;

  /** Reports through {@code messager}. */
  public Reporter(Messager messager) {
    this.messager = messager;
  }

  /** Reports {@code message}, formatted with {@code args}, at {@code location}. */
  public void report(Message message, Location location, Object... args) {
    String text = message.format(args);
    if (message.kind() == Diagnostic.Kind.ERROR) {
      errors++;
    }
    if (location == null || location.element() == null) {
      messager.printMessage(message.kind(), text);
    } else if (location.annotation() == null) {
      messager.printMessage(message.kind(), text, location.element());
    } else if (location.value() == null) {
      messager.printMessage(message.kind(), text, location.element(), location.annotation());
    } else {
      messager.printMessage(
          message.kind(), text, location.element(), location.annotation(), location.value());
    }
  }

  /** How many errors were reported so far. */
  public int errorCount() {
    return errors;
  }
}
