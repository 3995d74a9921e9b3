package dev.ordo.demo;

/** Published when an order was placed: the event type is {@code <prefix>.order-placed}. */
public record OrderPlaced(long orderId, String item, int quantity) {}
