package dev.ordo.runtime.internal;

import dev.ordo.runtime.ConfigurationException;
import dev.ordo.runtime.Durations;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Resolves one setting from, in order: the builder (code), the system property
 * {@code ordo.<area>.<name>}, the environment variable {@code ORDO_<AREA>_<NAME>}, the default.
 * A value that does not parse fails at once with a {@link ConfigurationException} naming the key,
 * where it came from, the value and the expected form. The one place where the runtime's settings —
 * the application's, health's and events' — are read, so that all follow the same rules.
 */
public final class Settings {
  private final Properties systemProperties;
  private final Map<String, String> environment;

  /** Settings read from {@code systemProperties}, then {@code environment}. */
  public Settings(Properties systemProperties, Map<String, String> environment) {
    this.systemProperties = systemProperties;
    this.environment = environment;
  }

  /** Settings read from this process's system properties and environment. */
  public static Settings fromProcess() {
    return new Settings(System.getProperties(), System.getenv());
  }

  /** {@code ordo.shutdown.component-timeout} -> {@code ORDO_SHUTDOWN_COMPONENT_TIMEOUT}. */
  public static String environmentName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  public Duration duration(String key, Duration fromCode, Duration fallback) {
    if (fromCode != null) {
      if (fromCode.isNegative() || fromCode.isZero()) {
        throw new ConfigurationException(
            "Invalid value '" + fromCode + "' for " + key + " (builder): expected "
                + Durations.EXPECTED_FORM);
      }
      return fromCode;
    }
    return resolve(key, fallback, Durations::parse, Durations.EXPECTED_FORM);
  }

  /** Like {@link #duration} but also accepts zero ({@code 0} or {@code 0s}): "none". */
  public Duration durationOrZero(String key, Duration fromCode, Duration fallback) {
    if (fromCode != null) {
      if (fromCode.isNegative()) {
        throw new ConfigurationException(
            "Invalid value '" + fromCode + "' for " + key + " (builder): expected zero or "
                + Durations.EXPECTED_FORM);
      }
      return fromCode;
    }
    return resolve(key, fallback, text -> isZero(text.strip()) ? Duration.ZERO : Durations.parse(text),
        "0 or " + Durations.EXPECTED_FORM);
  }

  /** {@code 0}, {@code 0ms}, {@code 0s}, {@code 0m} or {@code 0h} (no regex: it would load java.util.regex). */
  private static boolean isZero(String t) {
    return t.equals("0") || t.equals("0ms") || t.equals("0s") || t.equals("0m") || t.equals("0h");
  }

  public int positiveInt(String key, Integer fromCode, int fallback) {
    String expected = "a positive whole number";
    if (fromCode != null) {
      if (fromCode <= 0) {
        throw new ConfigurationException(
            "Invalid value '" + fromCode + "' for " + key + " (builder): expected " + expected);
      }
      return fromCode;
    }
    return resolve(key, fallback, text -> {
      int value = Integer.parseInt(text.trim());
      if (value <= 0) {
        throw new IllegalArgumentException("not positive");
      }
      return value;
    }, expected);
  }

  public boolean bool(String key, Boolean fromCode, boolean fallback) {
    Boolean value = boolOrNull(key, fromCode);
    return value != null ? value : fallback;
  }

  /** Like {@link #bool}, but {@code null} when the setting was given nowhere. */
  public Boolean boolOrNull(String key, Boolean fromCode) {
    if (fromCode != null) {
      return fromCode;
    }
    return resolve(key, null, text -> {
      String t = text.trim().toLowerCase(Locale.ROOT);
      if (t.equals("true")) {
        return true;
      }
      if (t.equals("false")) {
        return false;
      }
      throw new IllegalArgumentException("not a boolean");
    }, "true or false");
  }

  /** The raw text of a setting from a system property or the environment, or {@code null}. */
  public String text(String key) {
    String value = systemProperties.getProperty(key);
    if (value != null) {
      return value;
    }
    return environment.get(environmentName(key));
  }

  /**
   * Where {@code key}'s value comes from, for messages: {@code system property ordo.x.y},
   * {@code environment variable ORDO_X_Y}, or {@code default}.
   */
  public String source(String key) {
    if (systemProperties.getProperty(key) != null) {
      return "system property " + key;
    }
    if (environment.get(environmentName(key)) != null) {
      return "environment variable " + environmentName(key);
    }
    return "default";
  }

  /** The names of the system properties that begin with {@code prefix}. */
  public java.util.Set<String> propertiesStartingWith(String prefix) {
    java.util.Set<String> keys = new java.util.TreeSet<>();
    for (String k : systemProperties.stringPropertyNames()) {
      if (k.startsWith(prefix)) {
        keys.add(k);
      }
    }
    return keys;
  }

  /** The names of the environment variables that begin with {@code prefix}. */
  public java.util.Set<String> environmentStartingWith(String prefix) {
    java.util.Set<String> keys = new java.util.TreeSet<>();
    for (String k : environment.keySet()) {
      if (k.startsWith(prefix)) {
        keys.add(k);
      }
    }
    return keys;
  }

  /**
   * Where {@code key}'s value comes from when its environment variable is {@code environmentVariable}:
   * {@code system property ...}, {@code environment variable ...}, or {@code null} when neither is set.
   */
  public String source(String key, String environmentVariable) {
    if (systemProperties.getProperty(key) != null) {
      return "system property " + key;
    }
    return environment.get(environmentVariable) != null ? "environment variable " + environmentVariable : null;
  }

  /** Where {@code key}'s value comes from, {@code builder} when it was given in code. */
  public String source(String key, boolean fromCode) {
    return fromCode ? "builder" : source(key);
  }

  /** A value given in code, checked: {@code valid} or a {@link ConfigurationException}. */
  public static <T> T checkCode(String key, T value, boolean valid, String expected) {
    if (!valid) {
      throw new ConfigurationException(
          "Invalid value '" + value + "' for " + key + " (builder): expected " + expected);
    }
    return value;
  }

  /**
   * The system property or environment variable {@code key} read by {@code parser}, else
   * {@code fallback}; a value {@code parser} rejects fails naming the key, its source, the value
   * and {@code expected}.
   */
  public <T> T resolve(String key, T fallback, Function<String, T> parser, String expected) {
    return resolve(key, environmentName(key), fallback, parser, expected);
  }

  /**
   * Like {@link #resolve(String, Object, Function, String)}, for a key whose environment variable
   * is not named by {@link #environmentName} (a key that names a component, whose name may hold
   * characters no variable name has).
   */
  public <T> T resolve(String key, String environmentVariable, T fallback, Function<String, T> parser,
      String expected) {
    String value = systemProperties.getProperty(key);
    String source = "system property " + key;
    if (value == null) {
      value = environment.get(environmentVariable);
      source = "environment variable " + environmentVariable;
    }
    if (value == null) {
      return fallback;
    }
    try {
      return parser.apply(value);
    } catch (RuntimeException e) {
      throw new ConfigurationException(
          "Invalid value '" + value + "' for " + key + " (" + source + "): expected " + expected);
    }
  }
}
