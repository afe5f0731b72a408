package org.npuc.ops;

import java.util.List;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;

/**
 * {@code lrn}: local response normalization across channels (Caffe/ONNX) or within a channel over
 * a size×size zero-padded spatial window (Caffe WITHIN_CHANNEL, divisor always size²).
 */
final class LrnOp extends BaseOp {
  LrnOp() {
    super("lrn", "local response normalization across or within channels");
  }

  @Override
  protected void checkAttributes(Attributes a) {
    int size = a.getInt("size", 5);
    if (size < 1) throw error("attribute 'size': expected a value >= 1, got " + size);
    String region = oneOf(a, "region", "across", "across", "within");
    if (region.equals("within") && size % 2 == 0) throw error("attribute 'size': expected an odd size for region \"within\", got " + size);
    a.getDouble("alpha", 1e-4);
    a.getDouble("beta", 0.75);
    a.getDouble("bias", 1.0);
  }

  @Override
  protected List<TensorType> infer(List<TensorType> operands, Attributes a) {
    checkCount(operands, 1, 1);
    TensorType x = operands.get(0);
    checkRank("x", x, 4);
    return List.of(x.withElementType(floatElement("x", x)));
  }

  @Override
  protected Tensor[] compute(Attributes a, Tensor[] in, List<TensorType> results) {
    float[] x = in[0].floats();
    int[] s = in[0].shape();
    int n = s[0];
    int c = s[1];
    int h = s[2];
    int w = s[3];
    int size = a.getInt("size", 5);
    double alpha = a.getDouble("alpha", 1e-4);
    double beta = a.getDouble("beta", 0.75);
    double bias = a.getDouble("bias", 1.0);
    boolean across = a.getString("region", "across").equals("across");
    int before = (size - 1) / 2;
    int plane = h * w;
    float[] out = new float[x.length];
    float[] sq = new float[x.length];
    for (int i = 0; i < x.length; i++) sq[i] = x[i] * x[i];
    if (across) {
      double coef = alpha / size;
      for (int b = 0; b < n; b++) {
        for (int ch = 0; ch < c; ch++) {
          int lo = Math.max(0, ch - before);
          int hi = Math.min(c, ch - before + size);
          int base = (b * c + ch) * plane;
          for (int p = 0; p < plane; p++) {
            double sum = 0;
            for (int k = lo; k < hi; k++) sum += sq[(b * c + k) * plane + p];
            out[base + p] = (float) (x[base + p] / Math.pow(bias + coef * sum, beta));
          }
        }
      }
    } else {
      double coef = alpha / ((double) size * size);
      for (int pl = 0; pl < n * c; pl++) {
        int base = pl * plane;
        for (int y = 0; y < h; y++) {
          int y0 = Math.max(0, y - before);
          int y1 = Math.min(h, y - before + size);
          for (int xx = 0; xx < w; xx++) {
            int x0 = Math.max(0, xx - before);
            int x1 = Math.min(w, xx - before + size);
            double sum = 0;
            for (int yy = y0; yy < y1; yy++) for (int k = x0; k < x1; k++) sum += sq[base + yy * w + k];
            int i = base + y * w + xx;
            out[i] = (float) (x[i] / Math.pow(bias + coef * sum, beta));
          }
        }
      }
    }
    return new Tensor[] {floatTensor(results.get(0), out)};
  }
}
