package dev.ordo.it.assembly;

import dev.ordo.OnShutdown;
import dev.ordo.OnStartup;
import dev.ordo.it.Journal;
import jakarta.inject.Named;

/**
 * Optional recommendations, which cannot work without the search index (a hard dependency): left
 * out with it. The external {@code max-suggestions} is needed only when they are in.
 */
public final class Recommendations {
  private final SearchIndex index;
  private final int maxSuggestions;
  private final Journal journal;

  public Recommendations(SearchIndex index, @Named("max-suggestions") int maxSuggestions, Journal journal) {
    this.index = index;
    this.maxSuggestions = maxSuggestions;
    this.journal = journal;
  }

  @OnStartup
  void train() {
    journal.add("start Recommendations");
  }

  @OnShutdown
  void close() {
    journal.add("stop Recommendations");
  }

  public SearchIndex index() {
    return index;
  }

  public int maxSuggestions() {
    return maxSuggestions;
  }
}
