package org.npuc.ops;

import java.util.List;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;

/**
 * {@code pad}: pads {@code [b0, b1, ..., e0, e1, ...]} (all begins, then all ends, as ONNX) with a
 * constant, by reflection (edge excluded), symmetrically (edge repeated) or by repeating the edge.
 */
final class PadOp extends BaseOp {
  PadOp() {
    super("pad", "constant, reflect, symmetric or edge padding");
  }

  @Override
  protected void checkAttributes(Attributes a) {
    checkNonNegative("pads", intsAttr(a, "pads", null, -1));
    oneOf(a, "mode", "constant", "constant", "reflect", "symmetric", "edge");
    a.getDouble("value", 0.0);
  }

  @Override
  protected List<TensorType> infer(List<TensorType> operands, Attributes a) {
    checkCount(operands, 1, 1);
    TensorType x = operands.get(0);
    int r = x.rank();
    int[] pads = a.getInts("pads");
    if (pads.length != 2 * r) throw error("attribute 'pads': expected " + 2 * r + " values (begins then ends for rank " + r + "), got " + pads.length);
    String mode = a.getString("mode", "constant");
    int[] shape = x.shape();
    for (int d = 0; d < r; d++) {
      if (shape[d] == Shapes.UNKNOWN) continue;
      int most = Math.max(pads[d], pads[d + r]);
      if (mode.equals("reflect") && most > shape[d] - 1) {
        throw error("attribute 'pads': mode \"reflect\" expects pads of dimension " + d + " at most " + (shape[d] - 1) + " (its size - 1), got " + most);
      }
      if (mode.equals("symmetric") && most > shape[d]) {
        throw error("attribute 'pads': mode \"symmetric\" expects pads of dimension " + d + " at most " + shape[d] + " (its size), got " + most);
      }
      if (mode.equals("edge") && most > 0 && shape[d] == 0) throw error("mode \"edge\" cannot pad the empty dimension " + d);
      shape[d] += pads[d] + pads[d + r];
    }
    return List.of(x.withShape(shape));
  }

  @Override
  protected Tensor[] compute(Attributes a, Tensor[] in, List<TensorType> results) {
    int[] s = in[0].shape();
    int r = s.length;
    int[] pads = a.getInts("pads");
    String mode = a.getString("mode", "constant");
    int[] strides = in[0].strides();
    TensorType rt = results.get(0);
    int[] os = rt.shape();
    int[][] maps = new int[r][];
    for (int d = 0; d < r; d++) {
      maps[d] = new int[os[d]];
      for (int c = 0; c < os[d]; c++) {
        int src = source(c - pads[d], s[d], mode);
        maps[d][c] = src < 0 ? -1 : src * strides[d];
      }
    }
    Object out = Data.newArray(in[0], Math.toIntExact(rt.numElements()));
    Data.gather(Data.array(in[0]), out, os, maps, (float) a.getDouble("value", 0.0));
    return new Tensor[] {Data.tensor(rt, out)};
  }

  /** The source coordinate for coordinate {@code i} of the unpadded axis of size n, or -1 for the constant. */
  static int source(int i, int n, String mode) {
    if (i >= 0 && i < n) return i;
    switch (mode) {
      case "reflect":
        // Mirror about the edge elements: -1 -> 1, n -> n-2 (pads < n keep one reflection enough).
        return i < 0 ? -i : 2 * (n - 1) - i;
      case "symmetric":
        // Mirror about the edges themselves: -1 -> 0, n -> n-1.
        return i < 0 ? -i - 1 : 2 * n - 1 - i;
      case "edge":
        return i < 0 ? 0 : n - 1;
      default:
        return -1;
    }
  }
}
