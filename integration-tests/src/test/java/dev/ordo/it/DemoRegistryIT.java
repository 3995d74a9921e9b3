package dev.ordo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import java.io.File;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The demo jar with {@code --registry etcd://...}, against a real etcd server: it registers its API
 * (its actual port, its readiness probe) while it runs, and deregisters on SIGTERM. etcd comes from
 * {@code scripts/install-etcd.sh} (Debian's etcd-server) when it is not on the PATH; where it cannot
 * be installed the test is skipped with a loud message.
 */
class DemoRegistryIT {
  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String etcdBinary() throws Exception {
    Process install = new ProcessBuilder("bash", "../scripts/install-etcd.sh")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    int status = install.waitFor();
    String binary = out.lines().reduce((a, b) -> b).orElse("");
    if (status != 0 || !new File(binary).canExecute()) {
      String message = "\n\n*** SKIPPED: DemoRegistryIT needs an etcd server, and scripts/install-etcd.sh could not"
          + " install one (exit status " + status + "); install Debian's etcd-server package to run it. ***\n";
      System.err.println(message);
      Assumptions.abort(message);
    }
    return binary;
  }

  private static List<KeyValue> services(Client client) throws Exception {
    ByteSequence prefix = ByteSequence.from("/services/ordo-demo/", StandardCharsets.UTF_8);
    return client.getKVClient().get(prefix, GetOption.builder().isPrefix(true).build()).get(10, TimeUnit.SECONDS).getKvs();
  }

  private static List<KeyValue> await(Client client, Predicate<List<KeyValue>> condition) throws Exception {
    for (int i = 0; i < 600; i++) {
      List<KeyValue> kvs = services(client);
      if (condition.test(kvs)) {
        return kvs;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("etcd never showed the expected registrations; last: " + services(client));
  }

  @Test
  void theDemoRegistersWithEtcdWhileItRunsAndDeregistersOnSigterm() throws Exception {
    String binary = etcdBinary();
    Path data = Files.createTempDirectory("ordo-demo-etcd");
    int clientPort = freePort();
    int peerPort = freePort();
    String client = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    Process etcd = new ProcessBuilder(binary, "--data-dir", data.resolve("d").toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client, "--listen-peer-urls", peer,
        "--initial-advertise-peer-urls", peer, "--initial-cluster", "default=" + peer, "--log-level", "error")
        .redirectErrorStream(true).redirectOutput(data.resolve("etcd.log").toFile()).start();
    try (Client etcdClient = Client.builder().endpoints(client).build()) {
      HttpClient http = HttpClient.newHttpClient();
      for (int i = 0; ; i++) {
        try {
          if (http.send(HttpRequest.newBuilder(URI.create(client + "/health")).build(),
              HttpResponse.BodyHandlers.ofString()).body().contains("true")) {
            break;
          }
        } catch (java.io.IOException e) {
          if (i > 300 || !etcd.isAlive()) {
            throw new AssertionError("etcd did not start: " + Files.readString(data.resolve("etcd.log")), e);
          }
        }
        Thread.sleep(100);
      }

      try (DemoProcess demo = DemoProcess.start(List.of(), "--port", "0", "--registry", "etcd://127.0.0.1:" + clientPort)) {
        int apiPort = demo.port();
        int healthPort = demo.healthPort();
        List<KeyValue> kvs = await(etcdClient, l -> l.size() == 1);
        String value = kvs.get(0).getValue().toString(StandardCharsets.UTF_8);
        assertTrue(value.contains("\"port\":" + apiPort), value);
        assertTrue(value.contains("\"healthCheckUrl\":\"http://127.0.0.1:" + healthPort + "/health/ready\""), value);
        assertTrue(value.contains("\"status\":\"UP\""), value);
        assertNotEquals(0, kvs.get(0).getLease());

        demo.sigterm();
        assertEquals(0, demo.awaitExit(60));
        assertEquals(List.of(), services(etcdClient), "deregistered at shutdown");
      }
    } finally {
      etcd.destroy();
      etcd.waitFor();
    }
  }
}
