package dev.ordo.it.dagger;

import dagger.Component;
import dev.ordo.runtime.RequestTracker;
import jakarta.inject.Singleton;

/** The Dagger component (Dagger generates {@code DaggerWarehouse}): it creates the instances. */
@Singleton
@Component(modules = WarehouseModule.class)
public interface Warehouse {
  StockDatabase database();

  Inventory inventory();

  InventoryApi api();

  RequestTracker requestTracker();
}
