package org.npuc.quant.lower;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.npuc.interp.Interpreter;
import org.npuc.quant.calib.Calibrator;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.UniformPerAxisType;
import org.npuc.ir.type.UniformQuantType;

/**
 * Runs a float graph and its quantized version on the same inputs and compares every layer output
 * the two share (matched by location name, named as calibration names tensors): cosine similarity,
 * SQNR in dB ({@code 10·log10(Σref² / Σ(ref-q)²)}) and max abs error, accumulated over all samples.
 * Integer tensors are dequantized with their types' parameters first.
 */
public final class LayerCompare {
  /** One layer's figures; {@code index} is its position in the float graph. */
  public record Row(String name, int index, String op, boolean quantized, double cosine, double sqnrDb, double maxAbsError, long elements, boolean isOutput) {}

  private final Map<String, double[]> acc = new LinkedHashMap<>(); // dot, |a|^2, |b|^2, |a-b|^2, max, n
  private final Map<String, Row> meta = new LinkedHashMap<>();
  private final Graph floatGraph;
  private final Graph quantGraph;
  private final Map<String, Value> floatValues;
  private final Map<String, Value> quantValues;

  public LayerCompare(Graph floatGraph, Graph quantGraph) {
    this.floatGraph = floatGraph;
    this.quantGraph = quantGraph;
    this.floatValues = names(floatGraph);
    this.quantValues = names(quantGraph);
    Set<Value> outs = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Operation o : floatGraph.outputs()) outs.add(o.operand(0));
    int i = 0;
    for (Map.Entry<String, Value> e : floatValues.entrySet()) {
      Value qv = quantValues.get(e.getKey());
      if (qv == null) continue;
      boolean q = qv.type().elementType().isQuantized();
      meta.put(e.getKey(), new Row(e.getKey(), i++, e.getValue().definingOp().name(), q, 0, 0, 0, 0, outs.contains(e.getValue())));
      acc.put(e.getKey(), new double[6]);
    }
  }

  /**
   * Names of every layer output of {@code g}: results of ops that depend on an input, except
   * inputs, constants and the quantize/dequantize borders, named like {@link
   * org.npuc.quant.calib.Calibrator#targets}.
   */
  public static Map<String, Value> names(Graph g) {
    Map<String, Value> r = new LinkedHashMap<>();
    for (Calibrator.Target t : Calibrator.layerOutputs(g, (op, v) -> !BORDERS.contains(op.name()))) r.put(t.name(), t.value());
    return r;
  }

  /** Ops that are not layers of the model: the graph boundary and the float/int borders. */
  private static final Set<String> BORDERS = Set.of("input", "quantize", "dequantize", "output");

  /** Runs both graphs on one batch and accumulates. */
  public void add(Map<String, Tensor> inputs) {
    Map<Value, Tensor> f = new Interpreter(floatGraph).runAll(inputs);
    Map<Value, Tensor> q = new Interpreter(quantGraph).runAll(inputs);
    for (Map.Entry<String, double[]> e : acc.entrySet()) {
      Tensor a = f.get(floatValues.get(e.getKey()));
      Tensor b = q.get(quantValues.get(e.getKey()));
      if (a == null || b == null) continue;
      float[] x = real(a);
      float[] y = real(b);
      double[] s = e.getValue();
      for (int i = 0; i < Math.min(x.length, y.length); i++) {
        double d = (double) x[i] - y[i];
        s[0] += (double) x[i] * y[i];
        s[1] += (double) x[i] * x[i];
        s[2] += (double) y[i] * y[i];
        s[3] += d * d;
        s[4] = Math.max(s[4], Math.abs(d));
      }
      s[5] += x.length;
    }
  }

  /** The rows in graph order. */
  public List<Row> rows() {
    List<Row> r = new ArrayList<>();
    for (Map.Entry<String, Row> e : meta.entrySet()) {
      double[] s = acc.get(e.getKey());
      Row m = e.getValue();
      double cos = s[1] == 0 && s[2] == 0 ? 1 : s[0] / Math.sqrt(s[1] * s[2]);
      double sqnr = s[3] == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(s[1] / s[3]);
      r.add(new Row(m.name(), m.index(), m.op(), m.quantized(), cos, sqnr, s[4], (long) s[5], m.isOutput()));
    }
    return r;
  }

  /** The real values of a tensor: floats as they are, integers dequantized by their type. */
  public static float[] real(Tensor t) {
    if (t.isFloat()) return t.floats();
    ElementType et = t.elementType();
    int[] v = t.ints();
    float[] r = new float[v.length];
    if (et instanceof UniformQuantType u) {
      for (int i = 0; i < v.length; i++) r[i] = (float) (u.scale() * (v[i] - u.zeroPoint()));
    } else if (et instanceof UniformPerAxisType p) {
      int[] shape = t.shape();
      int inner = Tensor.strides(shape)[p.axis()];
      for (int i = 0; i < v.length; i++) {
        int c = (i / inner) % p.channels();
        r[i] = (float) (p.scale(c) * (v[i] - p.zeroPoint(c)));
      }
    } else {
      for (int i = 0; i < v.length; i++) r[i] = v[i];
    }
    return r;
  }

  /** Cosine similarity of two equally long vectors (1 when both are zero). */
  public static double cosine(float[] a, float[] b) {
    double d = 0, na = 0, nb = 0;
    for (int i = 0; i < a.length; i++) {
      d += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return na == 0 && nb == 0 ? 1 : d / Math.sqrt(na * nb);
  }
}
