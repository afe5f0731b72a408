package org.npuc.frontend.tensorflow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.npuc.frontend.tensorflow.proto.NodeDef;
import org.npuc.ir.Attributes;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.TensorType;

/**
 * Split, SplitV and Slice (begin/size). Their axes are translated when the input is held as NCHW,
 * and constants are sliced at import time.
 */
final class SplitOps {
  private SplitOps() {}

  static void register(Map<String, OpConverter> t) {
    t.put(
        "Split",
        (ctx, n, a, in) -> {
          TfValue x = in.get(1);
          int axis = axis(ctx, ctx.requireConstant(in.get(0), "split_dim").getInt(0), x);
          int parts = (int) a.integer("num_split", 1);
          int dim = x.shape[axis];
          if (parts < 1 || dim < 0 || dim % parts != 0) {
            throw ctx.error(
                "cannot split a dimension of " + dim + " into " + parts + " equal parts");
          }
          int[] sizes = new int[parts];
          Arrays.fill(sizes, dim / parts);
          return split(ctx, n, x, axis, sizes);
        });
    t.put(
        "SplitV",
        (ctx, n, a, in) -> {
          TfValue x = in.get(0);
          int axis = axis(ctx, ctx.requireConstant(in.get(2), "split_dim").getInt(0), x);
          int[] sizes = ConstFold.ints(ctx.requireConstant(in.get(1), "size_splits"));
          int dim = x.shape[axis];
          int unknown = -1, known = 0;
          for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] == -1 && unknown < 0) unknown = i;
            else if (sizes[i] < 0) throw ctx.error("bad size_splits " + Arrays.toString(sizes));
            else known += sizes[i];
          }
          if (dim < 0)
            throw ctx.error("splitting a dimension of unknown size; set it with --input-shape");
          if (unknown >= 0) sizes[unknown] = dim - known;
          if (Arrays.stream(sizes).sum() != dim || (unknown >= 0 && sizes[unknown] < 0)) {
            throw ctx.error("size_splits " + Arrays.toString(sizes) + " do not add up to " + dim);
          }
          return split(ctx, n, x, axis, sizes);
        });
    t.put("Slice", SplitOps::slice);
  }

  private static int axis(ImportContext ctx, int axis, TfValue x) {
    int ax = Results.axis(axis, x.rank());
    if (ax < 0) throw ctx.error("axis " + axis + " is out of range for rank " + x.rank());
    return ax;
  }

  private static TfValue[] split(ImportContext ctx, NodeDef n, TfValue x, int axis, int[] sizes) {
    TfValue[] r = new TfValue[sizes.length];
    if (x.isConstant()) {
      int start = 0;
      for (int i = 0; i < sizes.length; i++) {
        r[i] =
            TfValue.derived(
                n.getName() + ":" + i, sliceConst(x.constant, axis, start, sizes[i]), x);
        start += sizes[i];
      }
      return r;
    }
    boolean nchw = x.preferNchw();
    int irAxis = nchw ? TfValue.TO_NHWC[axis] : axis;
    Value xv = nchw ? ctx.nchw(x) : ctx.plain(x);
    List<TensorType> types = new ArrayList<>();
    for (int s : sizes) {
      int[] shape = xv.type().shape();
      shape[irAxis] = s;
      types.add(new TensorType(shape, x.type));
    }
    Operation op =
        ctx.builder.createTyped(
            "split", List.of(xv), Attributes.of("axis", irAxis, "sizes", sizes), types, ctx.loc());
    for (int i = 0; i < sizes.length; i++)
      r[i] = nchw ? Results.nchw(ctx, op.result(i)) : Results.plain(ctx, op.result(i));
    return r;
  }

  private static Tensor sliceConst(Tensor t, int axis, int start, int size) {
    List<SliceOps.DimSlice> dims = new ArrayList<>();
    for (int d = 0; d < t.rank(); d++) {
      dims.add(
          d == axis
              ? new SliceOps.DimSlice(start, 1, size, true)
              : new SliceOps.DimSlice(0, 1, t.dim(d), true));
    }
    return SliceOps.sliceConstant(t, dims);
  }

  private static TfValue[] slice(ImportContext ctx, NodeDef n, Attrs a, List<TfValue> in) {
    TfValue x = in.get(0);
    int rank = x.rank();
    int[] begin = ConstFold.ints(ctx.requireConstant(in.get(1), "begin"));
    int[] size = ConstFold.ints(ctx.requireConstant(in.get(2), "size"));
    if (begin.length != rank || size.length != rank)
      throw ctx.error("begin and size must have " + rank + " entries");
    List<SliceOps.DimSlice> dims = new ArrayList<>();
    for (int d = 0; d < rank; d++) {
      int dim = x.shape[d];
      int s = size[d];
      if (s == -1) {
        if (dim < 0)
          throw ctx.error("slicing a dimension of unknown size; set it with --input-shape");
        s = dim - begin[d];
      }
      if (begin[d] < 0 || s < 0 || (dim >= 0 && begin[d] + s > dim)) {
        throw ctx.error(
            "slice begin "
                + Arrays.toString(begin)
                + " size "
                + Arrays.toString(size)
                + " is out of range for "
                + ImportContext.describe(x.shape));
      }
      dims.add(new SliceOps.DimSlice(begin[d], 1, s, true));
    }
    if (x.isConstant())
      return Results.one(TfValue.derived(n.getName(), SliceOps.sliceConstant(x.constant, dims), x));
    boolean nchw = x.preferNchw();
    int[] perm = nchw ? TfValue.TO_NCHW : PoolOps.identity(rank);
    Value xv = nchw ? ctx.nchw(x) : ctx.plain(x);
    int[] out = xv.type().shape();
    List<int[]> spec = new ArrayList<>();
    for (int i = 0; i < rank; i++) {
      SliceOps.DimSlice d = dims.get(perm[i]);
      if (d.start() == 0 && d.count() == out[i]) continue;
      spec.add(new int[] {i, d.start(), d.start() + d.count()});
      out[i] = d.count();
    }
    if (spec.isEmpty()) return Results.one(x);
    int m = spec.size();
    int[] axes = new int[m], starts = new int[m], ends = new int[m];
    for (int i = 0; i < m; i++) {
      axes[i] = spec.get(i)[0];
      starts[i] = spec.get(i)[1];
      ends[i] = spec.get(i)[2];
    }
    Value y =
        ctx.emit(
            "slice",
            List.of(xv),
            Attributes.of("axes", axes, "starts", starts, "ends", ends),
            out,
            x.type);
    return Results.one(nchw ? Results.nchw(ctx, y) : Results.plain(ctx, y));
  }
}
