package dev.ordo.bench;

/**
 * Whether the generated Spring beans start on {@code refresh()}. The flat scenario turns it off to
 * time {@code refresh()} (wiring) and {@code start()} (starting) apart; a whole process leaves it on.
 */
public final class SpringAutoStartup {
  public static volatile boolean enabled = true;

  private SpringAutoStartup() {}
}
