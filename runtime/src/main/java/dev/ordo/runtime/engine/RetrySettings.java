package dev.ordo.runtime.engine;

import dev.ordo.runtime.ComponentDescriptor;
import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.RetryPolicy;
import dev.ordo.runtime.internal.Settings;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves each component's {@link RetryPolicy} at {@code build()} by the rules of every setting:
 * the builder ({@code retry(name, policy)}, then {@code retry(Class, policy)}), then the system
 * property {@code ordo.retry.<component name>}, then the environment variable
 * {@code ORDO_RETRY_<COMPONENT NAME>} (upper case, every character other than a letter or digit an
 * underscore, none at the end), then what the component declares ({@code @Retry}). A value that
 * does not parse, a policy for a critical component, or a builder entry naming no component fails
 * at once, naming the key, where it came from and the value; a property or variable that names no
 * component is logged, since one environment may serve several applications.
 */
public final class RetrySettings {
  static final String PROPERTY_PREFIX = "ordo.retry.";
  static final String VARIABLE_PREFIX = "ORDO_RETRY_";

  private RetrySettings() {}

  /** {@code ordo.retry.com.acme.Cache}: the key of {@code component}'s retry setting. */
  public static String key(String component) {
    return PROPERTY_PREFIX + component;
  }

  /** {@code ORDO_RETRY_COM_ACME_CONNECTIONPOOL_ORDERS_DB} for {@code com.acme.ConnectionPool[orders-db]}. */
  public static String environmentVariable(String component) {
    StringBuilder s = new StringBuilder(VARIABLE_PREFIX);
    for (int i = 0; i < component.length(); i++) {
      char c = component.charAt(i);
      if (c >= 'a' && c <= 'z') {
        s.append((char) (c - 'a' + 'A'));
      } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        s.append(c);
      } else {
        s.append('_');
      }
    }
    int end = s.length();
    while (end > VARIABLE_PREFIX.length() && s.charAt(end - 1) == '_') {
      end--;
    }
    return s.substring(0, end);
  }

  /**
   * The policy in force for each component of {@code graph}, by index; {@code null} where none is.
   *
   * @param byName policies given to the builder by component name ({@link RetryPolicy#none()} turns one off)
   * @param byType policies given to the builder for every instance of a class
   * @throws ConfigurationException as described above
   */
  public static RetryPolicy[] resolve(ComponentGraph graph, Map<String, RetryPolicy> byName,
      Map<Class<?>, RetryPolicy> byType, Settings settings) {
    int n = graph.size();
    RetryPolicy[] policies = new RetryPolicy[n];
    Set<String> properties = settings.propertiesStartingWith(PROPERTY_PREFIX);
    Set<String> environment = settings.environmentStartingWith(VARIABLE_PREFIX);
    // Usually nothing is configured: then no key is built per component (a large graph builds fast).
    boolean configured = !properties.isEmpty() || !environment.isEmpty() || !byName.isEmpty() || !byType.isEmpty();
    Set<String> namesSeen = new HashSet<>();
    Set<Class<?>> typesSeen = new HashSet<>();
    Set<String> keys = new HashSet<>();
    Set<String> variables = new HashSet<>();
    for (int i = 0; i < n; i++) {
      ComponentDescriptor d = graph.controllers[i].descriptor();
      if (!configured && d.retryPolicy() == null) {
        continue;
      }
      String name = d.name();
      String key = key(name);
      String variable = environmentVariable(name);
      keys.add(key);
      variables.add(variable);
      RetryPolicy declared = d.retryPolicy() != null ? d.retryPolicy() : RetryPolicy.none();
      RetryPolicy policy;
      String source;
      if (byName.containsKey(name)) {
        policy = byName.get(name);
        source = "builder retry(\"" + name + "\", ...)";
        namesSeen.add(name);
      } else if (byType.containsKey(d.type())) {
        policy = byType.get(d.type());
        source = "builder retry(" + d.type().getSimpleName() + ".class, ...)";
        typesSeen.add(d.type());
      } else {
        source = settings.source(key, variable);
        policy = settings.resolve(key, variable, declared, text -> RetryPolicy.parse(text, declared),
            RetryPolicy.SETTING_FORM);
        if (source == null) {
          source = "declared with @Retry";
        }
      }
      if (policy.enabled() && d.critical()) {
        throw new ConfigurationException(name + " is critical, and a critical component cannot retry its start"
            + " (" + key + " = " + policy + ", " + source + "): when it fails, the startup fails. Make it"
            + " optional to let the application run degraded while it retries, or remove the retry.");
      }
      policies[i] = policy.enabled() ? policy : null;
    }
    for (String name : byName.keySet()) {
      if (!namesSeen.contains(name)) {
        throw new ConfigurationException("retry(\"" + name + "\", ...) names no component of this application;"
            + " name one as components() shows it"
            + (n == 0 ? "" : ", such as " + graph.controllers[0].descriptor().name()));
      }
    }
    for (Class<?> type : byType.keySet()) {
      if (!typesSeen.contains(type)) {
        throw new ConfigurationException("retry(" + type.getName() + ".class, ...) names a class of which this"
            + " application has no component (or every instance has a retry(name, ...) of its own)");
      }
    }
    List<String> unknown = new ArrayList<>();
    for (String k : properties) {
      if (!keys.contains(k)) {
        unknown.add("system property " + k);
      }
    }
    for (String v : environment) {
      if (!variables.contains(v)) {
        unknown.add("environment variable " + v);
      }
    }
    if (!unknown.isEmpty()) {
      Engine.LOG.log(Level.WARNING, () -> "Retry settings that name no component of this application were"
          + " ignored: " + String.join(", ", unknown) + " (the key is ordo.retry.<component name, as"
          + " components() shows it>)");
    }
    return policies;
  }
}
