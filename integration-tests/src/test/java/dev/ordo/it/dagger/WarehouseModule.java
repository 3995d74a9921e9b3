package dev.ordo.it.dagger;

import dagger.Module;
import dagger.Provides;
import dev.ordo.runtime.RequestTracker;
import jakarta.inject.Singleton;

/** What Dagger cannot construct by itself: the settings, and the one request tracker. */
@Module
final class WarehouseModule {
  private WarehouseModule() {}

  @Provides
  static InventoryConfig config() {
    return new InventoryConfig("jdbc:h2:mem:stock", 10);
  }

  @Provides
  @Singleton
  static RequestTracker requestTracker() {
    return new RequestTracker();
  }
}
