package org.npuc.testing;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Attributes;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;
import org.npuc.ir.type.UniformPerAxisType;
import org.npuc.ir.type.UniformQuantType;
import org.npuc.quant.QuantParams;

/**
 * A small post-training quantizer for backend tests, used until the int8 lowering pass (issue #7)
 * is in main: MAX calibration over the given samples, activations per tensor (symmetric or not),
 * weights int8 symmetric narrow-range per output channel (or per tensor), bias int32 at {@code
 * s_x·s_w[c]}. conv2d, matmul (no transpose_a), max_pool, avg_pool, flatten and reshape become
 * integer (pooling and reshapes keep their input's parameters); every other op stays in float,
 * with {@code quantize}/{@code dequantize} at each border. Builds a new graph; the float one is
 * left as it was.
 */
public final class TestQuantizer {
  private static final Set<String> INTEGER = Set.of("conv2d", "matmul", "max_pool", "avg_pool", "flatten", "reshape");
  private static final Set<String> PASS_THROUGH = Set.of("max_pool", "avg_pool", "flatten", "reshape");

  private final Map<Value, double[]> ranges = new IdentityHashMap<>();
  private final Map<Value, Value> floatOf = new IdentityHashMap<>();
  private final Map<Value, Value> quantOf = new IdentityHashMap<>();
  private final Map<Value, UniformQuantType> params = new IdentityHashMap<>();
  private final boolean symmetric;
  private final boolean perChannel;
  private Graph out;

  private TestQuantizer(boolean symmetric, boolean perChannel) {
    this.symmetric = symmetric;
    this.perChannel = perChannel;
  }

  /** The quantized copy of {@code g}, calibrated on {@code samples} (inputs by name). */
  public static Graph quantize(Graph g, List<Map<String, Tensor>> samples, boolean symmetric, boolean perChannel) {
    TestQuantizer q = new TestQuantizer(symmetric, perChannel);
    Interpreter interp = new Interpreter(g);
    for (Map<String, Tensor> s : samples) {
      for (Map.Entry<Value, Tensor> e : interp.runAll(s).entrySet()) {
        Tensor t = e.getValue();
        if (!t.isFloat()) continue;
        double[] r = q.ranges.computeIfAbsent(e.getKey(), k -> new double[] {Double.MAX_VALUE, -Double.MAX_VALUE});
        for (float f : t.floats()) {
          r[0] = Math.min(r[0], f);
          r[1] = Math.max(r[1], f);
        }
      }
    }
    return q.build(g);
  }

  private UniformQuantType paramsFor(Value v) {
    UniformQuantType p = params.get(v);
    if (p != null) return p;
    double[] r = ranges.get(v);
    QuantParams qp = symmetric
        ? QuantParams.symmetric(Math.max(Math.abs(r[0]), Math.abs(r[1])), ScalarType.I8, false, false)
        : QuantParams.asymmetric(r[0], r[1], ScalarType.I8, false, false);
    p = qp.toType();
    params.put(v, p);
    return p;
  }

  private Graph build(Graph g) {
    out = new Graph(g.name());
    for (Operation op : g.ops()) {
      switch (op.name()) {
        case "input" -> floatOf.put(op.result(), out.append("input", List.of(), new Attributes(op.attributes()), List.of(op.result().type()), op.location()).result());
        case "constant" -> floatOf.put(op.result(), out.append("constant", List.of(), new Attributes(op.attributes()), List.of(op.result().type()), op.location()).result());
        case "output" -> out.append("output", List.of(asFloat(op.operand(0))), new Attributes(op.attributes()), List.of(), op.location());
        default -> {
          if (integer(op)) lowerInteger(op);
          else copyFloat(op);
        }
      }
    }
    return out;
  }

  private boolean integer(Operation op) {
    if (!INTEGER.contains(op.name())) return false;
    if (op.is("matmul") && (op.attributes().getBool("transpose_a", false) || !op.operand(1).isConstant() || op.operand(1).type().rank() != 2)) return false;
    if (op.is("conv2d") && !op.operand(1).isConstant()) return false;
    String act = op.attributes().getString("act", "none");
    if (!Set.of("none", "relu", "relu6", "clip").contains(act)) return false;
    return ranges.containsKey(op.operand(0)) && ranges.containsKey(op.result());
  }

