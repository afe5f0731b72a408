package org.npuc.frontend.caffe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.npuc.frontend.caffe.proto.CaffeProto.LayerParameter;
import org.npuc.ir.Attributes;
import org.npuc.ir.Value;

/** Layers that move data without arithmetic: Concat, Flatten, Reshape, Split, Slice, Permute. */
final class ShapeLayers {
  private ShapeLayers() {}

  static List<Value> concat(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    var p = layer.getConcatParam();
    if (bottoms.isEmpty()) throw ctx.error("expected at least 1 bottom");
    int[] s = LayerContext.shape(bottoms.get(0));
    int axis = p.hasConcatDim() ? p.getConcatDim() : ctx.axis(p.getAxis(), s.length, "axis");
    if (axis >= s.length) throw ctx.error("concat_dim " + axis + " is out of range for " + s.length + " axes");
    int[] out = s.clone();
    out[axis] = 0;
    for (Value b : bottoms) {
      int[] t = LayerContext.shape(b);
      boolean ok = t.length == s.length;
      for (int i = 0; ok && i < t.length; i++) ok = i == axis || t[i] == s[i];
      if (!ok) throw ctx.error("bottoms differ outside axis " + axis + ": " + Arrays.toString(s) + " and " + Arrays.toString(t));
      out[axis] += t[axis];
    }
    if (bottoms.size() == 1) return List.of(ctx.op("identity", bottoms, null, s));
    return List.of(ctx.op("concat", bottoms, Attributes.of("axis", axis), out));
  }

  static List<Value> flatten(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    var p = layer.getFlattenParam();
    Value x = PoolingLayers.single(bottoms, ctx);
    int[] s = LayerContext.shape(x);
    int start = ctx.axis(p.getAxis(), s.length, "axis");
    int end = ctx.axis(p.getEndAxis(), s.length, "end_axis");
    if (end < start) throw ctx.error("end_axis " + p.getEndAxis() + " comes before axis " + p.getAxis());
    int[] out = new int[s.length - (end - start)];
    int k = 0;
    for (int i = 0; i < start; i++) out[k++] = s[i];
    out[k++] = ctx.toInt(LayerContext.count(s, start, end + 1), "flattened size");
    for (int i = end + 1; i < s.length; i++) out[k++] = s[i];
    return List.of(reshape(x, out, ctx));
  }

  /** Caffe's Reshape: 0 copies a dimension, one -1 is inferred, axis/num_axes choose the replaced span. */
  static List<Value> reshape(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    var p = layer.getReshapeParam();
    Value x = PoolingLayers.single(bottoms, ctx);
    int[] s = LayerContext.shape(x);
    int axis = p.getAxis();
    if (axis < -(s.length + 1) || axis > s.length) throw ctx.error("axis " + axis + " is out of range for " + s.length + " axes");
    int start = axis < 0 ? s.length + 1 + axis : axis;
    if (p.getNumAxes() < -1) throw ctx.error("num_axes must be -1 or more");
    int end = p.getNumAxes() == -1 ? s.length : start + p.getNumAxes();
    if (end > s.length) throw ctx.error("axis + num_axes exceeds the input's " + s.length + " axes");
    List<Long> dims = p.getShape().getDimList();
    int[] out = new int[start + dims.size() + (s.length - end)];
    for (int i = 0; i < start; i++) out[i] = s[i];
    int inferred = -1;
    for (int i = 0; i < dims.size(); i++) {
      long d = dims.get(i);
      if (d == 0) {
        if (start + i >= s.length) throw ctx.error("dim " + i + " is 0 (copy) but the input has no axis " + (start + i));
        out[start + i] = s[start + i];
      } else if (d == -1) {
        if (inferred >= 0) throw ctx.error("only one dim may be -1");
        inferred = start + i;
      } else if (d < -1 || d > Integer.MAX_VALUE) {
        throw ctx.error("bad dim " + d);
      } else {
        out[start + i] = (int) d;
      }
    }
    for (int i = end; i < s.length; i++) out[start + dims.size() + (i - end)] = s[i];
    long total = LayerContext.count(s, 0, s.length);
    if (inferred >= 0) {
      out[inferred] = 1;
      long known = LayerContext.count(out, 0, out.length);
      if (known == 0 || total % known != 0) throw ctx.error("cannot infer the -1 dim: " + total + " elements do not divide by " + known);
      out[inferred] = (int) (total / known);
    }
    if (LayerContext.count(out, 0, out.length) != total) {
      throw ctx.error("reshaping " + Arrays.toString(s) + " to " + Arrays.toString(out) + " changes the element count");
    }
    return List.of(reshape(x, out, ctx));
  }

