package dev.ordo;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a component needs another component to be started first (and stopped after it).
 *
 * <p>A hard edge (the default) means: start only once {@link #value()} is running; if it failed
 * or was skipped, this component is skipped. A soft edge ({@code optional = true}) means: start
 * after {@link #value()} has settled, whether it runs or failed.
 *
 * <pre>{@code
 * @DependsOn(OrderStore.class)
 * @DependsOn(value = SearchIndex.class, optional = true)
 * final class CheckoutService { ... }
 * }</pre>
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@Repeatable(DependsOn.List.class)
public @interface DependsOn {
  /** The component this one depends on. It must itself be a component. */
  Class<?> value();

  /** Whether this component may start (degraded) when the dependency failed or was skipped. */
  boolean optional() default false;

  /** The container of repeated {@link DependsOn} annotations. */
  @Documented
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.TYPE)
  @interface List {
    /** The repeated declarations. */
    DependsOn[] value();
  }
}
