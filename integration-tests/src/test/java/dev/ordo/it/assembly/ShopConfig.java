package dev.ordo.it.assembly;

/** The shop's settings: an external, given to the builder as {@code shopConfig(ShopConfig)}. */
public record ShopConfig(String currency, int maxItemsPerOrder) {}
