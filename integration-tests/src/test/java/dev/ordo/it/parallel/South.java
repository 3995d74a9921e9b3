package dev.ordo.it.parallel;

import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;

public class South {
  private final Barrier startBarrier;
  private final Barrier stopBarrier;

  public South(Barrier startBarrier, Barrier stopBarrier) {
    this.startBarrier = startBarrier;
    this.stopBarrier = stopBarrier;
  }

  @OnStartup
  void start() throws Exception {
    startBarrier.await();
  }

  @OnShutdown
  void stop() throws Exception {
    stopBarrier.await();
  }
}
