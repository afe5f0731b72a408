package org.npuc.frontend.tensorflow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.npuc.frontend.tensorflow.proto.NodeDef;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;

/**
 * Shape and data-movement ops: Reshape, Squeeze, ExpandDims, ConcatV2, Pack, Transpose, and the ops
 * that are folded at import time (Shape, Fill, Cast of constants). Reshape and ExpandDims work on
 * TensorFlow's own layout; Concat, Squeeze and Transpose translate their axes when the input is
 * held as NCHW.
 */
final class ShapeOps {
  private ShapeOps() {}

  static void register(Map<String, OpConverter> t) {
    t.put("Reshape", ShapeOps::reshape);
    t.put("Squeeze", ShapeOps::squeeze);
    t.put("ExpandDims", ShapeOps::expandDims);
    t.put("ConcatV2", ShapeOps::concat);
    t.put(
        "Concat",
        (ctx, n, a, in) -> {
          int axis = ctx.requireConstant(in.get(0), "concat_dim").getInt(0);
          return Results.one(concat(ctx, n.getName(), in.subList(1, in.size()), axis));
        });
    t.put("Pack", ShapeOps::pack);
    t.put("Transpose", ShapeOps::transpose);
  }

  private static TfValue[] reshape(ImportContext ctx, NodeDef n, Attrs a, List<TfValue> in) {
    TfValue x = in.get(0);
    int[] target = ConstFold.ints(ctx.requireShape(in.get(1), "shape"));
    if (Arrays.stream(target).anyMatch(d -> d == TfValue.UNKNOWN_DIM)) {
      target = resolveSymbolic(ctx, x, target);
      Value v = ctx.plain(x);
      return Results.one(
          Results.plain(
              ctx,
              ctx.emit("reshape", List.of(v), Attributes.of("shape", target), target, x.type)));
    }
    int unknown = -1;
    long known = 1;
    for (int i = 0; i < target.length; i++) {
      if (target[i] == -1) {
        if (unknown >= 0)
          throw ctx.error("shape " + Arrays.toString(target) + " has more than one -1");
        unknown = i;
      } else if (target[i] < 0) {
        throw ctx.error("bad dimension " + target[i] + " in shape " + Arrays.toString(target));
      } else {
        known *= target[i];
      }
    }
    if (x.hasStaticShape()) {
      long count = Tensor.count(x.shape);
      if (unknown >= 0) {
        if (known == 0 || count % known != 0)
          throw ctx.error(
              "cannot reshape " + Arrays.toString(x.shape) + " to " + Arrays.toString(target));
        target[unknown] = (int) (count / known);
      } else if (count != known) {
        throw ctx.error(
            "cannot reshape "
                + Arrays.toString(x.shape)
                + " ("
                + count
                + " elements) to "
                + Arrays.toString(target));
      }
    }
    if (x.isConstant())
      return Results.one(TfValue.derived(n.getName(), x.constant.reshape(target), x));
    Value v = ctx.plain(x);
    return Results.one(
        Results.plain(
            ctx, ctx.emit("reshape", List.of(v), Attributes.of("shape", target), target, x.type)));
  }

  /**
   * A target computed from the shape of a tensor with one unknown dim (e.g. Keras' Flatten: {@code
   * reshape(x, [shape(x)[0], -1])} with an unknown batch): the unknown entry stays the IR's one
   * {@code -1}, a literal -1 is resolved from the known dims.
   */
  private static int[] resolveSymbolic(ImportContext ctx, TfValue x, int[] target) {
    long xKnown = 1;
    int xUnknown = 0;
    for (int d : x.shape) {
      if (d < 0) xUnknown++;
      else xKnown *= d;
    }
    int sym = 0, literal = -1;
    long known = 1;
    for (int i = 0; i < target.length; i++) {
      if (target[i] == TfValue.UNKNOWN_DIM) sym++;
      else if (target[i] == -1) literal = i;
      else known *= target[i];
    }
    if (sym != 1 || xUnknown != 1 || known == 0 || xKnown % known != 0) {
      throw ctx.error(
          "the target shape depends on dimensions of "
              + ImportContext.describe(x.shape)
              + " that are not known at import time; set them with --input-shape");
    }
    int[] r = target.clone();
    for (int i = 0; i < r.length; i++) if (r[i] == TfValue.UNKNOWN_DIM) r[i] = -1;
    if (literal >= 0) r[literal] = (int) (xKnown / known);
    else if (xKnown != known) {
      throw ctx.error(
          "cannot reshape " + ImportContext.describe(x.shape) + " to " + Arrays.toString(r));
    }
    return r;
  }

