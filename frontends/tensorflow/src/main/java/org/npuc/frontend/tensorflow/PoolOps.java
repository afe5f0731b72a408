package org.npuc.frontend.tensorflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.npuc.ir.Attributes;
import org.npuc.ir.Value;

/**
 * Pooling (MaxPool, AvgPool) and reductions (Mean, Sum, Max). Reductions of a tensor held as NCHW
 * reduce the matching NCHW axes; when dims are dropped and the remaining order differs from
 * TensorFlow's, a transpose restores it.
 */
final class PoolOps {
  private PoolOps() {}

  static void register(Map<String, OpConverter> t) {
    t.put("MaxPool", (ctx, n, a, in) -> Results.one(pool(ctx, a, in.get(0), "max_pool")));
    t.put("AvgPool", (ctx, n, a, in) -> Results.one(pool(ctx, a, in.get(0), "avg_pool")));
    t.put("Mean", (ctx, n, a, in) -> Results.one(reduce(ctx, a, in, "reduce_mean")));
    t.put("Sum", (ctx, n, a, in) -> Results.one(reduce(ctx, a, in, "reduce_sum")));
    t.put("Max", (ctx, n, a, in) -> Results.one(reduce(ctx, a, in, "reduce_max")));
  }

  private static TfValue pool(ImportContext ctx, Attrs a, TfValue x, String op) {
    String format = a.string("data_format", "NHWC");
    if (x.rank() != 4)
      throw ctx.error("expected a 4-D input, got shape " + ImportContext.describe(x.shape));
    int[] ksize = a.ints("ksize", null);
    if (ksize == null) throw ctx.error("missing attribute 'ksize'");
    int[] strides4 = a.ints("strides", new int[] {1, 1, 1, 1});
    int[] nk = Windows.nonSpatial(ksize, format);
    int[] ns = Windows.nonSpatial(strides4, format);
    if (nk[0] != 1 || nk[1] != 1 || ns[0] != 1 || ns[1] != 1) {
      throw ctx.error("pooling across the batch or channel dimension is not supported");
    }
    boolean nhwc = !format.startsWith("NC");
    Value xv = nhwc ? ctx.nchw(x) : ctx.plain(x);
    int[] xs = xv.type().shape();
    int[] k = Windows.spatial(ksize, format, ctx, "ksize");
    int[] s = Windows.spatial(strides4, format, ctx, "strides");
    int[] pads =
        Windows.pads(
            a.string("padding", "VALID"),
            new int[] {xs[2], xs[3]},
            k,
            s,
            new int[] {1, 1},
            a.ints("explicit_paddings", null),
            format,
            ctx);
    int[] out = {
      xs[0],
      xs[1],
      Windows.outSize(xs[2], k[0], s[0], 1, pads[0], pads[2]),
      Windows.outSize(xs[3], k[1], s[1], 1, pads[1], pads[3])
    };
    Attributes attrs = Attributes.of("kernel", k, "strides", s, "pads", pads);
    if (op.equals("avg_pool"))
      attrs.set("count_include_pad", false); // TF averages over real elements only
    Value y = ctx.emit(op, List.of(xv), attrs, out, x.type);
    return nhwc ? Results.nchw(ctx, y) : Results.plain(ctx, y);
  }

  private static TfValue reduce(ImportContext ctx, Attrs a, List<TfValue> in, String op) {
    TfValue x = in.get(0);
    int rank = x.rank();
    if (rank < 0) throw ctx.error("input of unknown rank");
    int[] axes = ConstFold.ints(ctx.requireConstant(in.get(1), "reduction_indices"));
    boolean keep = a.bool("keep_dims", false);
    boolean[] reduced = new boolean[rank];
    for (int ax : axes) {
      int n = Results.axis(ax, rank);
      if (n < 0) throw ctx.error("reduction axis " + ax + " is out of range for rank " + rank);
      reduced[n] = true;
    }
    List<Integer> sorted = new ArrayList<>();
    for (int i = 0; i < rank; i++) if (reduced[i]) sorted.add(i);
    boolean useNchw = x.preferNchw();
    int[] perm = useNchw ? TfValue.TO_NCHW : identity(rank);
    Value xv = useNchw ? ctx.nchw(x) : ctx.plain(x);
    int[] xs = xv.type().shape();
    List<Integer> irAxes = new ArrayList<>();
    for (int i = 0; i < rank; i++) if (reduced[perm[i]]) irAxes.add(i);
    List<Integer> outShape = new ArrayList<>();
    List<Integer> keptLogical = new ArrayList<>();
    for (int i = 0; i < rank; i++) {
      if (reduced[perm[i]]) {
        if (keep) outShape.add(1);
      } else {
        outShape.add(xs[i]);
        keptLogical.add(perm[i]);
      }
    }
    Attributes attrs =
        Attributes.of(
            "axes", irAxes.stream().mapToInt(Integer::intValue).toArray(), "keepdims", keep);
    if (sorted.isEmpty()) return x; // reducing over no axes is the identity
    Value y =
        ctx.emit(
            op,
            List.of(xv),
            attrs,
            outShape.stream().mapToInt(Integer::intValue).toArray(),
            x.type);
    if (!useNchw) return Results.plain(ctx, y);
    if (keep) return Results.nchw(ctx, y);
    return restoreOrder(ctx, y, keptLogical);
  }

  /**
   * {@code y} holds the logical dims {@code keptLogical} (in that order); transposes it into
   * ascending logical order when needed and returns it as a plain value.
   */
  static TfValue restoreOrder(ImportContext ctx, Value y, List<Integer> keptLogical) {
    int r = keptLogical.size();
    Integer[] order = new Integer[r];
    for (int i = 0; i < r; i++) order[i] = i;
    java.util.Arrays.sort(order, (p, q) -> Integer.compare(keptLogical.get(p), keptLogical.get(q)));
    int[] perm = new int[r];
    boolean identity = true;
    for (int i = 0; i < r; i++) {
      perm[i] = order[i];
      identity &= perm[i] == i;
    }
    return Results.plain(ctx, identity ? y : ctx.transpose(y, perm));
  }

  static int[] identity(int rank) {
    int[] p = new int[rank];
    for (int i = 0; i < rank; i++) p[i] = i;
    return p;
  }
}
