/**
 * Ordo's lifecycle annotations: {@code @OnStartup} (with its {@code @Retry}), {@code @OnShutdown},
 * {@code @HealthCheck}, {@code @Critical}, {@code @DependsOn} and {@code @PublishesEvents}.
 * Class-retained; no runtime code. Modules that use the runtime read this module through it
 * ({@code requires dev.ordo.runtime}).
 */
module dev.ordo {
  exports dev.ordo;
}