  private static TfValue[] squeeze(ImportContext ctx, NodeDef n, Attrs a, List<TfValue> in) {
    TfValue x = in.get(0);
    int rank = x.rank();
    if (rank < 0) throw ctx.error("input of unknown rank");
    int[] dims = a.ints("squeeze_dims", a.ints("axis", new int[0]));
    boolean[] drop = new boolean[rank];
    if (dims.length == 0) {
      for (int i = 0; i < rank; i++) {
        if (x.shape[i] < 0)
          throw ctx.error(
              "squeezing all size-1 dims needs a known shape; set it with --input-shape");
        drop[i] = x.shape[i] == 1;
      }
    } else {
      for (int d : dims) {
        int ax = Results.axis(d, rank);
        if (ax < 0) throw ctx.error("squeeze axis " + d + " is out of range for rank " + rank);
        if (x.shape[ax] > 1)
          throw ctx.error("cannot squeeze axis " + d + " of size " + x.shape[ax]);
        drop[ax] = true;
      }
    }
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < rank; i++) if (!drop[i]) kept.add(x.shape[i]);
    int[] outShape = kept.stream().mapToInt(Integer::intValue).toArray();
    if (x.isConstant())
      return Results.one(TfValue.derived(n.getName(), x.constant.reshape(outShape), x));
    boolean nchw = x.preferNchw();
    int[] perm = nchw ? TfValue.TO_NCHW : PoolOps.identity(rank);
    Value xv = nchw ? ctx.nchw(x) : ctx.plain(x);
    List<Integer> axes = new ArrayList<>();
    List<Integer> keptLogical = new ArrayList<>();
    List<Integer> irShape = new ArrayList<>();
    for (int i = 0; i < rank; i++) {
      if (drop[perm[i]]) axes.add(i);
      else {
        keptLogical.add(perm[i]);
        irShape.add(xv.type().shape()[i]);
      }
    }
    Value y =
        ctx.emit(
            "squeeze",
            List.of(xv),
            Attributes.of("axes", axes.stream().mapToInt(Integer::intValue).toArray()),
            irShape.stream().mapToInt(Integer::intValue).toArray(),
            x.type);
    return Results.one(PoolOps.restoreOrder(ctx, y, keptLogical));
  }

  private static TfValue[] expandDims(ImportContext ctx, NodeDef n, Attrs a, List<TfValue> in) {
    TfValue x = in.get(0);
    Tensor dimT = ctx.requireConstant(in.get(1), "dim");
    if (dimT.size() != 1) throw ctx.error("dim must hold one value");
    int rank = x.rank();
    int d = dimT.getInt(0);
    int ax = d < 0 ? d + rank + 1 : d;
    if (ax < 0 || ax > rank) throw ctx.error("dim " + d + " is out of range for rank " + rank);
    int[] out = new int[rank + 1];
    for (int i = 0, j = 0; i <= rank; i++) out[i] = i == ax ? 1 : x.shape[j++];
    if (x.isConstant())
      return Results.one(TfValue.derived(n.getName(), x.constant.reshape(out), x));
    Value y =
        ctx.emit(
            "unsqueeze", List.of(ctx.plain(x)), Attributes.of("axes", new int[] {ax}), out, x.type);
    return Results.one(Results.plain(ctx, y));
  }

  private static TfValue[] concat(ImportContext ctx, NodeDef n, Attrs a, List<TfValue> in) {
    List<TfValue> xs = in.subList(0, in.size() - 1);
    int axisIn = ctx.requireConstant(in.get(in.size() - 1), "axis").getInt(0);
    return Results.one(concat(ctx, n.getName(), xs, axisIn));
  }

  static TfValue concat(ImportContext ctx, String name, List<TfValue> xs, int axisIn) {
    int rank = xs.get(0).rank();
    int axis = Results.axis(axisIn, rank);
    if (axis < 0) throw ctx.error("concat axis " + axisIn + " is out of range for rank " + rank);
    int[] out = xs.get(0).shape.clone();
    boolean allConst = true;
    boolean anyNchw = false;
    for (int i = 0; i < xs.size(); i++) {
      TfValue x = xs.get(i);
      if (x.rank() != rank) throw ctx.error("inputs have ranks " + rank + " and " + x.rank());
      for (int d = 0; d < rank; d++) {
        if (d == axis) continue;
        if (x.shape[d] >= 0 && out[d] >= 0 && x.shape[d] != out[d])
          throw ctx.error(
              "input shapes "
                  + Arrays.toString(xs.get(0).shape)
                  + " and "
                  + Arrays.toString(x.shape)
                  + " differ outside the concat axis");
        if (out[d] < 0) out[d] = x.shape[d];
      }
      if (i > 0) out[axis] = out[axis] < 0 || x.shape[axis] < 0 ? -1 : out[axis] + x.shape[axis];
      allConst &= x.isConstant();
      anyNchw |= x.preferNchw();
    }
    if (allConst) {
      List<Tensor> ts = new ArrayList<>();
      for (TfValue x : xs) ts.add(x.constant);
      return TfValue.derived(name, concatConstants(ts, axis, out), xs.toArray(new TfValue[0]));
    }
    List<Value> vs = new ArrayList<>();
    if (rank == 4 && anyNchw) {
      for (TfValue x : xs) vs.add(ctx.nchw(x));
      int irAxis = TfValue.TO_NHWC[axis];
      return Results.nchw(
          ctx,
          ctx.emit(
              "concat",
              vs,
              Attributes.of("axis", irAxis),
              TfValue.permute(out, TfValue.TO_NCHW),
              xs.get(0).type));
    }
    for (TfValue x : xs) vs.add(ctx.plain(x));
    return Results.plain(
        ctx, ctx.emit("concat", vs, Attributes.of("axis", axis), out, xs.get(0).type));
  }

  static Tensor concatConstants(List<Tensor> ts, int axis, int[] out) {
    int outer = 1;
    for (int d = 0; d < axis; d++) outer *= out[d];
    boolean f = ts.get(0).isFloat();
    int n = (int) Tensor.count(out);
    float[] fr = f ? new float[n] : null;
    int[] ir = f ? null : new int[n];
    int pos = 0;
    for (int o = 0; o < outer; o++) {
      for (Tensor t : ts) {
        int chunk = t.size() / Math.max(outer, 1);
        for (int k = 0; k < chunk; k++) {
          if (f) fr[pos++] = t.getFloat(o * chunk + k);
          else ir[pos++] = t.getInt(o * chunk + k);
        }
      }
    }
    return f ? Tensor.ofFloats(out, fr) : Tensor.ofInts(out, ts.get(0).elementType(), ir);
  }

  private static TfValue[] pack(ImportContext ctx, NodeDef n, Attrs a, List<TfValue> in) {
    int rank = in.get(0).rank();
    int axis = (int) a.integer("axis", 0);
    int ax = axis < 0 ? axis + rank + 1 : axis;
    if (ax < 0 || ax > rank) throw ctx.error("axis " + axis + " is out of range");
    List<TfValue> expanded = new ArrayList<>();
    for (TfValue x : in) {
      if (x.rank() != rank) throw ctx.error("all inputs must have the same rank");
      int[] s = new int[rank + 1];
      for (int i = 0, j = 0; i <= rank; i++) s[i] = i == ax ? 1 : x.shape[j++];
      if (x.isConstant()) {
        expanded.add(TfValue.derived(x.name, x.constant.reshape(s), x));
      } else {
        Value u =
            ctx.emit(
                "unsqueeze",
                List.of(ctx.plain(x)),
                Attributes.of("axes", new int[] {ax}),
                s,
                x.type);
        expanded.add(Results.plain(ctx, u));
      }
    }
    return Results.one(concat(ctx, n.getName(), expanded, ax));
  }

  private static TfValue[] transpose(ImportContext ctx, NodeDef n, Attrs a, List<TfValue> in) {
    TfValue x = in.get(0);
    int[] perm = ConstFold.ints(ctx.requireConstant(in.get(1), "perm"));
    if (perm.length != x.rank())
      throw ctx.error("perm " + Arrays.toString(perm) + " does not match rank " + x.rank());
    boolean[] seen = new boolean[perm.length];
    for (int p : perm) {
      if (p < 0 || p >= perm.length || seen[p])
        throw ctx.error("perm " + Arrays.toString(perm) + " is not a permutation");
      seen[p] = true;
    }
    if (x.isConstant())
      return Results.one(TfValue.derived(n.getName(), ConstFold.transpose(x.constant, perm), x));
    if (x.preferNchw()) {
      int[] q = new int[4];
      for (int i = 0; i < 4; i++) q[i] = TfValue.TO_NHWC[perm[i]];
      return Results.one(Results.plain(ctx, ctx.transpose(ctx.nchw(x), q)));
    }
    return Results.one(Results.plain(ctx, ctx.transpose(ctx.plain(x), perm)));
  }
}
