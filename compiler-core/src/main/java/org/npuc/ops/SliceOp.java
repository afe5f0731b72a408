package org.npuc.ops;

import java.util.List;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;

/**
 * {@code slice}: numpy-style strided slice, ends exclusive, out-of-range starts and ends clamped
 * (negative values count from the end; negative steps walk backwards).
 */
final class SliceOp extends BaseOp {
  SliceOp() {
    super("slice", "strided slice with numpy clamping");
  }

  @Override
  protected void checkAttributes(Attributes a) {
    long[] starts = longs(a, "starts");
    long[] ends = longs(a, "ends");
    if (ends.length != starts.length) throw error("attribute 'ends': expected " + starts.length + " values like 'starts', got " + ends.length);
    long[] axes = a.getLongs("axes", null);
    if (axes != null && axes.length != starts.length) throw error("attribute 'axes': expected " + starts.length + " values like 'starts', got " + axes.length);
    long[] steps = a.getLongs("steps", null);
    if (steps != null) {
      if (steps.length != starts.length) throw error("attribute 'steps': expected " + starts.length + " values like 'starts', got " + steps.length);
      for (long s : steps) if (s == 0) throw error("attribute 'steps': expected non-zero steps, got " + java.util.Arrays.toString(steps));
    }
  }

  private long[] longs(Attributes a, String key) {
    long[] v = a.getLongs(key, null);
    if (v == null) throw error("missing attribute '" + key + "'");
    return v;
  }

  /** Per dim of x: {start, step, count}; count -1 when the dim is unknown. */
  private int[][] plan(Attributes a, int[] shape) {
    int r = shape.length;
    int[][] p = new int[r][];
    for (int d = 0; d < r; d++) p[d] = new int[] {0, 1, shape[d]};
    long[] starts = a.getLongs("starts", null);
    long[] ends = a.getLongs("ends", null);
    long[] axes = a.getLongs("axes", null);
    long[] steps = a.getLongs("steps", null);
    boolean[] seen = new boolean[r];
    for (int i = 0; i < starts.length; i++) {
      int d = Shapes.axis(name(), "axes", axes == null ? i : axes[i], r);
      if (seen[d]) throw error("attribute 'axes': expected distinct axes, got " + java.util.Arrays.toString(axes));
      seen[d] = true;
      long step = steps == null ? 1 : steps[i];
      long dim = shape[d];
      if (dim == Shapes.UNKNOWN) {
        p[d] = new int[] {0, (int) step, Shapes.UNKNOWN};
        continue;
      }
      long start = starts[i] < 0 ? starts[i] + dim : starts[i];
      long end = ends[i] < 0 ? ends[i] + dim : ends[i];
      long count;
      if (step > 0) {
        start = Math.max(0, Math.min(start, dim));
        end = Math.max(0, Math.min(end, dim));
        count = end > start ? (end - start + step - 1) / step : 0;
      } else {
        start = Math.max(-1, Math.min(start, dim - 1));
        end = Math.max(-1, Math.min(end, dim - 1));
        count = start > end ? (start - end + (-step) - 1) / (-step) : 0;
      }
      p[d] = new int[] {(int) start, (int) step, (int) count};
    }
    return p;
  }

  @Override
  protected List<TensorType> infer(List<TensorType> operands, Attributes a) {
    checkCount(operands, 1, 1);
    TensorType x = operands.get(0);
    int[][] p = plan(a, x.shape());
    int[] shape = new int[x.rank()];
    for (int d = 0; d < shape.length; d++) shape[d] = p[d][2];
    return List.of(x.withShape(shape));
  }

  @Override
  protected Tensor[] compute(Attributes a, Tensor[] in, List<TensorType> results) {
    int[] s = in[0].shape();
    int[][] p = plan(a, s);
    int[] strides = Tensor.strides(s);
    int[][] maps = new int[s.length][];
    for (int d = 0; d < s.length; d++) {
      maps[d] = new int[p[d][2]];
      for (int c = 0; c < maps[d].length; c++) maps[d][c] = (p[d][0] + c * p[d][1]) * strides[d];
    }
    TensorType rt = results.get(0);
    Object out = Data.newArray(in[0], Math.toIntExact(rt.numElements()));
    Data.gather(Data.array(in[0]), out, rt.shape(), maps, 0f);
    return new Tensor[] {Data.tensor(rt, out)};
  }
}
