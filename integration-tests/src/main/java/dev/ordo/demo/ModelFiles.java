package dev.ordo.demo;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The scoring model's versions, written as ONNX files by the demo itself (no file from a hub),
 * with the ONNX protobuf classes of Tribuo. Each graph takes a float tensor {@code x} of shape
 * [1] and gives {@code y}:
 *
 * <ul>
 *   <li>{@code v1}: {@code y = 2x + 1} (a {@code Mul} and an {@code Add} node);
 *   <li>{@code v2}: {@code y = 3x} (a {@code Mul} node);
 *   <li>{@code broken}: a well-formed file whose node calls an operator that does not exist, so
 *       ONNX Runtime refuses to load it.
 * </ul>
 */
final class ModelFiles {
  /** The versions there are files for. */
  static final List<String> VERSIONS = List.of("v1", "v2", "broken");

  private final Path directory;

  ModelFiles(Path directory) {
    this.directory = directory;
  }

  /** A directory of its own under the system's temporary directory, deleted when the JVM exits. */
  static ModelFiles inTemporaryDirectory() {
    try {
      Path dir = Files.createTempDirectory("ordo-demo-models");
      dir.toFile().deleteOnExit();
      return new ModelFiles(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The file of {@code version}, written on first use.
   *
   * @throws IllegalArgumentException for a version the demo does not know
   */
  synchronized Path file(String version) throws IOException {
    Path file = directory.resolve("scoring-" + version + ".onnx");
    if (!Files.exists(file)) {
      Files.write(file, model(version).toByteArray());
      file.toFile().deleteOnExit();
    }
    return file;
  }

  /** What {@code version} computes from {@code x}; NaN for {@code broken}. */
  static float expected(String version, float x) {
    switch (version) {
      case "v1":
        return 2 * x + 1;
      case "v2":
        return 3 * x;
      default:
        return Float.NaN;
    }
  }

  static ModelProto model(String version) {
    GraphProto.Builder graph = GraphProto.newBuilder().setName("scoring-" + version)
        .addInput(floatVector("x"))
        .addOutput(floatVector("y"));
    switch (version) {
      case "v1":
        graph.addInitializer(scalar("a", 2f)).addInitializer(scalar("b", 1f))
            .addNode(node("Mul", "x", "a", "ax"))
            .addNode(node("Add", "ax", "b", "y"));
        break;
      case "v2":
        graph.addInitializer(scalar("a", 3f)).addNode(node("Mul", "x", "a", "y"));
        break;
      case "broken":
        graph.addInitializer(scalar("a", 2f)).addNode(node("Explode", "x", "a", "y"));
        break;
      default:
        throw new IllegalArgumentException("No model version \"" + version + "\"; the demo has " + VERSIONS);
    }
    return ModelProto.newBuilder()
        .setIrVersion(8)
        .setProducerName("ordo-demo")
        .setModelVersion(VERSIONS.indexOf(version) + 1L)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
        .setGraph(graph)
        .build();
  }

  private static ValueInfoProto floatVector(String name) {
    return ValueInfoProto.newBuilder().setName(name)
        .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
            .setElemType(TensorProto.DataType.FLOAT_VALUE)
            .setShape(TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(1)))))
        .build();
  }

  private static TensorProto scalar(String name, float value) {
    return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE).addFloatData(value)
        .build();
  }

  private static NodeProto node(String op, String left, String right, String output) {
    return NodeProto.newBuilder().setOpType(op).setName(op.toLowerCase(java.util.Locale.ROOT) + "-" + output)
        .addInput(left).addInput(right).addOutput(output).build();
  }
}
