package dev.ordo.registry;

import dev.ordo.runtime.Ordo;
import java.time.Duration;

/**
 * A process that registers with etcd and runs until it is killed: {@code <registry url> <instance id>}.
 * The SIGKILL test kills it and watches its key vanish when the lease expires.
 */
public final class RegisteringMain {
  private RegisteringMain() {}

  public static void main(String[] args) throws Exception {
    ServiceRegistration registration = ServiceRegistration.builder()
        .registry(args[0])
        .serviceName("killed")
        .instanceId(args[1])
        .address("127.0.0.1")
        .port(9000)
        .ttl(Duration.ofSeconds(2))
        .build();
    Ordo app = registration.addTo(Ordo.builder()).build();
    app.start();
    System.out.println("STARTED " + app.state());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
