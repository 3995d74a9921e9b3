package dev.ordo;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a component that publishes events about its own operations. For each declared
 * operation, such as {@code "checkout"}, Ordo publishes {@code <type-prefix>.checkout.started},
 * {@code .completed} (with its duration) and {@code .failed} (with the error) as CloudEvents.
 * The processor generates {@code Foo_Events}, with one method per operation that runs the work
 * and publishes around it, and adds the events to the compilation's catalog
 * ({@code META-INF/ordo/events.json}). See {@code docs/events.md}.
 *
 * <pre>{@code
 * @PublishesEvents(operations = {"checkout", "refund"})
 * final class CheckoutService { ... }
 * }</pre>
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface PublishesEvents {
  /**
   * The operations this component performs, each a lower-case name made of letters, digits and
   * dashes ({@code "checkout"}, {@code "price-update"}).
   */
  String[] operations() default {};

  /**
   * The records this component publishes as events of their own. Each record is one event type,
   * named after the record in kebab case ({@code OrderPlaced} is {@code <type-prefix>.order-placed}),
   * whose data are the record's components. Components may be primitives and their boxes,
   * {@code String}, enums, {@code BigDecimal}, {@code BigInteger}, {@code UUID}, {@code Instant},
   * {@code Duration}, {@code LocalDate} or {@code URI}. The generated {@code Foo_Events} class has
   * a {@code publish} method for each.
   *
   * <pre>{@code
   * public record OrderPlaced(long orderId, String item, int quantity) {}
   *
   * @PublishesEvents(operations = "checkout", payloads = OrderPlaced.class)
   * final class CheckoutService { ... }
   *
   * events.publish(correlationId, new OrderPlaced(42, "espresso beans", 2));
   * }</pre>
   *
   * <p>Two components may publish the same record; two different records with the same name and
   * different components are a compile-time error.
   */
  Class<? extends Record>[] payloads() default {};
}
