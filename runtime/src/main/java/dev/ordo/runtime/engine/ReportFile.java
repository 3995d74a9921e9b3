package dev.ordo.runtime.engine;

import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.Timeline;
import dev.ordo.runtime.internal.Settings;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Where and how the run's {@link Timeline} is written: {@code ordo.report.file} /
 * {@code ORDO_REPORT_FILE} (or the builder's {@code reportFile}) and {@code ordo.report.format} /
 * {@code ORDO_REPORT_FORMAT} ({@code html}, the default, or {@code json}).
 *
 * <p>Checked at {@code build()}: a path that does not parse, names a directory, or whose directory
 * does not exist or cannot be written is a {@link ConfigurationException} naming the key and the
 * value, and so is an unknown format. Written after startup (once RUNNING) and again after the
 * shutdown, each time whole: to a temporary file in the same directory, then renamed over the
 * report (atomically where the file system can), so that a reader never sees half a page. A write
 * that fails then (a full disk, a directory removed meanwhile) is logged as a warning and changes
 * nothing else: the report is an observer, never a reason for startup or shutdown to fail.
 */
public final class ReportFile {
  public static final String FILE = "ordo.report.file";
  public static final String FORMAT = "ordo.report.format";
  private static final String FORMAT_FORM = "html or json";
  /** Tells apart the temporary files of the reports this process writes. */
  private static final java.util.concurrent.atomic.AtomicLong TEMPORARY = new java.util.concurrent.atomic.AtomicLong();

  private final Path path;
  private final boolean json;

  private ReportFile(Path path, boolean json) {
    this.path = path;
    this.json = json;
  }

  /**
   * The report file configured in code ({@code fromCode}, {@code formatFromCode}; null when not
   * given), else by the system property, else the environment; {@code null} when none is.
   *
   * @throws ConfigurationException if the path or the format is not usable
   */
  public static ReportFile resolve(Path fromCode, Timeline.Format formatFromCode, Settings settings) {
    boolean json;
    if (formatFromCode != null) {
      json = formatFromCode == Timeline.Format.JSON;
    } else {
      json = settings.resolve(FORMAT, Boolean.FALSE, text -> {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("json")) {
          return true;
        }
        if (t.equals("html")) {
          return false;
        }
        throw new IllegalArgumentException(text);
      }, FORMAT_FORM);
    }
    Path path;
    String source;
    if (fromCode != null) {
      path = fromCode;
      source = "builder";
    } else {
      String text = settings.text(FILE);
      if (text == null) {
        return null;
      }
      source = settings.source(FILE);
      try {
        if (text.isBlank()) {
          throw new InvalidPathException(text, "empty");
        }
        path = Path.of(text.strip());
      } catch (InvalidPathException e) {
        throw invalid(text, source, "a file path such as startup.html");
      }
    }
    Path absolute = path.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      throw invalid(path.toString(), source, "a file, not a directory");
    }
    Path dir = absolute.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw invalid(path.toString(), source, "a file in an existing directory (" + dir + " is not one)");
    }
    if (!Files.isWritable(dir)) {
      throw invalid(path.toString(), source, "a file in a directory this process can write (" + dir + " is not)");
    }
    return new ReportFile(absolute, json);
  }

  private static ConfigurationException invalid(String value, String source, String expected) {
    return new ConfigurationException("Invalid value '" + value + "' for " + FILE + " (" + source + "): expected "
        + expected);
  }

  /** The file written. */
  public Path path() {
    return path;
  }

  /** Whether it is written as JSON rather than HTML. */
  public boolean json() {
    return json;
  }

  /**
   * Writes {@code timeline} whole, replacing the previous report. Called by the engine on the
   * thread in {@code start()} (after RUNNING) and on the thread that ran the shutdown; never
   * concurrently for one application (the shutdown's write comes after startup's has returned, or
   * startup failed and wrote nothing). Never throws: a failure is logged.
   *
   * @param after {@code startup} or {@code shutdown}, for the log
   */
  void write(Timeline timeline, String after) {
    Path tmp = null;
    try {
      String text = json ? timeline.toJson() : timeline.toHtml();
      // Not Files.createTempFile: its owner-only permissions would stay on the report after the
      // rename; a new file of the process's own umask, with a name no other writer uses, does not.
      tmp = path.resolveSibling("." + path.getFileName() + "." + ProcessHandle.current().pid() + "."
          + TEMPORARY.incrementAndGet() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
      Engine.LOG.log(Level.INFO, () -> "Wrote the timeline (after " + after + ") to " + path);
    } catch (IOException | RuntimeException e) {
      Engine.LOG.log(Level.WARNING, "Could not write the timeline (" + FILE + ") to " + path + ": " + e, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the temporary file stays; the warning above already says what went wrong
        }
      }
    }
  }
}
