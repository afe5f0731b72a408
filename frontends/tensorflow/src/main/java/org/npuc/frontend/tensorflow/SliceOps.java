package org.npuc.frontend.tensorflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.npuc.frontend.tensorflow.proto.NodeDef;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;

/**
 * StridedSlice (all five masks, folded on constants), Pad / PadV2 / MirrorPad, and the resize ops.
 * Pads and unmasked slices of a tensor held as NCHW are translated to NCHW axes.
 */
final class SliceOps {
  private SliceOps() {}

  static void register(Map<String, OpConverter> t) {
    t.put("StridedSlice", SliceOps::stridedSlice);
    t.put("Pad", (ctx, n, a, in) -> Results.one(pad(ctx, in, "constant", 0f)));
    t.put(
        "PadV2",
        (ctx, n, a, in) -> {
          Tensor v = ctx.requireConstant(in.get(2), "constant_values");
          if (v.size() != 1) throw ctx.error("constant_values must be a scalar");
          return Results.one(pad(ctx, in, "constant", v.getFloat(0)));
        });
    t.put(
        "MirrorPad",
        (ctx, n, a, in) -> {
          String mode = a.string("mode", "");
          String m =
              switch (mode) {
                case "REFLECT" -> "reflect";
                case "SYMMETRIC" -> "symmetric";
                default ->
                    throw ctx.error(
                        "MirrorPad mode '"
                            + mode
                            + "' is not supported (expected REFLECT or SYMMETRIC)");
              };
          return Results.one(pad(ctx, in, m, 0f));
        });
    t.put("ResizeBilinear", (ctx, n, a, in) -> Results.one(resize(ctx, a, in, true)));
    t.put("ResizeNearestNeighbor", (ctx, n, a, in) -> Results.one(resize(ctx, a, in, false)));
  }

  /** One input dim's slice: first index, step, element count, and whether the dim is kept. */
  record DimSlice(int start, int step, int count, boolean keep) {}

