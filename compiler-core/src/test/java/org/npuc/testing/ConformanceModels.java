package org.npuc.testing;

import java.util.List;
import java.util.Random;
import org.npuc.ir.Attributes;
import org.npuc.ir.Graph;
import org.npuc.ir.Location;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;
import org.npuc.ir.type.UniformPerAxisType;
import org.npuc.ir.type.UniformQuantType;

/**
 * Small seeded models for backend conformance: an int8 CNN as a quantizer would produce it
 * (per-channel int8 weights, int32 biases, fused ReLU, pooling, a residual add, a fully-connected
 * layer), with float input and output through quantize/dequantize.
 */
public final class ConformanceModels {
  private ConformanceModels() {}

  /** The int8 CNN for input {@code [1, c, h, w]} (h, w even), seeded. */
  public static Graph quantizedCnn(int c, int h, int w, long seed) {
    Random r = new Random(seed);
    Graph g = new Graph("conformance_int8_cnn");
    UniformQuantType qin = UniformQuantType.of(ScalarType.I8, 0.02, -3);
    Value x = op(g, "input", List.of(), Attributes.of("name", "x"), TensorType.f32(1, c, h, w), "x");
    Value xq = op(g, "quantize", List.of(x), new Attributes(), TensorType.of(qin, 1, c, h, w), "x/quant");
    UniformQuantType a1 = UniformQuantType.of(ScalarType.I8, 0.03, -128);
    Value c1 = conv(g, r, xq, qin, 8, 3, 1, a1, "relu", "conv1");
    Value p1 = op(g, "max_pool", List.of(c1), Attributes.of("kernel", new long[] {2, 2}, "strides", new long[] {2, 2}), TensorType.of(a1, 1, 8, h / 2, w / 2), "pool1");
    UniformQuantType a2 = UniformQuantType.of(ScalarType.I8, 0.025, -128);
    Value c2 = conv(g, r, p1, a1, 8, 3, 1, a2, "relu", "conv2");
    UniformQuantType a3 = UniformQuantType.of(ScalarType.I8, 0.04, -20);
    Value sum = op(g, "add", List.of(c2, p1), new Attributes(), TensorType.of(a3, 1, 8, h / 2, w / 2), "res_add");
    UniformQuantType a4 = UniformQuantType.of(ScalarType.I8, 0.05, 5);
    int k = 8 * (h / 2) * (w / 2);
    Value flat = op(g, "reshape", List.of(sum), Attributes.of("shape", new long[] {1, k}), TensorType.of(a3, 1, k), "flatten");
    Tensor fcwt = perAxis(r, 10, k, 0);
    Value fcw = constant(g, fcwt, "fc/weights");
    Value fcb = constant(g, bias(r, a3.scale(), fcwt), "fc/bias");
    Value fc = op(g, "matmul", List.of(flat, fcw, fcb), Attributes.of("transpose_b", true), TensorType.of(a4, 1, 10), "fc");
    Value y = op(g, "dequantize", List.of(fc), new Attributes(), TensorType.f32(1, 10), "y/dequant");
    g.append("output", List.of(y), Attributes.of("name", "y"), List.of(), Location.of("y"));
    return g;
  }

  private static Value conv(Graph g, Random r, Value in, UniformQuantType inType, int oc, int k, int stride, UniformQuantType outType, String act, String name) {
    int ic = in.type().dim(1);
    Tensor wt = perAxis(r, oc, ic * k * k, 0).reshape(oc, ic, k, k);
    Value w = constant(g, wt, name + "/weights");
    Value b = constant(g, bias(r, inType.scale(), wt), name + "/bias");
    int p = k / 2;
    int oh = (in.type().dim(2) + 2 * p - k) / stride + 1;
    int ow = (in.type().dim(3) + 2 * p - k) / stride + 1;
    Attributes a = Attributes.of("strides", new long[] {stride, stride}, "pads", new long[] {p, p, p, p}, "dilations", new long[] {1, 1}, "group", 1L, "act", act);
    return op(g, "conv2d", List.of(in, w, b), a, TensorType.of(outType, 1, oc, oh, ow), name);
  }

  /** int8 weights [rows, cols] with one symmetric scale per row along {@code axis}. */
  private static Tensor perAxis(Random r, int rows, int cols, int axis) {
    double[] scales = new double[rows];
    long[] zps = new long[rows];
    for (int i = 0; i < rows; i++) scales[i] = 0.002 + 0.004 * r.nextDouble();
    ElementType t = new UniformPerAxisType(ScalarType.I8, ScalarType.F32, axis, scales, zps, -127, 127);
    int[] v = new int[rows * cols];
    for (int i = 0; i < v.length; i++) v[i] = r.nextInt(255) - 127;
    return Tensor.ofInts(new int[] {rows, cols}, t, v);
  }

  /** int32 bias with scale {@code s_in·s_w[c]} per output channel, zero point 0 (as TFLite stores it). */
  private static Tensor bias(Random r, double inScale, Tensor weights) {
    UniformPerAxisType wt = (UniformPerAxisType) weights.elementType();
    int n = wt.channels();
    double[] scales = new double[n];
    for (int i = 0; i < n; i++) scales[i] = inScale * wt.scale(i);
    ElementType t = new UniformPerAxisType(ScalarType.I32, ScalarType.F32, 0, scales, new long[n], ScalarType.I32.minValue(), ScalarType.I32.maxValue());
    int[] v = new int[n];
    for (int i = 0; i < n; i++) v[i] = r.nextInt(2001) - 1000;
    return Tensor.ofInts(new int[] {n}, t, v);
  }

  private static Value constant(Graph g, Tensor t, String name) {
    return op(g, "constant", List.of(), Attributes.of("value", t), t.type(), name);
  }

  private static Value op(Graph g, String name, List<Value> operands, Attributes a, TensorType type, String loc) {
    Operation op = g.append(name, operands, a, List.of(type), Location.of(loc));
    return op.result();
  }
}