  private static Value reshape(Value x, int[] out, LayerContext ctx) {
    return ctx.op("reshape", List.of(x), Attributes.of("shape", out), out);
  }

  /** Split copies its bottom to every top: the same SSA value serves them all. */
  static List<Value> split(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    Value x = PoolingLayers.single(bottoms, ctx);
    List<Value> r = new ArrayList<>();
    for (int i = 0; i < layer.getTopCount(); i++) r.add(x);
    return r;
  }

  static List<Value> slice(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    var p = layer.getSliceParam();
    Value x = PoolingLayers.single(bottoms, ctx);
    int[] s = LayerContext.shape(x);
    int axis = p.hasSliceDim() ? p.getSliceDim() : ctx.axis(p.getAxis(), s.length, "axis");
    if (axis >= s.length) throw ctx.error("slice_dim " + axis + " is out of range for " + s.length + " axes");
    int tops = layer.getTopCount();
    int[] sizes = new int[tops];
    if (p.getSlicePointCount() > 0) {
      if (p.getSlicePointCount() != tops - 1) throw ctx.error("give " + (tops - 1) + " slice_point values for " + tops + " tops, got " + p.getSlicePointCount());
      int prev = 0;
      for (int i = 0; i < tops; i++) {
        int pt = i < tops - 1 ? p.getSlicePoint(i) : s[axis];
        if (pt <= prev || pt > s[axis]) throw ctx.error("slice points must increase within (0, " + s[axis] + "), got " + p.getSlicePointList());
        sizes[i] = pt - prev;
        prev = pt;
      }
    } else {
      if (tops == 0 || s[axis] % tops != 0) throw ctx.error("axis " + axis + " of size " + s[axis] + " does not split evenly into " + tops + " tops");
      Arrays.fill(sizes, s[axis] / tops);
    }
    if (tops == 1) return List.of(ctx.op("identity", List.of(x), null, s));
    List<int[]> shapes = new ArrayList<>();
    for (int size : sizes) {
      int[] t = s.clone();
      t[axis] = size;
      shapes.add(t);
    }
    return ctx.ops("split", List.of(x), Attributes.of("axis", axis, "sizes", sizes), shapes);
  }

  /** Permute (SSD Caffe): the given order, then the remaining axes in increasing order. */
  static List<Value> permute(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    var p = layer.getPermuteParam();
    Value x = PoolingLayers.single(bottoms, ctx);
    int[] s = LayerContext.shape(x);
    boolean[] seen = new boolean[s.length];
    int[] perm = new int[s.length];
    int k = 0;
    for (int o : p.getOrderList()) {
      if (o < 0 || o >= s.length) throw ctx.error("order " + o + " is out of range for " + s.length + " axes");
      if (seen[o]) throw ctx.error("order repeats axis " + o);
      seen[o] = true;
      perm[k++] = o;
    }
    for (int i = 0; i < s.length; i++) if (!seen[i]) perm[k++] = i;
    int[] out = new int[s.length];
    for (int i = 0; i < s.length; i++) out[i] = s[perm[i]];
    return List.of(ctx.op("transpose", List.of(x), Attributes.of("perm", perm), out));
  }
}
