package dev.ordo.registry;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A real etcd server, a child process of the test JVM, with its data in a temporary directory.
 * When no {@code etcd} binary is found, {@code scripts/install-etcd.sh} installs Debian's
 * {@code etcd-server} package; where that is impossible (no root, no apt-get, no network), the
 * tests that need etcd are skipped with a loud message, never silently.
 */
final class EtcdServer implements AutoCloseable {
  private static String binary;

  final int clientPort;
  private final int peerPort;
  private final Path dataDir;
  private Process process;

  private EtcdServer(int clientPort, int peerPort, Path dataDir) {
    this.clientPort = clientPort;
    this.peerPort = peerPort;
    this.dataDir = dataDir;
  }

  /** The etcd binary, installed if need be; skips the calling test (loudly) when there is none. */
  static synchronized String binary() throws Exception {
    if (binary != null) {
      return binary;
    }
    String script = System.getProperty("ordo.test.install-etcd", "../scripts/install-etcd.sh");
    Process install = new ProcessBuilder("bash", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    int status = install.waitFor();
    if (status != 0 || out.isEmpty() || !new File(out.lines().reduce((a, b) -> b).orElse("")).canExecute()) {
      String message = "\n\n*** SKIPPED: the etcd tests of ordo-registry need an etcd server, and " + script
          + " could not install one (exit status " + status + "). Install Debian's etcd-server package"
          + " (apt-get install etcd-server) or put etcd on the PATH to run them. ***\n";
      System.err.println(message);
      Assumptions.abort(message);
    }
    binary = out.lines().reduce((a, b) -> b).orElseThrow();
    return binary;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A server not started yet, on free ports. */
  static EtcdServer create() throws Exception {
    binary();
    return new EtcdServer(freePort(), freePort(), Files.createTempDirectory("ordo-etcd"));
  }

  /** Starts one on free ports and waits until it answers. */
  static EtcdServer start() throws Exception {
    EtcdServer server = create();
    server.startProcess();
    return server;
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + clientPort);
  }

  String registryUrl() {
    return "etcd://127.0.0.1:" + clientPort;
  }

  /** Starts the process and waits until its health endpoint answers. */
  void startProcess() throws Exception {
    String client = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    process = new ProcessBuilder(List.of(binary(), "--name", "ordo-test", "--data-dir", dataDir.toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", "ordo-test=" + peer, "--log-level", "error"))
        .redirectErrorStream(true)
        .redirectOutput(dataDir.resolve("etcd.log").toFile())
        .start();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    for (int i = 0; i < 600; i++) {
      if (!process.isAlive()) {
        throw new IllegalStateException("etcd exited with " + process.exitValue() + ": "
            + Files.readString(dataDir.resolve("etcd.log")));
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(client + "/health"))
            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("true")) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("etcd did not become healthy: " + Files.readString(dataDir.resolve("etcd.log")));
  }

  @Override
  public void close() throws Exception {
    if (process != null) {
      process.destroy();
      process.waitFor();
    }
    try (var files = Files.walk(dataDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
