package dev.ordo.demo;

import dev.ordo.DependsOn;
import dev.ordo.OnStartup;
import java.util.List;

/** Suggests items from the search index; hard-depends on it, so it is skipped when the index fails. */
@DependsOn(SearchIndex.class)
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
