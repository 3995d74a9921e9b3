package dev.ordo.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.runtime.LifecycleController;
import dev.ordo.runtime.internal.LifecycleRegistry;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A compilation of thousands of components: javac rejects a method of more than 64 KiB of bytecode
 * and HotSpot never compiles one of more than 8,000 bytes, so the registry splits its lookup.
 */
class LargeRegistryTest {
  private static final int COMPONENTS = 3_000;
  /** HotSpot's {@code HugeMethodLimit}: a longer method is never JIT-compiled. */
  private static final int HUGE_METHOD = 8_000;

  private static String name(int i) {
    return String.format("C%04d", i);
  }

  @Test
  void registryOfThreeThousandComponentsCompilesAndFindsEachController() throws Exception {
    Map<String, String> sources = new LinkedHashMap<>();
    for (int i = 0; i < COMPONENTS; i++) {
      String dependsOn = i == 0 ? "" : "@dev.ordo.DependsOn(" + name(i - 1) + ".class)\n";
      sources.put("com/acme/big/" + name(i) + ".java", "package com.acme.big;\n\n" + dependsOn
          + "public class " + name(i) + " {\n"
          + "  @dev.ordo.OnStartup void start() {}\n"
          + "  @dev.ordo.OnShutdown void stop() {}\n"
          + "}\n");
    }
    InMemoryCompiler.Result result;
    try (InMemoryCompiler compiler = new InMemoryCompiler()) {
      result = compiler.compile(sources, new OrdoProcessor());
    }
    assertTrue(result.success(), () -> result.messages(javax.tools.Diagnostic.Kind.ERROR).toString());
    assertEquals(List.of(), result.diagnostics().stream().map(d -> d.getMessage(null)).toList());

    String service = new String(
        result.outputs().get("CLASS_OUTPUT/META-INF/services/dev.ordo.runtime.internal.LifecycleRegistry"),
        StandardCharsets.UTF_8).strip();
    String source = new String(
        result.outputs().get("SOURCE_OUTPUT/" + service.replace('.', '/') + ".java"), StandardCharsets.UTF_8);
    assertTrue(source.contains("switch ((componentClass.hashCode() & 0x7fffffff) % "), source.substring(0, 2000));

    // Every method of the registry and of its nested classes stays JIT-compilable.
    Map<String, Integer> sizes = new TreeMap<>();
    result.outputs().forEach((key, bytes) -> {
      String prefix = "CLASS_OUTPUT/" + service.replace('.', '/');
      if (key.startsWith(prefix) && key.endsWith(".class")) {
        codeLengths(bytes).forEach((method, length) -> sizes.put(key + "#" + method, length));
      }
    });
    assertTrue(sizes.keySet().stream().anyMatch(k -> k.contains("$Part1.class#bucket")), sizes.keySet().toString());
    sizes.forEach((method, length) -> assertTrue(length < HUGE_METHOD / 2, method + ": " + length + " bytes"));

    List<String> defined = new java.util.concurrent.CopyOnWriteArrayList<>();
    ClassLoader loader = new ClassLoader(getClass().getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        defined.add(name);
        byte[] bytes = result.outputs().get("CLASS_OUTPUT/" + name.replace('.', '/') + ".class");
        if (bytes == null) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
      }
    };
    LifecycleRegistry registry =
        (LifecycleRegistry) loader.loadClass(service).getConstructor().newInstance();
    for (int i : new int[] {0, 1, 1_234, 2_047, COMPONENTS - 2, COMPONENTS - 1}) {
      String binaryName = "com.acme.big." + name(i);
      Object component = loader.loadClass(binaryName).getConstructor().newInstance();
      LifecycleController<?> controller = registry.controllerFor(binaryName, component);
      assertNotNull(controller, binaryName);
      // Components sort by name, C0000 first: 200 to a dispatching class.
      assertEquals(service + "$Hooks" + (i / 200), controller.getClass().getName());
      assertSame(component, controller.component());
      assertEquals(binaryName, controller.descriptor().key());
      controller.start(null);
      controller.stop(null);
    }
    // No Foo_Lifecycle; at most the 15 dispatching classes (the verifier of a Part loads those it names).
    assertEquals(List.of(), defined.stream().filter(n -> n.endsWith("_Lifecycle")).toList());
    assertTrue(defined.stream().filter(n -> n.matches(".*\\$Hooks[0-9]+")).count() <= COMPONENTS / 200,
        defined.toString());
    assertNull(registry.controllerFor("com.acme.big.C3000", new Object()));
    assertNull(registry.controllerFor("com.acme.big.Unknown", new Object()));
    assertNull(registry.controllerFor("", new Object()));
  }

  /** The length of each method's bytecode in a class file, by name and descriptor. */
  private static Map<String, Integer> codeLengths(byte[] classFile) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
      in.readInt(); // magic
      in.readInt(); // version
      int count = in.readUnsignedShort();
      String[] utf8 = new String[count];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> utf8[i] = in.readUTF();
          case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
          case 5, 6 -> {
            in.readLong();
            i++; // takes two entries
          }
          case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
          case 15 -> {
            in.readUnsignedByte();
            in.readUnsignedShort();
          }
          default -> throw new IllegalStateException("constant tag " + tag);
        }
      }
      in.readUnsignedShort(); // access
      in.readUnsignedShort(); // this
      in.readUnsignedShort(); // super
      in.skipBytes(2 * in.readUnsignedShort()); // interfaces
      int fields = in.readUnsignedShort();
      for (int f = 0; f < fields; f++) {
        in.skipBytes(6);
        skipAttributes(in);
      }
      Map<String, Integer> lengths = new TreeMap<>();
      int methods = in.readUnsignedShort();
      for (int m = 0; m < methods; m++) {
        in.readUnsignedShort(); // access
        String name = utf8[in.readUnsignedShort()] + utf8[in.readUnsignedShort()];
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
          String attribute = utf8[in.readUnsignedShort()];
          int length = in.readInt();
          if (attribute.equals("Code")) {
            in.readUnsignedShort(); // max stack
            in.readUnsignedShort(); // max locals
            int code = in.readInt();
            lengths.put(name, code);
            in.skipBytes(length - 8);
          } else {
            in.skipBytes(length);
          }
        }
      }
      return lengths;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void skipAttributes(DataInputStream in) throws IOException {
    int attributes = in.readUnsignedShort();
    for (int a = 0; a < attributes; a++) {
      in.readUnsignedShort();
      in.skipBytes(in.readInt());
    }
  }
}
