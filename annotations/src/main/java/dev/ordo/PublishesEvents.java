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
}
