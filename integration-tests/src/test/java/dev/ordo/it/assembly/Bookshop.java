package dev.ordo.it.assembly;

import dev.ordo.OrdoApplication;
import java.util.Optional;

/**
 * A bookshop wired by the compiler: the processor generates {@code OrdoBookshop}, which constructs
 * every component of this package. Two databases (keyed instances of {@link ConnectionPool}), an
 * optional search index with optional recommendations on top, and a storefront that publishes
 * events.
 */
@OrdoApplication
public interface Bookshop {
  /** The storefront, which takes orders. */
  Storefront storefront();

  /** The order store, on the orders database. */
  OrderStore orders();

  /** The recommendations: empty when the search index (which they need) was left out. */
  Optional<Recommendations> recommendations();
}
