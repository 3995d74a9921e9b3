package dev.ordo.bench.process;

/** Scenario 5's reference: a JVM that does nothing but say RUNNING. */
public final class BareProcessMain {
  private BareProcessMain() {}

  public static void main(String[] args) {
    System.out.println("RUNNING");
    System.out.flush();
  }
}
