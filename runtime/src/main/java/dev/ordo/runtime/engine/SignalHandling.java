package dev.ordo.runtime.engine;

import dev.ordo.runtime.ShutdownReport;

import dev.ordo.runtime.internal.LifecycleThreads;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns SIGTERM and SIGINT into a graceful shutdown that ends with a chosen exit status.
 *
 * <p>A JVM shutdown hook alone cannot choose the status: the JVM reports 143 for a SIGTERM it
 * handles only through hooks, which systemd counts as a failure. So the signals are handled with
 * {@code sun.misc.Signal} (module {@code jdk.unsupported}): the JVM does not begin to exit, Ordo
 * shuts down gracefully, then exits with {@link ShutdownReport#exitCode()}. A shutdown hook still
 * covers every other way the JVM can exit ({@code System.exit}, the last thread ending). Where
 * {@code jdk.unsupported} is missing, only the hook is installed.
 */
final class SignalHandling {
  private static final System.Logger LOG = System.getLogger("dev.ordo.runtime.Ordo");
  private static final String[] SIGNALS = {"TERM", "INT"};

  private final Thread jvmHook;
  private final List<Object[]> previous = new ArrayList<>();

  private SignalHandling(Thread jvmHook) {
    this.jvmHook = jvmHook;
  }

  /** Installs the handlers; {@code onSignal} runs on its own thread for each signal received. */
  static SignalHandling install(String name, Object owner, Runnable onJvmExit, java.util.function.Consumer<String> onSignal) {
    Thread hook = new Thread(LifecycleThreads.marked(owner, onJvmExit), name + "-shutdown-hook");
    Runtime.getRuntime().addShutdownHook(hook);
    SignalHandling handling = new SignalHandling(hook);
    try {
      for (String s : SIGNALS) {
        sun.misc.Signal signal = new sun.misc.Signal(s);
        sun.misc.SignalHandler old = sun.misc.Signal.handle(signal, received -> {
          Thread t = new Thread(
              LifecycleThreads.marked(owner, () -> onSignal.accept("SIG" + received.getName())), name + "-signal");
          t.setDaemon(false);
          t.start();
        });
        handling.previous.add(new Object[] {signal, old});
      }
    } catch (LinkageError | IllegalArgumentException | UnsupportedOperationException e) {
      LOG.log(Level.DEBUG, () -> "Signals not handled directly (" + e + "); the shutdown hook covers them");
    }
    return handling;
  }

  Thread jvmHook() {
    return jvmHook;
  }

  /**
   * Removes the JVM hook (unless it is running) and restores the previous signal handlers — except
   * after a shutdown by signal, which ends in {@code System.exit}: a second signal meanwhile must
   * find Ordo's handler (which ignores it), not the JVM's default, which would exit with 130 or 143.
   */
  void remove(boolean keepSignalHandlers) {
    if (keepSignalHandlers) {
      previous.clear();
    }
    for (Object[] p : previous) {
      try {
        sun.misc.Signal.handle((sun.misc.Signal) p[0], (sun.misc.SignalHandler) p[1]);
      } catch (RuntimeException | LinkageError e) {
        LOG.log(Level.DEBUG, () -> "Could not restore the handler of " + p[0] + ": " + e);
      }
    }
    previous.clear();
    if (Thread.currentThread() != jvmHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(jvmHook);
      } catch (IllegalStateException jvmExiting) {
        // The JVM is already exiting; the hook is running or about to.
      }
    }
  }
}
