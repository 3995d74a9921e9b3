package dev.ordo.it.dagger;

/** The warehouse's settings, provided by {@link WarehouseModule}. */
public record InventoryConfig(String databaseUrl, int reorderThreshold) {}
