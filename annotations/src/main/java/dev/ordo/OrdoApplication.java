package dev.ordo;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface as an application whose wiring the compiler writes. For {@code Shop} the
 * processor generates {@code OrdoShop} in the same package: it implements {@code Shop}, constructs
 * every component of the compilation (and every component of another jar that one of them needs)
 * in dependency order, and hands the ready, not yet started {@code dev.ordo.runtime.Ordo}
 * application out through {@code ordo()}.
 *
 * <pre>{@code
 * @OrdoApplication
 * public interface Shop {
 *   OrderApi api();                      // optional: components the caller wants to reach
 * }
 *
 * OrdoShop shop = OrdoShop.builder()
 *     .shopConfig(ShopConfig.fromEnv())  // one setter per external type
 *     .build();
 * System.exit(shop.ordo().run());        // start, wait for SIGTERM / SIGINT / stop(), exit
 * }</pre>
 *
 * <p>Each component is built through its only constructor, or the one annotated {@code @Inject}
 * ({@code jakarta.inject} or {@code javax.inject}) when it has several. A parameter whose type is a
 * component gets that component and makes it a hard dependency; {@code Optional<Foo>} gets an
 * optional one (empty when it was left out with {@code without(Foo.class)}); a
 * {@code RequestTracker} gets the application's tracker, and {@code Foo_Events} the component's
 * generated events. Every other type is an <em>external</em>: the generated builder has a setter
 * for it, named after its simple name in lower camel case ({@code shopConfig(ShopConfig)}), or
 * after its {@code @Named} qualifier. A qualified component parameter
 * ({@code @Named("orders-db") ConnectionPool}) asks for a keyed instance of that component,
 * which the builder takes as an external, so that one class can run as several components.
 *
 * <p>Every method of the interface must be an accessor: no parameters, returning a component. The
 * processor reports a mistake as a compile error on the element; see {@code docs/errors.md}.
 *
 * @since 0.2
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface OrdoApplication {
  /**
   * The Kubernetes grace period of the pods that run this application
   * ({@code terminationGracePeriodSeconds}, as a duration such as {@code "30s"}); empty for none.
   * With one, the processor checks at compile time that the worst-case shutdown (pre-stop delay +
   * drain + the longest chain of stop timeouts) fits in it with a margin, and warns (or, with
   * {@code -Aordo.kubernetes.strict=true}, fails) when it does not; see {@code docs/kubernetes.md}.
   * The processor option {@code -Aordo.kubernetes.gracePeriod} sets it for every application.
   *
   * @since 0.2
   */
  String gracePeriod() default "";
}
