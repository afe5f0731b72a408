package org.npuc.ops;

import java.util.ArrayList;
import java.util.List;
import org.npuc.interp.ArrayPool;
import org.npuc.ir.Attributes;
import org.npuc.ir.OpDefinition;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;

/**
 * The one-operand elementwise float ops (relu, relu6, clip, leaky_relu, elu, sigmoid, tanh,
 * hard_swish, exp, log, sqrt, rsqrt, square, abs, neg) and {@code identity}, which passes any
 * element type through unchanged.
 */
final class UnaryOps extends BaseOp {
  private static final String[] NAMES = {
    "relu", "relu6", "clip", "leaky_relu", "elu", "sigmoid", "tanh", "hard_swish", "exp", "log", "sqrt", "rsqrt",
    "square", "abs", "neg", "identity"
  };
  private static final String[] SUMMARIES = {
    "max(x, 0)", "min(max(x, 0), 6)", "min(max(x, min), max)", "x >= 0 ? x : alpha*x", "x > 0 ? x : alpha*(exp(x)-1)",
    "1 / (1 + exp(-x))", "tanh(x)", "x * relu6(x + 3) / 6", "exp(x)", "natural logarithm", "square root",
    "1 / sqrt(x)", "x * x", "|x|", "-x", "x, any element type"
  };

  private final int kind;

  private UnaryOps(int kind) {
    super(NAMES[kind], SUMMARIES[kind]);
    this.kind = kind;
  }

  static List<OpDefinition> all() {
    List<OpDefinition> r = new ArrayList<>();
    for (int i = 0; i < NAMES.length; i++) r.add(new UnaryOps(i));
    return r;
  }

  /** identity returns its operand unchanged, so remove_nodes may bypass it. */
  @Override
  public boolean isPassThrough() {
    return kind == 15;
  }

  @Override
  protected void checkAttributes(Attributes attrs) {
    if (kind == 2) {
      double lo = attrs.getDouble("min", Double.NEGATIVE_INFINITY);
      double hi = attrs.getDouble("max", Double.POSITIVE_INFINITY);
      if (!(lo <= hi)) throw error("attributes 'min'/'max': expected min <= max, got " + lo + " > " + hi);
    }
    if (kind == 3) attrs.getDouble("alpha", 0.01);
    if (kind == 4) attrs.getDouble("alpha", 1.0);
  }

  @Override
  protected List<TensorType> infer(List<TensorType> operands, Attributes attrs) {
    checkCount(operands, 1, 1);
    TensorType x = operands.get(0);
    if (kind == 15) return List.of(x);
    return List.of(x.withElementType(floatElement("x", x)));
  }

  @Override
  protected Tensor[] compute(Attributes attrs, Tensor[] in, List<TensorType> results) {
    if (kind == 15) return new Tensor[] {in[0]};
    float[] x = in[0].floats();
    float[] o = ArrayPool.floats(x.length);
    int n = x.length;
    switch (kind) {
      case 0 -> {
        for (int i = 0; i < n; i++) o[i] = Math.max(x[i], 0f);
      }
      case 1 -> {
        for (int i = 0; i < n; i++) o[i] = Math.min(Math.max(x[i], 0f), 6f);
      }
      case 2 -> {
        float lo = (float) attrs.getDouble("min", Double.NEGATIVE_INFINITY);
        float hi = (float) attrs.getDouble("max", Double.POSITIVE_INFINITY);
        for (int i = 0; i < n; i++) o[i] = Math.min(Math.max(x[i], lo), hi);
      }
      case 3 -> {
        float alpha = (float) attrs.getDouble("alpha", 0.01);
        for (int i = 0; i < n; i++) o[i] = x[i] >= 0 ? x[i] : alpha * x[i];
      }
      case 4 -> {
        float alpha = (float) attrs.getDouble("alpha", 1.0);
        for (int i = 0; i < n; i++) o[i] = x[i] > 0 ? x[i] : alpha * (float) Math.expm1(x[i]);
      }
      case 5 -> {
        for (int i = 0; i < n; i++) o[i] = Activation.sigmoid(x[i]);
      }
      case 6 -> {
        for (int i = 0; i < n; i++) o[i] = (float) Math.tanh(x[i]);
      }
      case 7 -> {
        for (int i = 0; i < n; i++) o[i] = Activation.hardSwish(x[i]);
      }
      case 8 -> {
        for (int i = 0; i < n; i++) o[i] = (float) Math.exp(x[i]);
      }
      case 9 -> {
        for (int i = 0; i < n; i++) o[i] = (float) Math.log(x[i]);
      }
      case 10 -> {
        for (int i = 0; i < n; i++) o[i] = (float) Math.sqrt(x[i]);
      }
      case 11 -> {
        for (int i = 0; i < n; i++) o[i] = (float) (1.0 / Math.sqrt(x[i]));
      }
      case 12 -> {
        for (int i = 0; i < n; i++) o[i] = x[i] * x[i];
      }
      case 13 -> {
        for (int i = 0; i < n; i++) o[i] = Math.abs(x[i]);
      }
      case 14 -> {
        for (int i = 0; i < n; i++) o[i] = -x[i];
      }
      default -> throw new IllegalStateException(name());
    }
    return new Tensor[] {floatTensor(results.get(0), o)};
  }
}
