/**
 * The Ordo runtime: starts the generated lifecycle controllers in dependency order, watches their
 * health, publishes their events and shuts them down within one budget.
 *
 * <p>An application module writes:
 *
 * <pre>{@code
 * module com.example.app {
 *   requires dev.ordo.runtime;
 *   provides dev.ordo.runtime.internal.LifecycleRegistry with com.example.app.OrdoRegistry;
 * }
 * }</pre>
 *
 * <p>The {@code provides} line names the registry the processor generates in a named module,
 * {@code <module name>.OrdoRegistry} (the {@code [Ordo/ModuleProvides]} error gives the line when
 * it is missing): on the module path, the runtime finds a module's registry only through
 * {@code provides}, never through {@code META-INF/services}.
 *
 * <p>Exported: the API ({@code dev.ordo.runtime}, {@code .health}, {@code .events},
 * {@code .metrics}, {@code .http}, {@code .resources}) and {@code dev.ordo.runtime.internal}, which
 * only generated code uses. The engine's packages are not exported.
 */
// micrometer-core is an automatic module (its manifest's Automatic-Module-Name: micrometer.core).
@SuppressWarnings("requires-automatic")
module dev.ordo.runtime {
  // Every user of the runtime annotates classes: one requires line brings both, like the Maven
  // dependency on ordo-runtime brings ordo-annotations.
  requires transitive dev.ordo;

  // Health probes are served by the JDK's HTTP server, and dev.ordo.runtime.http tracks the
  // exchanges of an application's own. Not transitive: an application that serves HTTP with it
  // creates the server, so it requires jdk.httpserver itself.
  requires jdk.httpserver;
  // sun.misc.Signal: SIGTERM and SIGINT shut down gracefully and exit with the report's status.
  // Not static: a static requires is not resolved when the application is launched with -m, and
  // signals would then silently end the JVM with 143; jlink adds this small module by itself.
  requires jdk.unsupported;
  // JDK Flight Recorder events (dev.ordo.Hook, .Transition, .HealthCheck, .Drain, .ShutdownPhase): a
  // module of the JDK, no dependency; nearly free when no recording runs.
  requires jdk.jfr;
  // Optional: OrdoMetrics binds to a Micrometer MeterRegistry when the application has one. Not
  // transitive, although OrdoMetrics implements MeterBinder (the pom turns off that lint): an
  // application that binds Ordo's metrics creates the registry, so it requires micrometer.core itself.
  requires static micrometer.core;

  exports dev.ordo.runtime;
  exports dev.ordo.runtime.events;
  exports dev.ordo.runtime.health;
  exports dev.ordo.runtime.http;
  exports dev.ordo.runtime.metrics;
  exports dev.ordo.runtime.resources;
  // What generated controllers and registries implement and call; not API.
  exports dev.ordo.runtime.internal;

  uses dev.ordo.runtime.internal.LifecycleRegistry;
  // Sinks that modules such as ordo-kafka add when their own settings ask for them.
  uses dev.ordo.runtime.events.EventSinkProvider;
}
