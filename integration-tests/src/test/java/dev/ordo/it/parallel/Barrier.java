package dev.ordo.it.parallel;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

/** Hooks that meet here can only all pass if they run at the same time. */
public final class Barrier {
  private final CyclicBarrier barrier;

  public Barrier(int parties) {
    this.barrier = new CyclicBarrier(parties);
  }

  public void await() throws Exception {
    barrier.await(30, TimeUnit.SECONDS);
  }
}
