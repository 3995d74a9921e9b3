package dev.ordo.registry;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.ConfigurationException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Every key, many bad values: each fails build() with a ConfigurationException naming the key and the value. */
class ServiceRegistrationBadValuesTest {
  @Test
  void everyBadValueOfEveryKeyFailsTheBuildNamingTheKeyAndTheValue() {
    Map<String, String[]> bad = new LinkedHashMap<>();
    bad.put("ordo.registry.url", new String[] {"", "zookeeper://h:1", "etcd://h", "etcd://h:0", "etcd://h:70000",
        "etcd://:2379", "consul://h:8500/v1", "h:2379", "etcd://h:2379?x=1", "etcd://u@h:2379", "etcd://h:2379#f"});
    bad.put("ordo.registry.service-name", new String[] {"", " ", "a b", "a/b"});
    bad.put("ordo.registry.port", new String[] {"", "0", "65536", "-1", "http", "80 80"});
    bad.put("ordo.registry.instance-id", new String[] {"", " ", "a b", "a/b"});
    bad.put("ordo.registry.address", new String[] {"", " ", "a b", "a/b"});
    bad.put("ordo.registry.health-url", new String[] {"", "ftp://h/x", "not a url", "/health/ready", "http:///x"});
    bad.put("ordo.registry.metadata", new String[] {"a", "=b", "a=1,b", " =x", "a=1,,b=2"});
    bad.put("ordo.registry.ttl", new String[] {"", "0s", "1s", "1999ms", "ten", "-5s", "9000000001s", "3000000h",
        "99999999999999999999999999999h"});
    bad.put("ordo.registry.request-timeout", new String[] {"", "0s", "fast", "-1s"});
    bad.put("ordo.registry.etcd.prefix", new String[] {"", "services", "/services/", "/a b", "/"});
    for (Map.Entry<String, String[]> e : bad.entrySet()) {
      for (String value : e.getValue()) {
        check(e.getKey(), value, "etcd://127.0.0.1:2379");
      }
    }
    for (String value : new String[] {"", "59s", "30s", "soon", "3000000h", "99999999999999999999999999999h"}) {
      check("ordo.registry.consul.deregister-critical-after", value, "consul://127.0.0.1:8500");
    }
  }

  private static void check(String key, String value, String url) {
    Map<String, String> p = new HashMap<>();
    p.put("ordo.registry.url", url);
    p.put("ordo.registry.service-name", "orders");
    p.put("ordo.registry.port", "8080");
    p.put(key, value);
    Properties props = new Properties();
    props.putAll(p);
    ConfigurationException x = assertThrows(ConfigurationException.class,
        () -> ServiceRegistration.builder().configuration(props, Map.of()).build(), key + "=" + value);
    assertTrue(x.getMessage().contains(key) && x.getMessage().contains("'" + value + "'"),
        key + "=" + value + ": " + x.getMessage());
  }
}