  private static TfValue[] stridedSlice(ImportContext ctx, NodeDef n, Attrs a, List<TfValue> in) {
    TfValue x = in.get(0);
    if (x.rank() < 0) throw ctx.error("input of unknown rank");
    int[] begin = ConstFold.ints(ctx.requireConstant(in.get(1), "begin"));
    int[] end = ConstFold.ints(ctx.requireConstant(in.get(2), "end"));
    int[] strides = ConstFold.ints(ctx.requireConstant(in.get(3), "strides"));
    if (begin.length != end.length || begin.length != strides.length)
      throw ctx.error("begin, end and strides differ in length");
    long bm = a.integer("begin_mask", 0),
        em = a.integer("end_mask", 0),
        elm = a.integer("ellipsis_mask", 0);
    long nam = a.integer("new_axis_mask", 0), sam = a.integer("shrink_axis_mask", 0);
    if (Long.bitCount(elm) > 1) throw ctx.error("more than one ellipsis");
    int rank = x.rank();
    int k = begin.length;
    int consumed = 0;
    for (int i = 0; i < k; i++) if ((elm >> i & 1) == 0 && (nam >> i & 1) == 0) consumed++;
    List<DimSlice> dims = new ArrayList<>();
    List<Integer> finalShape = new ArrayList<>();
    boolean sawEllipsis = false;
    for (int i = 0; i < k; i++) {
      if ((elm >> i & 1) != 0) {
        sawEllipsis = true;
        int cover = rank - consumed;
        if (cover < 0) throw ctx.error("slice has more entries than the input has dims");
        for (int c = 0; c < cover; c++) full(x.shape[dims.size()], dims, finalShape);
      } else if ((nam >> i & 1) != 0) {
        finalShape.add(1);
      } else {
        int j = dims.size();
        if (j >= rank) throw ctx.error("slice has more entries than the input has dims");
        int dim = x.shape[j];
        int s = strides[i];
        if (s == 0) throw ctx.error("stride 0 in strided slice");
        boolean shrink = (sam >> i & 1) != 0;
        boolean fullB = (bm >> i & 1) != 0, fullE = (em >> i & 1) != 0;
        if (dim < 0) {
          if (fullB && fullE && s == 1 && !shrink) {
            full(dim, dims, finalShape);
            continue;
          }
          throw ctx.error(
              "slicing a dimension of unknown size; set the input shape with --input-shape");
        }
        if (shrink) {
          int idx = begin[i] < 0 ? begin[i] + dim : begin[i];
          if (idx < 0 || idx >= dim)
            throw ctx.error("index " + begin[i] + " is out of range for a dimension of " + dim);
          dims.add(new DimSlice(idx, 1, 1, false));
          continue;
        }
        int b, e;
        if (s > 0) {
          b = fullB ? 0 : clamp(begin[i] < 0 ? begin[i] + dim : begin[i], 0, dim);
          e = fullE ? dim : clamp(end[i] < 0 ? end[i] + dim : end[i], 0, dim);
        } else {
          b = fullB ? dim - 1 : clamp(begin[i] < 0 ? begin[i] + dim : begin[i], -1, dim - 1);
          e = fullE ? -1 : clamp(end[i] < 0 ? end[i] + dim : end[i], -1, dim - 1);
        }
        int count =
            s > 0 ? Math.max(0, (e - b + s - 1) / s) : Math.max(0, (b - e + (-s) - 1) / (-s));
        dims.add(new DimSlice(b, s, count, true));
        finalShape.add(count);
      }
    }
    while (dims.size() < rank) full(x.shape[dims.size()], dims, finalShape);
    int[] out = finalShape.stream().mapToInt(Integer::intValue).toArray();
    if (x.isConstant())
      return Results.one(
          TfValue.derived(n.getName(), sliceConstant(x.constant, dims).reshape(out), x));
    boolean sameRank = nam == 0 && sam == 0;
    boolean nchw = sameRank && x.preferNchw();
    int[] perm = nchw ? TfValue.TO_NCHW : PoolOps.identity(rank);
    Value xv = nchw ? ctx.nchw(x) : ctx.plain(x);
    List<int[]> spec = new ArrayList<>(); // axis, start, end, step
    int[] sliced = xv.type().shape();
    for (int i = 0; i < rank; i++) {
      DimSlice d = dims.get(perm[i]);
      int dim = sliced[i];
      if (d.step == 1 && d.start == 0 && (dim < 0 || d.count == dim)) continue;
      int last = d.start + (d.count - 1) * d.step;
      int endIdx = d.step > 0 ? last + 1 : last - 1;
      if (d.count == 0) endIdx = d.start;
      if (endIdx < 0) endIdx = -(dim + 1); // "before index 0" for negative steps
      spec.add(new int[] {i, d.start, endIdx, d.step});
      sliced[i] = d.count;
    }
    Value y = xv;
    if (!spec.isEmpty()) {
      int m = spec.size();
      int[] axes = new int[m], starts = new int[m], ends = new int[m], steps = new int[m];
      for (int i = 0; i < m; i++) {
        axes[i] = spec.get(i)[0];
        starts[i] = spec.get(i)[1];
        ends[i] = spec.get(i)[2];
        steps[i] = spec.get(i)[3];
      }
      y =
          ctx.emit(
              "slice",
              List.of(xv),
              Attributes.of("axes", axes, "starts", starts, "ends", ends, "steps", steps),
              sliced,
              x.type);
    }
    if (nchw) return Results.one(Results.nchw(ctx, y));
    if (!sameRank) y = ctx.emit("reshape", List.of(y), Attributes.of("shape", out), out, x.type);
    return Results.one(Results.plain(ctx, y));
  }

  private static void full(int dim, List<DimSlice> dims, List<Integer> finalShape) {
    dims.add(new DimSlice(0, 1, dim, true));
    finalShape.add(dim);
  }

