package dev.ordo.runtime.events;

import dev.ordo.runtime.resources.ResourceEvent;
import dev.ordo.runtime.resources.ResourceListener;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns what happens to one component's managed resource into the CloudEvents
 * {@code resource.loaded}, {@code resource.swapped}, {@code resource.swap-failed} and
 * {@code resource.unloaded}. Called on the thread that swapped or unloaded, outside the resource's
 * locks; it only builds the event and offers it, which never blocks.
 */
final class ResourceEvents implements ResourceListener {
  private final EventPublisher publisher;
  private final String component;

  ResourceEvents(EventPublisher publisher, String component) {
    this.publisher = publisher;
    this.component = component;
  }

  @Override
  public void onEvent(ResourceEvent e) {
    if (!publisher.enabled()) {
      return;
    }
    Map<String, Object> data = new LinkedHashMap<>(8);
    data.put("component", component);
    data.put("resource", e.resource());
    String name;
    switch (e.kind()) {
      case LOADED:
        name = "resource.loaded";
        data.put("version", e.version());
        data.put("loadMs", LifecycleEvents.millis(e.loadDuration().toNanos()));
        data.put("warmUpMs", LifecycleEvents.millis(e.warmUpDuration().toNanos()));
        break;
      case SWAPPED:
        name = "resource.swapped";
        data.put("from", e.previousVersion());
        data.put("to", e.version());
        break;
      case SWAP_FAILED:
        name = "resource.swap-failed";
        data.put("version", e.version());
        data.put("current", e.previousVersion());
        data.put("reason", e.reason() == null ? null : e.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        data.put("errorMessage", e.error());
        break;
      default:
        name = "resource.unloaded";
        data.put("version", e.version());
        data.put("forced", e.forced());
        data.put("totalUses", e.totalUses());
        data.put("errorMessage", e.error());
    }
    // The correlation id of the work that swapped (an admin request), else the run's, like lifecycle events.
    String correlation = Correlation.current();
    publisher.publish(component, name, correlation != null ? correlation : publisher.runId(), data);
  }

  @Override
  public String toString() {
    return "events of " + component;
  }
}
