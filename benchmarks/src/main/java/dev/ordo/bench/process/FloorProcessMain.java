package dev.ordo.bench.process;

import dev.ordo.bench.Hook;
import dev.ordo.bench.flat.floor.FloorCallsStart;
import dev.ordo.bench.flat.floor.FloorCallsStop;
import dev.ordo.bench.flat.floor.FloorFlat;

/** Scenario 5's floor: N distinct classes started and stopped by straight generated calls. */
public final class FloorProcessMain {
  private FloorProcessMain() {}

  public static void main(String[] args) {
    Hook[] hooks = FloorFlat.create(Integer.parseInt(args[0]));
    FloorCallsStart.start(hooks);
    System.out.println("RUNNING");
    System.out.flush();
    FloorCallsStop.stop(hooks);
  }
}
