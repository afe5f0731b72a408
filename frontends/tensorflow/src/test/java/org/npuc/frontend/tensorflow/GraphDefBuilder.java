package org.npuc.frontend.tensorflow;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.npuc.frontend.tensorflow.proto.AttrValue;
import org.npuc.frontend.tensorflow.proto.DataType;
import org.npuc.frontend.tensorflow.proto.GraphDef;
import org.npuc.frontend.tensorflow.proto.NodeDef;
import org.npuc.frontend.tensorflow.proto.TensorProto;
import org.npuc.frontend.tensorflow.proto.TensorShapeProto;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.spi.ImportOptions;

/** Builds small GraphDefs in tests with the generated proto classes, imports and runs them. */
final class GraphDefBuilder {
  private final GraphDef.Builder g = GraphDef.newBuilder();

  static TensorShapeProto shape(int... dims) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (int d : dims) s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    return s.build();
  }

  GraphDefBuilder placeholder(String name, int... dims) {
    return placeholder(name, DataType.DT_FLOAT, dims);
  }

  GraphDefBuilder placeholder(String name, DataType dt, int... dims) {
    g.addNode(
        NodeDef.newBuilder()
            .setName(name)
            .setOp("Placeholder")
            .putAttr("dtype", AttrValue.newBuilder().setType(dt).build())
            .putAttr("shape", AttrValue.newBuilder().setShape(shape(dims)).build()));
    return this;
  }

  /** A float constant stored as raw tensor_content. */
  GraphDefBuilder constF(String name, int[] dims, float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) b.putFloat(f);
    b.flip();
    TensorProto t =
        TensorProto.newBuilder()
            .setDtype(DataType.DT_FLOAT)
            .setTensorShape(shape(dims))
            .setTensorContent(ByteString.copyFrom(b))
            .build();
    return constant(name, t);
  }

  /** An int32 constant stored as int_val. */
  GraphDefBuilder constI(String name, int[] dims, int... v) {
    TensorProto.Builder t =
        TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(shape(dims));
    for (int x : v) t.addIntVal(x);
    return constant(name, t.build());
  }

  GraphDefBuilder vec(String name, int... v) {
    return constI(name, new int[] {v.length}, v);
  }

  GraphDefBuilder scalarI(String name, int v) {
    return constI(name, new int[0], v);
  }

  GraphDefBuilder constant(String name, TensorProto t) {
    g.addNode(
        NodeDef.newBuilder()
            .setName(name)
            .setOp("Const")
            .putAttr("dtype", AttrValue.newBuilder().setType(t.getDtype()).build())
            .putAttr("value", AttrValue.newBuilder().setTensor(t).build()));
    return this;
  }

  /**
   * A node; attributes as key/value pairs (String, Integer, Float, Boolean, int[], String[],
   * DataType).
   */
  GraphDefBuilder op(String name, String op, String[] inputs, Object... attrs) {
    NodeDef.Builder n =
        NodeDef.newBuilder().setName(name).setOp(op).addAllInput(Arrays.asList(inputs));
    n.putAttr("T", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build());
    for (int i = 0; i < attrs.length; i += 2) n.putAttr((String) attrs[i], attr(attrs[i + 1]));
    g.addNode(n);
    return this;
  }

  static AttrValue attr(Object v) {
    AttrValue.Builder a = AttrValue.newBuilder();
    if (v instanceof String s) a.setS(ByteString.copyFromUtf8(s));
    else if (v instanceof Integer i) a.setI(i);
    else if (v instanceof Float f) a.setF(f);
    else if (v instanceof Boolean b) a.setB(b);
    else if (v instanceof DataType d) a.setType(d);
    else if (v instanceof int[] l) {
      AttrValue.ListValue.Builder lv = AttrValue.ListValue.newBuilder();
      for (int x : l) lv.addI(x);
      a.setList(lv);
    } else if (v instanceof String[] l) {
      AttrValue.ListValue.Builder lv = AttrValue.ListValue.newBuilder();
      for (String x : l) lv.addS(ByteString.copyFromUtf8(x));
      a.setList(lv);
    } else throw new IllegalArgumentException("attr " + v);
    return a.build();
  }

  static String[] in(String... names) {
    return names;
  }

  GraphDef build() {
    return g.build();
  }

  /** Writes the graph as a binary .pb in {@code dir} and imports it with the given outputs. */
  Graph importGraph(Path dir, String... outputs) {
    try {
      Path f = Files.createTempFile(dir, "graph", ".pb");
      Files.write(f, build().toByteArray());
      ImportOptions o = new ImportOptions(f);
      o.outputs().addAll(Arrays.asList(outputs));
      return TfTesting.load(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Imports and runs the graph; returns the (single) output. */
  Tensor run(Path dir, Map<String, Tensor> inputs, String output) {
    Graph g = importGraph(dir, output);
    Map<String, Tensor> used = new java.util.HashMap<>();
    for (var op : g.inputs()) {
      String name = op.attributes().getString("name");
      used.put(name, inputs.get(name));
    }
    return new Interpreter(g).run(used).get(output);
  }
}
