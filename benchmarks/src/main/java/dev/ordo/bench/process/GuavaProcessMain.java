package dev.ordo.bench.process;

import com.google.common.util.concurrent.ServiceManager;
import dev.ordo.bench.flat.guava.GuavaFlat;
import java.util.Arrays;

/** Scenario 5 for Guava: a ServiceManager of N AbstractIdleServices. */
public final class GuavaProcessMain {
  private GuavaProcessMain() {}

  public static void main(String[] args) {
    ServiceManager manager = new ServiceManager(Arrays.asList(GuavaFlat.create(Integer.parseInt(args[0]))));
    manager.startAsync().awaitHealthy();
    System.out.println("RUNNING");
    System.out.flush();
    manager.stopAsync().awaitStopped();
  }
}
