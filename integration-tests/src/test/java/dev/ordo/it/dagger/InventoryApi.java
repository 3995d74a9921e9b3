package dev.ordo.it.dagger;

import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.runtime.RequestTracker;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Serves stock levels, from startup until shutdown, while the inventory is loaded; its requests
 * go through the tracker that the Ordo application drains.
 */
@Singleton
public final class InventoryApi {
  private final Inventory inventory;
  private final RequestTracker tracker;
  private volatile boolean listening;

  @Inject
  InventoryApi(Inventory inventory, RequestTracker tracker) {
    this.inventory = inventory;
    this.tracker = tracker;
  }

  @OnStartup
  void listen() {
    requireLoaded();
    listening = true;
  }

  @OnShutdown
  void close() {
    requireLoaded();
    listening = false;
  }

  private void requireLoaded() {
    if (!inventory.isLoaded()) {
      throw new IllegalStateException("the inventory is not loaded");
    }
  }

  public boolean isListening() {
    return listening;
  }

  public Inventory inventory() {
    return inventory;
  }

  public RequestTracker tracker() {
    return tracker;
  }
}
