package org.npuc.frontend.caffe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.npuc.frontend.caffe.proto.CaffeProto.BatchNormParameter;
import org.npuc.frontend.caffe.proto.CaffeProto.LayerParameter;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;

/** BatchNorm, Scale and Bias: Caffe's split batch normalization and its affine companions. */
final class NormalizationLayers {
  private NormalizationLayers() {}

  static List<Value> batchNorm(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    BatchNormParameter p = layer.getBatchNormParam();
    Value x = PoolingLayers.single(bottoms, ctx);
    int[] s = LayerContext.shape(x);
    if (s.length < 2) throw ctx.error("expected an input with a channel axis (N,C,...), got shape " + Arrays.toString(s));
    int c = s[1];
    Tensor[] b = ctx.blobs(Weights.Kind.BATCH_NORM, new int[] {c}, new int[] {c}, new int[] {1});
    // Caffe stores running sums; the third blob is the moving-average normalizer (0 means "no data": use 0).
    float factor = b[2].floats()[0] == 0 ? 0 : 1 / b[2].floats()[0];
    float[] mean = new float[c];
    float[] var = new float[c];
    for (int i = 0; i < c; i++) {
      mean[i] = b[0].floats()[i] * factor;
      var[i] = b[1].floats()[i] * factor;
    }
    double eps = p.getEps();
    // Caffe's default is use_global_stats = (phase == TEST); a deploy net runs in TEST.
    boolean global = !p.hasUseGlobalStats() || p.getUseGlobalStats();
    if (!global) return List.of(batchStatistics(x, s, eps, ctx));
    float[] ones = new float[c];
    Arrays.fill(ones, 1f);
    List<Value> operands = List.of(
        x,
        ctx.constant(Tensor.ofFloats(new int[] {c}, ones)),
        ctx.constant(Tensor.ofFloats(new int[] {c}, new float[c])),
        ctx.constant(Tensor.ofFloats(new int[] {c}, mean)),
        ctx.constant(Tensor.ofFloats(new int[] {c}, var)));
    return List.of(ctx.op("batch_norm", operands, Attributes.of("epsilon", eps, "axis", 1), s));
  }

  /** use_global_stats: false normalizes with the statistics of the batch itself, over all axes but 1. */
  private static Value batchStatistics(Value x, int[] s, double eps, LayerContext ctx) {
    List<Integer> axes = new ArrayList<>();
    for (int i = 0; i < s.length; i++) if (i != 1) axes.add(i);
    int[] ax = axes.stream().mapToInt(Integer::intValue).toArray();
    int[] kept = s.clone();
    for (int a : ax) kept[a] = 1;
    Attributes reduce = Attributes.of("axes", ax, "keepdims", true);
    Value mean = ctx.op("reduce_mean", List.of(x), reduce, kept);
    Value d = ctx.op("sub", List.of(x, mean), null, s);
    Value var = ctx.op("reduce_mean", List.of(ctx.op("mul", List.of(d, d), null, s)), new Attributes(reduce), kept);
    Value inv = ctx.op("rsqrt", List.of(ctx.op("add", List.of(var, ctx.scalar((float) eps)), null, kept)), null, kept);
    return ctx.op("mul", List.of(d, inv), null, s);
  }

  static List<Value> scale(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    var p = layer.getScaleParam();
    return affine(layer, bottoms, ctx, p.getAxis(), p.getNumAxes(), true, p.getBiasTerm());
  }

  static List<Value> bias(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    var p = layer.getBiasParam();
    return affine(layer, bottoms, ctx, p.getAxis(), p.getNumAxes(), false, true);
  }

  /**
   * Scale (x·s [+ b]) or Bias (x + b). The factor comes from a second bottom or is a learned blob
   * covering {@code num_axes} axes of x from {@code axis} on (-1: all the rest; 0: a scalar).
   */
  private static List<Value> affine(LayerParameter layer, List<Value> bottoms, LayerContext ctx, int axisParam, int numAxes, boolean isScale, boolean withBias) {
    if (bottoms.isEmpty() || bottoms.size() > 2) throw ctx.error("expected 1 or 2 bottoms, got " + bottoms.size());
    Value x = bottoms.get(0);
    int[] s = LayerContext.shape(x);
    Value factor = null;
    int[] fShape;
    int axis;
    if (bottoms.size() == 2) {
      factor = bottoms.get(1);
      fShape = LayerContext.shape(factor);
      // A scalar second bottom may come with any axis; otherwise its shape must match x from axis on.
      axis = fShape.length == 0 ? 0 : ctx.axis(axisParam, s.length, "axis");
      if (axis + fShape.length > s.length || !Arrays.equals(fShape, Arrays.copyOfRange(s, axis, axis + fShape.length))) {
        throw ctx.error("the second bottom's shape " + Arrays.toString(fShape) + " must equal the first bottom's shape "
            + Arrays.toString(s) + " from axis " + axis);
      }
    } else {
      axis = ctx.axis(axisParam, s.length, "axis");
      if (numAxes < -1) throw ctx.error("num_axes must be -1 or more, got " + numAxes);
      int end = numAxes == -1 ? s.length : axis + numAxes;
      if (end > s.length) throw ctx.error("axis " + axis + " + num_axes " + numAxes + " exceeds the input's " + s.length + " axes");
      fShape = Arrays.copyOfRange(s, axis, end);
    }
    Tensor[] blobs;
    boolean learnedFactor = factor == null;
    if (isScale) {
      int n = (learnedFactor ? 1 : 0) + (withBias ? 1 : 0);
      int[][] shapes = new int[n][];
      for (int i = 0; i < n; i++) shapes[i] = fShape;
      blobs = n == 0 ? new Tensor[0] : ctx.blobs(Weights.Kind.SCALE, shapes);
    } else {
      blobs = learnedFactor ? ctx.blobs(Weights.Kind.BIAS, fShape) : new Tensor[0];
    }
    int next = 0;
    if (isScale && learnedFactor) factor = ctx.constant(blobs[next++]);
    Value bias = null;
    if (!isScale) bias = learnedFactor ? ctx.constant(blobs[next++]) : bottoms.get(1);
    else if (withBias) bias = ctx.constant(blobs[next++]);

    if (fShape.length == 1) {
      // The common per-channel case keeps its Caffe identity (scale / bias_add) for fusions downstream.
      if (isScale) {
        List<Value> ops = bias == null ? List.of(x, factor) : List.of(x, factor, bias);
        return List.of(ctx.op("scale", ops, Attributes.of("axis", axis), s));
      }
      return List.of(ctx.op("bias_add", List.of(x, bias), Attributes.of("axis", axis), s));
    }
    // Otherwise broadcast: give the factor trailing 1s so it lines up with x from `axis` on.
    int[] bShape = new int[Math.max(1, s.length - axis)];
    Arrays.fill(bShape, 1);
    System.arraycopy(fShape, 0, bShape, 0, fShape.length);
    Value y = x;
    if (isScale) y = ctx.op("mul", List.of(x, broadcastable(factor, bShape, ctx)), null, s);
    if (bias != null) y = ctx.op("add", List.of(y, broadcastable(bias, bShape, ctx)), null, s);
    return List.of(y);
  }

  private static Value broadcastable(Value v, int[] shape, LayerContext ctx) {
    if (Arrays.equals(LayerContext.shape(v), shape)) return v;
    Tensor c = v.constantValue();
    if (c != null) return ctx.constant(c.reshape(shape));
    return ctx.op("reshape", List.of(v), Attributes.of("shape", shape), shape);
  }
}
