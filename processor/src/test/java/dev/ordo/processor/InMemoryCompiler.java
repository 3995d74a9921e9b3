package dev.ordo.processor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.processing.Processor;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles many small programs quickly: one {@link JavaCompiler}, one file manager (its class path
 * read once) per instance, everything written in memory. Not thread-safe: use one per thread.
 */
final class InMemoryCompiler implements AutoCloseable {
  private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();

  private final StandardJavaFileManager files;

  InMemoryCompiler() {
    files = JAVAC.getStandardFileManager(null, null, StandardCharsets.UTF_8);
    try {
      files.setLocation(StandardLocation.CLASS_PATH, CLASS_PATH);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The test class path, with Ordo's own jars copied aside: this file manager keeps them open for
   * the whole test, and a {@code mvn install} of the same snapshot rewrites them in place.
   */
  private static final List<java.io.File> CLASS_PATH = snapshotClassPath();

  private static List<java.io.File> snapshotClassPath() {
    try {
      java.nio.file.Path copies = java.nio.file.Files.createTempDirectory("ordo-classpath");
      copies.toFile().deleteOnExit();
      List<java.io.File> classPath = new ArrayList<>();
      for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        java.io.File file = new java.io.File(entry);
        if (file.isFile() && file.getName().startsWith("ordo-") && file.getName().endsWith(".jar")) {
          java.nio.file.Path copy = copies.resolve(file.getName());
          java.nio.file.Files.copy(file.toPath(), copy);
          copy.toFile().deleteOnExit();
          file = copy.toFile();
        }
        classPath.add(file);
      }
      return List.copyOf(classPath);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What one compilation gave. */
  record Result(boolean success, List<Diagnostic<? extends JavaFileObject>> diagnostics, Map<String, byte[]> outputs) {
    List<String> messages(Diagnostic.Kind kind) {
      return diagnostics.stream().filter(d -> d.getKind() == kind).map(d -> d.getMessage(null)).toList();
    }
  }

  /** Compiles {@code sources} (file name to text) with {@code processor}. */
  Result compile(Map<String, String> sources, Processor processor, String... options) {
    List<JavaFileObject> units = new ArrayList<>();
    sources.forEach((name, text) -> units.add(new Source(name, text)));
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Map<String, byte[]> outputs = new TreeMap<>();
    JavaCompiler.CompilationTask task =
        JAVAC.getTask(null, new Output(files, outputs), diagnostics, List.of(options), null, units);
    task.setProcessors(List.of(processor));
    boolean success = task.call();
    return new Result(success, diagnostics.getDiagnostics(), outputs);
  }

  @Override
  public void close() throws IOException {
    files.close();
  }

  private static final class Source extends SimpleJavaFileObject {
    private final String text;

    Source(String name, String text) {
      super(URI.create("mem:///" + name), Kind.SOURCE);
      this.text = text;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text;
    }
  }

  /** A file written by javac or the processor, kept in {@code outputs} and readable back. */
  private static final class Written extends SimpleJavaFileObject {
    private final Map<String, byte[]> outputs;
    private final String key;

    Written(String key, Kind kind, Map<String, byte[]> outputs) {
      super(URI.create("mem:///" + key), kind);
      this.key = key;
      this.outputs = outputs;
    }

    @Override
    public OutputStream openOutputStream() {
      return new ByteArrayOutputStream() {
        @Override
        public void close() {
          outputs.put(key, toByteArray());
        }
      };
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      byte[] bytes = outputs.get(key);
      return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public java.io.InputStream openInputStream() {
      return new java.io.ByteArrayInputStream(outputs.getOrDefault(key, new byte[0]));
    }
  }

  private static final class Output extends ForwardingJavaFileManager<JavaFileManager> {
    private final Map<String, byte[]> outputs;

    Output(JavaFileManager files, Map<String, byte[]> outputs) {
      super(files);
      this.outputs = outputs;
    }

    @Override
    public JavaFileObject getJavaFileForOutput(
        Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
      return new Written(location.getName() + "/" + className.replace('.', '/') + kind.extension, kind, outputs);
    }

    @Override
    public FileObject getFileForOutput(Location location, String packageName, String relativeName, FileObject sibling) {
      String dir = packageName.isEmpty() ? "" : packageName.replace('.', '/') + "/";
      return new Written(location.getName() + "/" + dir + relativeName, JavaFileObject.Kind.OTHER, outputs);
    }

    @Override
    public boolean isSameFile(FileObject a, FileObject b) {
      return a.toUri().equals(b.toUri());
    }

    @Override
    public void close() {
      // the shared file manager stays open for the next compilation
    }
  }
}