  private void copyFloat(Operation op) {
    List<Value> operands = new ArrayList<>();
    for (Value v : op.operands()) operands.add(asFloat(v));
    List<TensorType> types = new ArrayList<>();
    for (Value r : op.results()) types.add(r.type());
    Operation n = out.append(op.name(), operands, new Attributes(op.attributes()), types, op.location());
    for (int i = 0; i < op.numResults(); i++) floatOf.put(op.result(i), n.result(i));
  }

  private Value asFloat(Value v) {
    Value f = floatOf.get(v);
    if (f != null) return f;
    Value q = quantOf.get(v);
    f = out.append("dequantize", List.of(q), new Attributes(), List.of(v.type()), v.definingOp().location()).result();
    floatOf.put(v, f);
    return f;
  }

  private Value asQuant(Value v) {
    Value q = quantOf.get(v);
    if (q != null) return q;
    UniformQuantType p = paramsFor(v);
    Operation def = v.definingOp();
    q = out.append("quantize", List.of(asFloat(v)), new Attributes(), List.of(v.type().withElementType(p)), def.location()).result();
    quantOf.put(v, q);
    return q;
  }

  private void lowerInteger(Operation op) {
    Value x = asQuant(op.operand(0));
    UniformQuantType xt = params.get(op.operand(0));
    List<Value> operands = new ArrayList<>(List.of(x));
    UniformQuantType yt;
    if (PASS_THROUGH.contains(op.name())) {
      yt = xt;
      params.put(op.result(), yt);
    } else {
      yt = paramsFor(op.result());
      boolean tb = op.attributes().getBool("transpose_b", false);
      int axis = op.is("matmul") && !tb ? 1 : 0;
      Tensor w = op.operand(1).constantValue();
      Tensor wq = quantizeWeights(w, axis);
      operands.add(out.append("constant", List.of(), Attributes.of("value", wq), List.of(wq.type()), op.operand(1).definingOp().location()).result());
      if (op.numOperands() > 2) {
        Tensor b = op.operand(2).constantValue();
        int[] bq = new int[b.size()];
        for (int c = 0; c < bq.length; c++) {
          double s = xt.scale() * scaleOf(wq.elementType(), c);
          bq[c] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.round(b.floats()[c] / s)));
        }
        Tensor bt = Tensor.ofInts(b.shape(), ScalarType.I32, bq);
        operands.add(out.append("constant", List.of(), Attributes.of("value", bt), List.of(bt.type()), op.operand(2).definingOp().location()).result());
      }
    }
    Operation n = out.append(op.name(), operands, new Attributes(op.attributes()), List.of(op.result().type().withElementType(yt)), op.location());
    quantOf.put(op.result(), n.result());
  }

  private static double scaleOf(ElementType t, int c) {
    return t instanceof UniformPerAxisType p ? p.scale(c) : ((UniformQuantType) t).scale();
  }

  private Tensor quantizeWeights(Tensor w, int axis) {
    int[] s = w.shape();
    int channels = s[axis];
    int inner = 1;
    for (int i = axis + 1; i < s.length; i++) inner *= s[i];
    float[] f = w.floats();
    double[] max = new double[channels];
    for (int i = 0; i < f.length; i++) {
      int c = (i / inner) % channels;
      max[c] = Math.max(max[c], Math.abs(f[i]));
    }
    double all = 0;
    for (double m : max) all = Math.max(all, m);
    double[] scales = new double[channels];
    for (int c = 0; c < channels; c++) scales[c] = (perChannel ? max[c] : all) == 0 ? 1.0 : (perChannel ? max[c] : all) / 127.0;
    int[] q = new int[f.length];
    for (int i = 0; i < f.length; i++) {
      int c = (i / inner) % channels;
      double r = f[i] / scales[c];
      q[i] = (int) Math.max(-127, Math.min(127, Math.signum(r) * Math.floor(Math.abs(r) + 0.5)));
    }
    ElementType t;
    if (perChannel) {
      t = new UniformPerAxisType(ScalarType.I8, ScalarType.F32, axis, scales, new long[channels], -127, 127);
    } else {
      t = new UniformQuantType(ScalarType.I8, ScalarType.F32, scales[0], 0, -127, 127);
    }
    return Tensor.ofInts(s, t, q);
  }
}
