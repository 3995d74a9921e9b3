package dev.ordo.runtime.engine;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents the monitor that guards a field (as JCIP's and Error Prone's {@code @GuardedBy} do,
 * without the dependency): read and write the field only while holding it.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.FIELD, ElementType.METHOD})
@interface GuardedBy {
  /** The monitor: a field name, or {@code "this"}. */
  String value();
}
