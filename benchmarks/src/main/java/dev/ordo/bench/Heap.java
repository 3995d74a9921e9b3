package dev.ordo.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Scenario 4 for one system, in a JVM of its own: the heap a started application of N
 * components retains, per component. A first application is wired, started and stopped (so
 * classes, static descriptors and caches exist before the baseline: they are paid once per
 * class, not per application); then used heap after a full GC is read before wiring a second
 * one and after starting it.
 *
 * <p>{@code Heap SYSTEM N}
 */
public final class Heap {
  private Heap() {}

  public static void main(String[] args) throws Exception {
    String system = args[0];
    int n = Integer.parseInt(args[1]);
    String key = "heap/" + system + "/" + n;
    if (!Systems.available(system, n)) {
      Samples.emit(key + "/missing", "not built");
      return;
    }
    Systems.Wiring wiring = Systems.flat(system, n);
    for (int i = 0; i < 2; i++) {
      Systems.Instance warm = wiring.wire();
      warm.start();
      warm.stop();
    }
    Samples perComponent = new Samples();
    for (int round = 0; round < 3; round++) {
      long before = usedAfterGc();
      Systems.Instance app = wiring.wire();
      app.start();
      long after = usedAfterGc();
      perComponent.add((double) (after - before) / n);
      app.stop();
      app = null;
    }
    Samples.emit(key + "/bytes", perComponent);
  }

  static long usedAfterGc() throws InterruptedException {
    // Threads of a stopped application may idle for a while before they end (Ordo's engine ends
    // its workers and listener threads when stop() returns, but a peer's pools may keep alive):
    // what they still hold must be gone before a baseline, or it skews the figure.
    Thread.sleep(1500);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      memory.gc();
      Thread.sleep(20);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used; // the least of the readings after full GCs (it used to return the last one)
  }
}
