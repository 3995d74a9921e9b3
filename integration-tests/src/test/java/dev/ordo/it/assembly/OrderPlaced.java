package dev.ordo.it.assembly;

/** Published by the storefront for each order it took: {@code dev.ordo.order-placed}. */
public record OrderPlaced(long orderId, String item, int quantity) {}
