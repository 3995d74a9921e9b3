package dev.ordo.it.stress;

import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.Ordo;
import dev.ordo.runtime.ShutdownReport;

/**
 * Run by {@link EnvironmentDurationsIT} in a JVM of its own, with {@code ORDO_*} variables set:
 * builds, starts and stops a small application and prints what happened on one line.
 */
public final class EnvironmentMain {
  private EnvironmentMain() {}

  public static void main(String[] args) {
    Script script = new Script();
    try {
      Ordo app = Ordo.builder()
          .components(new Base(script), new Mid(script), new Checked(script), new Forever(script))
          .build();
      app.start();
      app.health().refresh();
      ShutdownReport report = app.stop();
      System.out.println("RESULT " + (report.clean() ? "clean" : "unclean " + report) + " budget=" + app.shutdownTimeout());
    } catch (ConfigurationException e) {
      System.out.println("RESULT ConfigurationException " + e.getMessage().replace('\n', ' '));
    } catch (Throwable t) {
      System.out.println("RESULT " + t);
    }
  }
}
