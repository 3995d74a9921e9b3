package dev.ordo.bench;

/** The hand-written floor's component contract: a start and a stop, called directly. */
public interface Hook {
  void start();

  void stop();
}
