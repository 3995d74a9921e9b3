package dev.ordo.runtime.events;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Writes each event as one line of CloudEvents JSON (<a href="https://jsonlines.org">JSON lines</a>),
 * in UTF-8, to a file or to standard output. Lines are buffered and written out whenever the sink
 * has caught up with the events published so far, and at shutdown; a reader of the file sees whole
 * lines. Configured with {@code ordo.events.file} / {@code ORDO_EVENTS_FILE} (a path, or {@code -}
 * for standard output), or given to {@link EventOptions#sink(EventSink)}.
 *
 * @since 0.1
 */
public final class JsonLinesEventSink implements EventSink {
  private final Writer out;
  private final boolean closeAtEnd;
  private final String name;
  private final StringBuilder line = new StringBuilder(512);

  private JsonLinesEventSink(Writer out, boolean closeAtEnd, String name) {
    this.out = out;
    this.closeAtEnd = closeAtEnd;
    this.name = name;
  }

  /** Appends to {@code file}, creating it and its directories when missing. */
  public static JsonLinesEventSink toFile(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    OutputStream stream = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
        StandardOpenOption.WRITE);
    return new JsonLinesEventSink(
        new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16), true,
        "json-lines:" + file);
  }

  /** Writes to standard output (never closes it). */
  public static JsonLinesEventSink toStdout() {
    return new JsonLinesEventSink(
        new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16), false,
        "json-lines:stdout");
  }

  /** Writes to {@code writer}; {@link #close()} closes it. */
  public static JsonLinesEventSink to(Writer writer) {
    return new JsonLinesEventSink(Objects.requireNonNull(writer, "writer"), true, "json-lines");
  }

  @Override
  public void deliver(Event event) throws IOException {
    line.setLength(0);
    event.appendJson(line);
    line.append('\n');
    out.append(line);
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (closeAtEnd) {
      out.close();
    } else {
      out.flush();
    }
  }

  @Override
  public String name() {
    return name;
  }
}
