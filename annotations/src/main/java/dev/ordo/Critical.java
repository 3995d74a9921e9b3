package dev.ordo;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a component the application cannot run without. Components are optional by default:
 * when an optional component fails to start, the application runs degraded and the components
 * that hard-depend on it are skipped. When a critical component fails (or is skipped), the
 * start fails: everything that started is stopped again, in reverse order, and
 * {@code start()} throws.
 *
 * <p>A critical component must not hard-depend on an optional one (the processor reports it):
 * mark the dependency {@code @Critical} too, or make the edge {@code optional = true}.
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Critical {}
