package org.npuc.frontend.tensorflow;

import java.util.Arrays;
import org.npuc.frontend.tensorflow.proto.AttrValue;
import org.npuc.frontend.tensorflow.proto.DataType;
import org.npuc.frontend.tensorflow.proto.NodeDef;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;

/**
 * Graph inputs and constants. An input keeps the model's name, dtype and (NHWC) shape; its shape
 * comes from --input-shape, else the Placeholder's {@code shape} attribute, else the node's {@code
 * _output_shapes}. Constants come from the node's tensor or, for TF.js, the weight shards.
 */
final class InputOps {
  private InputOps() {}

  static TfValue[] createInput(
      ImportContext ctx, NodeDef n, TensorNames t, int[] override, TfValue[] existing) {
    Attrs a = new Attrs(n, ctx);
    DataType dt = a.type("dtype", a.type("T", a.type("out_type", DataType.DT_FLOAT)));
    ScalarType st = DataTypes.toScalar(dt);
    if (st == null) {
      throw ctx.error(
          "input of type "
              + DataTypes.describe(dt)
              + " is not supported; start the import after it with --inputs NAME[:shape]");
    }
    int[] shape = null;
    if (n.getOp().startsWith("Placeholder")
        && a.raw("shape") != null
        && a.raw("shape").hasShape()) {
      shape = TensorProtos.dims(a.raw("shape").getShape());
    }
    if (shape == null) {
      AttrValue os = a.raw("_output_shapes");
      if (os != null && os.getList().getShapeCount() > t.index())
        shape = TensorProtos.dims(os.getList().getShape(t.index()));
    }
    if (override != null) {
      if (shape != null && shape.length != override.length) {
        throw ctx.error(
            "--input-shape "
                + Arrays.toString(override)
                + " has rank "
                + override.length
                + ", the model's input "
                + Arrays.toString(shape)
                + " has rank "
                + shape.length);
      }
      int[] merged = override.clone();
      for (int i = 0; i < merged.length; i++) {
        if (merged[i] == 0 || merged[i] < -1)
          throw ctx.error(
              "--input-shape "
                  + Arrays.toString(override)
                  + " must have positive dims (or -1 for unknown)");
        if (shape != null && shape[i] >= 0 && merged[i] >= 0 && merged[i] != shape[i]) {
          throw ctx.error(
              "--input-shape "
                  + Arrays.toString(override)
                  + " conflicts with the model's fixed input shape "
                  + Arrays.toString(shape));
        }
        if (merged[i] == -1 && shape != null) merged[i] = shape[i]; // -1 keeps what the model says
      }
      shape = merged;
    }
    if (shape == null) {
      throw ctx.error(
          "the shape of input '"
              + t.canonical()
              + "' is not known; give it with --input-shape "
              + t.canonical()
              + ":d0,d1,...");
    }
    TfValue[] outs = existing != null ? existing : new TfValue[Math.max(1, t.index() + 1)];
    if (outs.length <= t.index()) outs = Arrays.copyOf(outs, t.index() + 1);
    Value v = ctx.builder.input(t.canonical(), new TensorType(shape, st), ctx.loc());
    TfValue tv = new TfValue(t.canonical(), shape, st);
    tv.plain = v;
    outs[t.index()] = tv;
    return outs;
  }

  static TfValue constant(ImportContext ctx, NodeDef n, Tensor external) {
    Attrs a = new Attrs(n, ctx);
    AttrValue value = a.raw("value");
    if (external != null) {
      if (value != null && value.hasTensor()) {
        int[] declared = TensorProtos.dims(value.getTensor().getTensorShape());
        if (declared != null && !Arrays.equals(declared, external.shape())) {
          throw ctx.error(
              "the weights manifest gives shape "
                  + Arrays.toString(external.shape())
                  + ", the graph declares "
                  + Arrays.toString(declared));
        }
      }
      return TfValue.ofConstant(n.getName(), external);
    }
    if (value == null || !value.hasTensor()) throw ctx.error("constant without a 'value' tensor");
    if (ctx.weightsFromManifest && !TensorProtos.hasData(value.getTensor())) {
      throw ctx.error(
          "the weights manifest has no entry for this constant; are weight shards missing from the"
              + " model folder?");
    }
    try {
      return TfValue.ofConstant(n.getName(), TensorProtos.decode(value.getTensor()));
    } catch (IllegalArgumentException e) {
      throw ctx.error("bad constant: " + e.getMessage());
    }
  }
}
