package org.npuc.ops;

import java.util.List;
import java.util.stream.IntStream;
import org.npuc.interp.ArrayPool;
import org.npuc.interp.Broadcast;
import org.npuc.interp.Gemm;
import org.npuc.interp.PackedMatrix;
import org.npuc.ir.Attributes;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.TensorType;

/**
 * {@code matmul}: batched {@code a[..., M, K] · b[..., K, N]} with optional transposes of the last
 * two dims, numpy broadcasting of the batch dims, optional bias {@code [N]} and fused activation.
 */
final class MatmulOp extends BaseOp {
  MatmulOp() {
    super("matmul", "batched matrix product with transposes, broadcast batch dims, bias and fused activation");
  }

  @Override
  protected boolean fusesActivation() {
    return true;
  }

  @Override
  protected void checkAttributes(Attributes a) {
    a.getBool("transpose_a", false);
    a.getBool("transpose_b", false);
    Activation.of(name(), a);
  }

  @Override
  protected List<TensorType> infer(List<TensorType> operands, Attributes attrs) {
    checkCount(operands, 2, 3);
    TensorType a = operands.get(0);
    TensorType b = operands.get(1);
    if (a.rank() < 2) throw error("operand 'a': expected rank >= 2 (reshape a vector to [1, K]), got rank " + a.rank() + " (" + a.toText() + ")");
    if (b.rank() < 2) throw error("operand 'b': expected rank >= 2 (reshape a vector to [K, 1]), got rank " + b.rank() + " (" + b.toText() + ")");
    ElementType e = floatElement("a", a);
    floatElement("b", b);
    boolean ta = attrs.getBool("transpose_a", false);
    boolean tb = attrs.getBool("transpose_b", false);
    int m = ta ? a.dim(-1) : a.dim(-2);
    int ka = ta ? a.dim(-2) : a.dim(-1);
    int kb = tb ? b.dim(-1) : b.dim(-2);
    int n = tb ? b.dim(-2) : b.dim(-1);
    if (!Shapes.compatible(ka, kb)) {
      throw error("operand 'b': expected the contracted dimension to be " + ka + " (from 'a' " + a.toText() + (ta ? ", transposed" : "")
          + "), got " + kb + " (" + b.toText() + (tb ? ", transposed" : "") + ")");
    }
    int[] as = a.shape();
    int[] bs = b.shape();
    int[] batch = Shapes.broadcast(name(), java.util.Arrays.copyOf(as, as.length - 2), java.util.Arrays.copyOf(bs, bs.length - 2));
    if (operands.size() == 3) {
      TensorType bias = operands.get(2);
      floatElement("bias", bias);
      if (bias.rank() != 1 || !Shapes.compatible(bias.dim(0), n)) {
        throw error("operand 'bias': expected shape [" + n + "], got " + bias.toText());
      }
    }
    return List.of(new TensorType(Shapes.concat(batch, new int[] {m, n}), e));
  }

  /** Products with at most this many rows against a constant B run on its cached packing. */
  private static final int PACKED_ROWS = 16;

  @Override
  protected Tensor[] compute(Operation op, Tensor[] in, List<TensorType> results) {
    Attributes attrs = op.attributes();
    TensorType rt = results.get(0);
    int[] os = rt.shape();
    int n = os[os.length - 1];
    long rows = rt.numElements() / Math.max(1, n);
    boolean ta = attrs.getBool("transpose_a", false);
    boolean tb = attrs.getBool("transpose_b", false);
    float[] b = constantData(op, 1, in[1]);
    if (b == null || ta || in[1].rank() != 2 || rows > PACKED_ROWS || n == 0) return compute(attrs, in, results);
    // A fully-connected layer at small batch: every row of A (all batches, contiguous when A is
    // not transposed) against the one constant B, packed once.
    int k = in[1].shape()[tb ? 1 : 0];
    PackedMatrix p = PackedMatrix.ofConstant(b, 0, tb ? 1 : n, tb ? k : 1, k, n);
    float[] out = ArrayPool.floats(Math.toIntExact(rt.numElements()));
    Activation act = Activation.of(name(), attrs);
    p.multiply((int) rows, in[0].floats(), 0, k, 1, out, 0, n, in.length > 2 ? in[2].floats() : null, act.isNone() ? null : act::apply);
    return new Tensor[] {floatTensor(rt, out)};
  }

  @Override
  protected Tensor[] compute(Attributes attrs, Tensor[] in, List<TensorType> results) {
    TensorType rt = results.get(0);
    int[] os = rt.shape();
    int r = os.length;
    int m = os[r - 2];
    int n = os[r - 1];
    boolean ta = attrs.getBool("transpose_a", false);
    boolean tb = attrs.getBool("transpose_b", false);
    int[] as = in[0].shape();
    int[] bs = in[1].shape();
    int k = ta ? as[as.length - 2] : as[as.length - 1];
    float[] a = in[0].floats();
    float[] b = in[1].floats();
    float[] out = ArrayPool.floats(Math.toIntExact(rt.numElements()));
    int[] batchShape = java.util.Arrays.copyOf(os, r - 2);
    int batches = (int) Tensor.count(batchShape);
    // Batch offsets through broadcast strides over the batch dims (in units of whole matrices).
    int[] sa = Broadcast.stridesFor(java.util.Arrays.copyOf(as, as.length - 2), batchShape);
    int[] sb = Broadcast.stridesFor(java.util.Arrays.copyOf(bs, bs.length - 2), batchShape);
    int[] aOff = new int[batches];
    int[] bOff = new int[batches];
    int[] idx = new int[batchShape.length];
    for (int t = 0; t < batches; t++) {
      int oa = 0;
      int ob = 0;
      for (int d = 0; d < idx.length; d++) {
        oa += idx[d] * sa[d];
        ob += idx[d] * sb[d];
      }
      aOff[t] = oa * m * k;
      bOff[t] = ob * k * n;
      for (int d = idx.length - 1; d >= 0 && ++idx[d] == batchShape[d]; d--) idx[d] = 0;
    }
    IntStream range = IntStream.range(0, batches);
    if (batches > 1 && (long) m * n * k < (1 << 18)) range = range.parallel(); // many small products
    range.forEach(
        t -> {
          int cOff = t * m * n;
          if (tb && !ta && m <= 4) {
            Gemm.multiplyTransposedB(m, n, k, a, aOff[t], k, b, bOff[t], k, out, cOff, n, false);
          } else {
            Gemm.multiply(
                m, n, k, a, aOff[t], ta ? 1 : k, ta ? m : 1,
                tb ? Gemm.matrix(b, bOff[t], 1, k) : Gemm.matrix(b, bOff[t], n, 1), out, cOff, n, false);
          }
        });
    if (in.length > 2) {
      float[] bias = in[2].floats();
      for (int row = 0; row < out.length; row += n) for (int j = 0; j < n; j++) out[row + j] += bias[j];
    }
    Activation.of(name(), attrs).apply(out);
    return new Tensor[] {floatTensor(rt, out)};
  }
}
