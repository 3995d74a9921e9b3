package dev.ordo.runtime.events;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Writes each event as one line of CloudEvents JSON (<a href="https://jsonlines.org">JSON lines</a>),
 * in UTF-8, to a file or to standard output. Configured with {@code ordo.events.file} /
 * {@code ORDO_EVENTS_FILE} (a path, or {@code -} for standard output), or given to
 * {@link EventOptions#sink(EventSink)}.
 *
 * <p>{@link #deliver} only adds the line to a buffer in memory; {@link #flush} writes the buffer
 * out, and throws if it could not write all of it: so the events it held count as delivered only
 * once they are in the file, and as failed when the write fails (a full disk, {@code /dev/full}, a
 * closed pipe). Delivery flushes whenever the sink has caught up with the events published, and at
 * least every few hundred events, so a reader of the file sees whole lines soon after they happen.
 * A failed write's events are not written again later (they are counted as failed); if the
 * write had put part of a line into the file, the next write begins on a new line, so that the
 * lines written afterwards stay whole.
 *
 * <p>Standard output is written through {@link System#out}, which reports errors only as a sticky
 * flag: once a write to it failed, every later flush fails too.
 *
 * @since 0.1
 */
public final class JsonLinesEventSink implements EventSink {
  private final Output out;
  private final String name;
  private final StringBuilder buffer = new StringBuilder(1 << 12);
  /** A failed write may have left part of a line: the next write begins with a line break. */
  private boolean brokenLine;

  private JsonLinesEventSink(Output out, String name) {
    this.out = out;
    this.name = name;
  }

  /** Where the lines go. */
  private interface Output {
    /** Writes all of {@code bytes}, or throws ({@link PartialWriteException} if some were written first). */
    void write(byte[] bytes) throws IOException;

    void close() throws IOException;
  }

  /** A failed write that wrote some bytes first. */
  private static final class PartialWriteException extends IOException {
    private static final long serialVersionUID = 1L;

    PartialWriteException(long written, IOException cause) {
      super("wrote " + written + " bytes, then: " + cause.getMessage(), cause);
    }
  }

  /**
   * Appends to {@code file}, creating it and its directories when missing. The file is opened (and
   * closed) here, so that a path that cannot be written fails at once; it is held open only from
   * the first write, so that an application that is built but never started (or whose build
   * fails after this) holds no file.
   */
  public static JsonLinesEventSink toFile(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE).close();
    return new JsonLinesEventSink(new Output() {
      // Written and read by the sink's one delivery thread (write), then by the thread that closes
      // the sink once that thread is done (close): the sink's close happens-after its last write.
      private FileChannel channel;

      @Override
      public void write(byte[] bytes) throws IOException {
        if (channel == null) {
          channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
              StandardOpenOption.WRITE);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
          try {
            channel.write(b);
          } catch (IOException e) {
            throw b.position() > 0 ? new PartialWriteException(b.position(), e) : e;
          }
        }
      }

      @Override
      public void close() throws IOException {
        if (channel != null) {
          channel.close();
        }
      }
    }, "json-lines:" + file);
  }

  /** Writes to standard output (never closes it). */
  public static JsonLinesEventSink toStdout() {
    return new JsonLinesEventSink(new Output() {
      @Override
      public void write(byte[] bytes) throws IOException {
        PrintStream stdout = System.out;
        stdout.write(bytes, 0, bytes.length);
        if (stdout.checkError()) { // flushes, and tells whether any write failed
          throw new IOException("standard output reports a write error");
        }
      }

      @Override
      public void close() {
        System.out.flush();
      }
    }, "json-lines:stdout");
  }

  /** Writes to {@code writer}; {@link #close()} closes it. */
  public static JsonLinesEventSink to(Writer writer) {
    Objects.requireNonNull(writer, "writer");
    return new JsonLinesEventSink(new Output() {
      @Override
      public void write(byte[] bytes) throws IOException {
        writer.write(new String(bytes, StandardCharsets.UTF_8));
        writer.flush();
      }

      @Override
      public void close() throws IOException {
        writer.close();
      }
    }, "json-lines");
  }

  /** Adds the event's line to the buffer; nothing is written until {@link #flush()}. */
  @Override
  public void deliver(Event event) {
    // Called on the sink's one delivery thread, as flush() is. Data without a JSON form (a map or
    // list that holds itself, a toString() that throws) makes appendJson throw half way through
    // the line: take back what it appended, so that the file holds whole lines only. The throw
    // counts this event as failed; the events around it are written as usual.
    int lineStart = buffer.length();
    try {
      event.appendJson(buffer);
    } catch (RuntimeException | Error e) {
      buffer.setLength(lineStart);
      throw e;
    }
    buffer.append('\n');
  }

  /**
   * Writes out the buffered lines; throws if they could not all be written. Either way the buffer
   * is emptied: lines that failed are not written again.
   */
  @Override
  public void flush() throws IOException {
    if (buffer.length() == 0) {
      return;
    }
    if (brokenLine) {
      buffer.insert(0, '\n');
    }
    byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
    if (buffer.capacity() > 1 << 20) {
      buffer.setLength(0);
      buffer.trimToSize(); // after a burst, do not keep megabytes for good
    } else {
      buffer.setLength(0);
    }
    try {
      out.write(bytes);
      brokenLine = false;
    } catch (PartialWriteException e) {
      brokenLine = true;
      throw e;
    }
  }

  /** Writes out what is buffered, then closes the file (standard output is only flushed). */
  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      out.close();
    }
  }

  @Override
  public String name() {
    return name;
  }
}
