package org.npuc.frontend.tensorflow;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.npuc.frontend.tensorflow.proto.DataType;
import org.npuc.frontend.tensorflow.proto.NodeDef;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.ScalarType;

/**
 * Shape (folded, with unknown dims kept symbolic for Reshape), Fill (folded) and Cast (folded on
 * constants, an identity when the type does not change, else the core {@code cast}).
 */
final class FoldedOps {
  private FoldedOps() {}

  static void register(Map<String, OpConverter> t) {
    t.put("Shape", FoldedOps::shape);
    t.put("Fill", FoldedOps::fill);
    t.put("Cast", FoldedOps::cast);
  }

  private static TfValue[] shape(ImportContext ctx, NodeDef n, Attrs a, List<TfValue> in) {
    TfValue x = in.get(0);
    if (x.shape == null)
      throw ctx.error("the rank of '" + x.name + "' is not known at import time");
    ScalarType t =
        a.type("out_type", DataType.DT_INT32) == DataType.DT_INT64
            ? ScalarType.I64
            : ScalarType.I32;
    int[] dims = x.shape.clone();
    boolean unknown = false;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] < 0) {
        dims[i] = TfValue.UNKNOWN_DIM; // only shape plumbing may read it (see TfValue.symbolic)
        unknown = true;
      }
    }
    TfValue r = TfValue.ofConstant(n.getName(), ConstFold.intVector(t, dims));
    r.symbolic = unknown;
    return Results.one(r);
  }

  private static TfValue[] fill(ImportContext ctx, NodeDef n, Attrs a, List<TfValue> in) {
    int[] dims = ConstFold.ints(ctx.requireConstant(in.get(0), "dims"));
    Tensor v = ctx.requireConstant(in.get(1), "value");
    if (v.size() != 1) throw ctx.error("value must be a scalar");
    for (int d : dims) if (d < 0) throw ctx.error("bad dims " + Arrays.toString(dims));
    long count = Tensor.count(dims);
    if (count > TensorProtos.MAX_ELEMENTS)
      throw ctx.error("Fill of " + count + " elements is too large");
    Tensor r;
    if (v.isFloat()) {
      float[] f = new float[(int) count];
      Arrays.fill(f, v.floats()[0]);
      r = Tensor.ofFloats(dims, f);
    } else {
      int[] iv = new int[(int) count];
      Arrays.fill(iv, v.ints()[0]);
      r = Tensor.ofInts(dims, v.elementType(), iv);
    }
    return Results.one(TfValue.ofConstant(n.getName(), r));
  }

  private static TfValue[] cast(ImportContext ctx, NodeDef n, Attrs a, List<TfValue> in) {
    TfValue x = in.get(0);
    DataType dst = a.type("DstT", DataType.DT_FLOAT);
    ScalarType to = DataTypes.toScalar(dst);
    if (to == null) throw ctx.error("cast to " + DataTypes.describe(dst) + " is not supported");
    if (to == x.type) return Results.one(x);
    if (x.isConstant()) {
      Tensor c = x.constant;
      Tensor r;
      if (to.isFloat()) {
        float[] f = new float[c.size()];
        for (int i = 0; i < f.length; i++) f[i] = c.getFloat(i);
        r =
            to == ScalarType.F32
                ? Tensor.ofFloats(c.shape(), f)
                : Tensor.ofFloats(c.shape(), to, f);
      } else {
        int[] v = new int[c.size()];
        for (int i = 0; i < v.length; i++)
          v[i] = to == ScalarType.BOOL ? (c.getFloat(i) != 0 ? 1 : 0) : c.getInt(i);
        r = Tensor.ofInts(c.shape(), to, v);
      }
      return Results.one(TfValue.derived(n.getName(), r, x));
    }
    if (x.preferNchw()) {
      Value v = ctx.nchw(x);
      return Results.one(
          Results.nchw(
              ctx,
              ctx.emit(
                  "cast", List.of(v), Attributes.of("to", to.toText()), v.type().shape(), to)));
    }
    Value v = ctx.plain(x);
    return Results.one(
        Results.plain(
            ctx,
            ctx.emit("cast", List.of(v), Attributes.of("to", to.toText()), v.type().shape(), to)));
  }
}
