package dev.ordo.demo;

import dev.ordo.OnStartup;
import java.util.List;

/**
 * Suggests items from the search index. Its constructor takes the index, which makes it a hard
 * dependency: it is skipped when the index fails.
 */
public final class Recommendations {
  private final SearchIndex index;
  private volatile List<Long> popular = List.of();

  public Recommendations(SearchIndex index) {
    this.index = index;
  }

  @OnStartup
  void warmUp() {
    popular = index.search("");
  }

  public List<Long> popular() {
    return popular;
  }
}