  private static int clamp(int v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  static Tensor sliceConstant(Tensor t, List<DimSlice> dims) {
    int r = dims.size();
    int[] shape = new int[r];
    for (int i = 0; i < r; i++) shape[i] = dims.get(i).count;
    int n = (int) Tensor.count(shape);
    int[] st = t.strides();
    float[] f = t.isFloat() ? new float[n] : null;
    int[] v = t.isFloat() ? null : new int[n];
    int[] pos = new int[r];
    for (int k = 0; k < n; k++) {
      int off = 0;
      for (int d = 0; d < r; d++) off += (dims.get(d).start + pos[d] * dims.get(d).step) * st[d];
      if (f != null) f[k] = t.floats()[off];
      else v[k] = t.ints()[off];
      for (int d = r - 1; d >= 0; d--) {
        if (++pos[d] < shape[d]) break;
        pos[d] = 0;
      }
    }
    return f != null ? Tensor.ofFloats(shape, f) : Tensor.ofInts(shape, t.elementType(), v);
  }

  private static TfValue pad(ImportContext ctx, List<TfValue> in, String mode, float value) {
    TfValue x = in.get(0);
    int rank = x.rank();
    Tensor p = ctx.requireConstant(in.get(1), "paddings");
    if (p.rank() != 2 || p.dim(0) != rank || p.dim(1) != 2)
      throw ctx.error("paddings must have shape [" + rank + ", 2]");
    boolean nchw = x.preferNchw();
    int[] perm = nchw ? TfValue.TO_NCHW : PoolOps.identity(rank);
    Value xv = nchw ? ctx.nchw(x) : ctx.plain(x);
    int[] pads = new int[2 * rank];
    int[] out = xv.type().shape();
    for (int i = 0; i < rank; i++) {
      int b = p.getInt(2 * perm[i]), e = p.getInt(2 * perm[i] + 1);
      if (b < 0 || e < 0) throw ctx.error("negative paddings are not supported");
      if (!mode.equals("constant") && out[i] >= 0) {
        int limit = mode.equals("reflect") ? out[i] - 1 : out[i];
        if (b > limit || e > limit)
          throw ctx.error(
              "MirrorPad paddings "
                  + b
                  + "/"
                  + e
                  + " exceed what a dimension of "
                  + out[i]
                  + " allows");
      }
      pads[i] = b;
      pads[rank + i] = e;
      if (out[i] >= 0) out[i] += b + e;
    }
    Attributes attrs = Attributes.of("pads", pads, "mode", mode);
    if (mode.equals("constant")) attrs.set("value", (double) value);
    Value y = ctx.emit("pad", List.of(xv), attrs, out, x.type);
    return nchw ? Results.nchw(ctx, y) : Results.plain(ctx, y);
  }

  private static TfValue resize(ImportContext ctx, Attrs a, List<TfValue> in, boolean bilinear) {
    TfValue x = in.get(0);
    if (x.rank() != 4) throw ctx.error("expected a 4-D NHWC input");
    int[] size = ConstFold.ints(ctx.requireConstant(in.get(1), "size"));
    if (size.length != 2 || size[0] <= 0 || size[1] <= 0)
      throw ctx.error("size must hold two positive values");
    boolean align = a.bool("align_corners", false);
    boolean half = a.bool("half_pixel_centers", false);
    if (align && half) throw ctx.error("align_corners and half_pixel_centers cannot both be set");
    Attributes attrs = Attributes.of("sizes", size, "mode", bilinear ? "bilinear" : "nearest");
    if (bilinear) {
      attrs.set("coordinate", align ? "align_corners" : half ? "half_pixel" : "asymmetric");
    } else if (align) {
      attrs.set("coordinate", "align_corners").set("nearest_mode", "round_prefer_ceil");
    } else if (half) {
      attrs.set("coordinate", "tf_half_pixel_for_nn").set("nearest_mode", "floor");
    } else {
      attrs.set("coordinate", "asymmetric").set("nearest_mode", "floor");
    }
    Value xv = ctx.nchw(x);
    int[] s = xv.type().shape();
    return Results.nchw(
        ctx,
        ctx.emit("resize", List.of(xv), attrs, new int[] {s[0], s[1], size[0], size[1]}, x.type));
  }
}
