package org.npuc.frontend.tflite;

import java.util.ArrayList;
import java.util.List;
import org.npuc.ir.Attributes;
import org.npuc.ir.Location;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.TensorType;

/**
 * One TFLite operator to core ops (docs/ops.md), in NCHW: CONV_2D and DEPTHWISE_CONV_2D become
 * {@code conv2d} with OHWI weights moved to OIHW (depthwise [1,H,W,C·M] to [C·M,1,H,W], group C);
 * FULLY_CONNECTED becomes {@code matmul} with transpose_b on the rows of the input flattened in
 * NHWC order; axes of MEAN, SOFTMAX, CONCATENATION, PAD and SQUEEZE follow the layout; RESHAPE of
 * an NCHW tensor goes back to NHWC first unless the element order is the same in both.
 */
final class TfliteOps {
  private final TfliteImporter im;
  private final TfliteModel m;

  TfliteOps(TfliteImporter im) {
    this.im = im;
    this.m = im.model;
  }

  void convert(TfliteModel.Operator op) {
    int code = m.opcode(op).builtin();
    if (op.outputs().length < 1) throw im.error(op, "has no output");
    int want = TfliteOpSupport.expectedOptions(code);
    if (op.options() != null && want != 0 && op.optionsType() != want) {
      throw im.error(op, "its options are of union type " + op.optionsType() + ", expected " + want + " (corrupt file?)");
    }
    try {
      dispatch(op, code);
    } catch (org.npuc.diag.UserError e) {
      throw e;
    } catch (CorruptModelException e) {
      throw im.error(op, "corrupt options: " + e.getMessage());
    } catch (RuntimeException e) {
      // Shapes or attributes the core ops reject: the file is inconsistent (or npuc has a bug).
      throw im.error(op, "cannot be imported: " + e.getMessage() + " (inconsistent shapes or options in the file?)");
    }
  }

  private void dispatch(TfliteModel.Operator op, int code) {
    switch (code) {
      case BuiltinOps.CONV_2D -> conv(op, false);
      case BuiltinOps.DEPTHWISE_CONV_2D -> conv(op, true);
      case BuiltinOps.FULLY_CONNECTED -> fullyConnected(op);
      case BuiltinOps.ADD -> binary(op, "add");
      case BuiltinOps.SUB -> binary(op, "sub");
      case BuiltinOps.MUL -> binary(op, "mul");
      case BuiltinOps.AVERAGE_POOL_2D -> pool(op, "avg_pool");
      case BuiltinOps.MAX_POOL_2D -> pool(op, "max_pool");
      case BuiltinOps.MEAN -> mean(op);
      case BuiltinOps.RESHAPE, BuiltinOps.SQUEEZE -> reshape(op);
      case BuiltinOps.SOFTMAX -> softmax(op);
      case BuiltinOps.LOGISTIC -> unary(op, "sigmoid", Attributes.of());
      case BuiltinOps.TANH -> unary(op, "tanh", Attributes.of());
      case BuiltinOps.RELU -> unary(op, "relu", Attributes.of());
      case BuiltinOps.RELU6 -> unary(op, "relu6", Attributes.of());
      case BuiltinOps.RELU_N1_TO_1 -> unary(op, "clip", Attributes.of("min", -1.0, "max", 1.0));
      case BuiltinOps.HARD_SWISH -> unary(op, "hard_swish", Attributes.of());
      case BuiltinOps.QUANTIZE -> unary(op, "quantize", Attributes.of());
      case BuiltinOps.DEQUANTIZE -> dequantize(op);
      case BuiltinOps.CONCATENATION -> concat(op);
      case BuiltinOps.PAD -> pad(op);
      case BuiltinOps.RESIZE_BILINEAR -> resize(op);
      default -> throw im.error(op, "is not supported");
    }
  }

  private Location loc(TfliteModel.Operator op) {
    return Location.of(m.tensors.get(op.outputs()[0]).name(), im.file);
  }

  private int in(TfliteModel.Operator op, int i) {
    if (i >= op.inputs().length || op.inputs()[i] < 0) throw im.error(op, "input " + i + " is missing");
    return op.inputs()[i];
  }

  private boolean hasInput(TfliteModel.Operator op, int i) {
    return i < op.inputs().length && op.inputs()[i] >= 0;
  }

  /** Emits {@code name} producing output 0 of {@code op}, in NCHW when {@code nchw} and rank 4. */
  private Value emit(TfliteModel.Operator op, String name, List<Value> operands, Attributes attrs, boolean nchw) {
    int out = op.outputs()[0];
    TensorType t = im.type(out, nchw);
    Value v = im.b.createTyped(name, operands, attrs, List.of(t), loc(op)).result();
    im.define(out, v, nchw && t.rank() == 4);
    return v;
  }

  /** Applies a fused activation to a result whose op has no {@code act} attribute. */
  private void activation(TfliteModel.Operator op, int code, boolean nchw) {
    if (code == 0) return;
    int out = op.outputs()[0];
    Value v = im.value(out);
    String name = TfliteOpSupport.act(code, im, op, new Attributes());
    Attributes a = name.equals("clip") ? Attributes.of("min", -1.0, "max", 1.0) : new Attributes();
    Value r = im.b.createTyped(name, List.of(v), a, List.of(v.type()), loc(op)).result();
    im.define(out, r, nchw && v.type().rank() == 4);
  }

  private void conv(TfliteModel.Operator op, boolean depthwise) {
    FlatTable o = op.options();
    if (o == null) throw im.error(op, "has no options");
    boolean same = o.getByte(0, 0) == 0;
    int sw = o.getInt(1, 1), sh = o.getInt(2, 1);
    int actCode = o.getByte(depthwise ? 4 : 3, 0);
    int dw = o.getInt(depthwise ? 5 : 4, 1), dh = o.getInt(depthwise ? 6 : 5, 1);
    Value x = im.nchw(in(op, 0));
    int wIdx = in(op, 1);
    TfliteModel.Tensor wt = m.tensors.get(wIdx);
    if (wt.shape().length != 4) throw im.error(op, "expected 4-D weights, got " + java.util.Arrays.toString(wt.shape()));
    int[] perm = depthwise ? new int[] {3, 0, 1, 2} : new int[] {0, 3, 1, 2};
    Value w;
    if (im.isConstant(wIdx)) {
      w = im.b.constant(im.constant(wt, perm), Location.of(wt.name(), im.file));
    } else {
      w = im.transpose(im.value(wIdx), perm, loc(op));
    }
    int c = x.type().dim(1), h = x.type().dim(2), wd = x.type().dim(3);
    int kh = wt.shape()[1], kw = wt.shape()[2];
    int group;
    if (depthwise) {
      group = c;
      int mult = o.getInt(3, 1);
      if (wt.shape()[3] != c * mult && wt.shape()[3] % c != 0) {
        throw im.error(op, "depthwise weights have " + wt.shape()[3] + " channels for " + c + " input channels");
      }
    } else {
      int ic = wt.shape()[3];
      if (c % ic != 0) throw im.error(op, "input has " + c + " channels, weights expect a multiple of " + ic);
      group = c / ic;
    }
    int[] ph = TfliteOpSupport.samePads(h, kh, sh, dh, same);
    int[] pw = TfliteOpSupport.samePads(wd, kw, sw, dw, same);
    Attributes a = Attributes.of("strides", new int[] {sh, sw}, "dilations", new int[] {dh, dw}, "pads", new int[] {ph[0], pw[0], ph[1], pw[1]}, "group", group);
    a.set("act", TfliteOpSupport.act(actCode, im, op, a));
    List<Value> operands = new ArrayList<>(List.of(x, w));
    if (hasInput(op, 2)) operands.add(im.value(in(op, 2)));
    if (x.type().elementType().isQuantized() != w.type().elementType().isQuantized()) {
      throw im.error(op, "hybrid quantization (float activations with integer weights) is not supported; convert the model with full integer quantization or as float");
    }
    emit(op, "conv2d", operands, a, true);
  }

  private void fullyConnected(TfliteModel.Operator op) {
    FlatTable o = op.options();
    int actCode = o == null ? 0 : o.getByte(0, 0);
    if (o != null && o.getByte(1, 0) != 0) throw im.error(op, "shuffled weights format is not supported");
    boolean keepNumDims = o != null && o.getBool(2, false);
    int xIdx = in(op, 0);
    Value x = im.nhwc(xIdx);
    int wIdx = in(op, 1);
    TfliteModel.Tensor wt = m.tensors.get(wIdx);
    if (wt.shape().length != 2) throw im.error(op, "expected 2-D weights, got " + java.util.Arrays.toString(wt.shape()));
    int k = wt.shape()[1];
    long total = x.type().numElements();
    if (total % k != 0) throw im.error(op, "input of " + total + " elements is not a multiple of the weights' " + k + " columns");
    Location loc = loc(op);
    if (x.type().rank() != 2 || x.type().dim(1) != k) {
      int[] shape = {(int) (total / k), k};
      x = im.b.createTyped("reshape", List.of(x), Attributes.of("shape", shape), List.of(x.type().withShape(shape)), loc).result();
    }
    Value w = im.value(wIdx);
    Attributes a = Attributes.of("transpose_b", true);
    a.set("act", TfliteOpSupport.act(actCode, im, op, a));
    List<Value> operands = new ArrayList<>(List.of(x, w));
    if (hasInput(op, 2)) operands.add(im.value(in(op, 2)));
    int out = op.outputs()[0];
    TensorType ot = im.type(out, false);
    int rows = x.type().dim(0);
    TensorType mt = ot.withShape(rows, wt.shape()[0]);
    Value r = im.b.createTyped("matmul", operands, a, List.of(mt), loc).result();
    if (!java.util.Arrays.equals(ot.shape(), mt.shape())) {
      // keep_num_dims (or a batch the file spells differently): the file's output shape, row-major.
      r = im.b.createTyped("reshape", List.of(r), Attributes.of("shape", ot.shape()), List.of(ot), loc).result();
    } else if (keepNumDims && ot.rank() != 2) {
      r = im.b.createTyped("reshape", List.of(r), Attributes.of("shape", ot.shape()), List.of(ot), loc).result();
    }
    im.define(out, r, false);
  }

  /** Brings operand {@code idx} to the layout of a 4-D NCHW result (lower ranks broadcast as NHWC). */
  private Value broadcastOperand(int idx, Location loc) {
    Value v = im.value(idx);
    int r = v.type().rank();
    if (r == 4) return im.nchw(idx);
    int[] s = v.type().shape();
    int[] s4 = new int[4];
    java.util.Arrays.fill(s4, 1);
    System.arraycopy(s, 0, s4, 4 - r, r);
    if (v.isConstant()) {
      Tensor t = v.constantValue().reshape(s4);
      Tensor p = TfliteImporter.permuteData(t, TfliteImporter.TO_NCHW, t.elementType());
      return im.b.constant(p, v.definingOp().location());
    }
    Value rs = im.b.createTyped("reshape", List.of(v), Attributes.of("shape", s4), List.of(v.type().withShape(s4)), loc).result();
    return im.transpose(rs, TfliteImporter.TO_NCHW, loc);
  }

  private void binary(TfliteModel.Operator op, String name) {
    int out = op.outputs()[0];
    boolean four = m.tensors.get(out).shape().length == 4;
    Location loc = loc(op);
    Value a = four ? broadcastOperand(in(op, 0), loc) : im.value(in(op, 0));
    Value b = four ? broadcastOperand(in(op, 1), loc) : im.value(in(op, 1));
    FlatTable o = op.options();
    Attributes attrs = new Attributes();
    attrs.set("act", TfliteOpSupport.act(o == null ? 0 : o.getByte(0, 0), im, op, attrs));
    emit(op, name, List.of(a, b), attrs, four);
  }

  private void pool(TfliteModel.Operator op, String name) {
    FlatTable o = op.options();
    if (o == null) throw im.error(op, "has no options");
    boolean same = o.getByte(0, 0) == 0;
    int sw = o.getInt(1, 1), sh = o.getInt(2, 1), fw = o.getInt(3, 1), fh = o.getInt(4, 1);
    Value x = im.nchw(in(op, 0));
    int[] ph = TfliteOpSupport.samePads(x.type().dim(2), fh, sh, 1, same);
    int[] pw = TfliteOpSupport.samePads(x.type().dim(3), fw, sw, 1, same);
    Attributes a = Attributes.of("kernel", new int[] {fh, fw}, "strides", new int[] {sh, sw}, "pads", new int[] {ph[0], pw[0], ph[1], pw[1]});
    emit(op, name, List.of(x), a, true);
    activation(op, o.getByte(5, 0), true);
  }

  private void mean(TfliteModel.Operator op) {
    int xIdx = in(op, 0);
    int[] axes = im.constantInts(in(op, 1), op, "the reduction axes");
    boolean keep = op.options() != null && op.options().getBool(0, false);
    Value x = im.value(xIdx);
    int rank = x.type().rank();
    if (rank == 4) {
      int[] na = TfliteOpSupport.nchwAxes(axes, !keep);
      if (na != null) {
        emit(op, "reduce_mean", List.of(im.nchw(xIdx)), Attributes.of("axes", na, "keepdims", keep), keep);
        return;
      }
    }
    emit(op, "reduce_mean", List.of(im.nhwc(xIdx)), Attributes.of("axes", axes, "keepdims", keep), false);
  }

  private void reshape(TfliteModel.Operator op) {
    int xIdx = in(op, 0);
    Value x = im.value(xIdx);
    int out = op.outputs()[0];
    int[] target = m.tensors.get(out).shape();
    Value src = x;
    if (im.isNchw(xIdx)) {
      int[] s = x.type().shape(); // NCHW
      boolean sameOrder = s[1] == 1 || (s[2] == 1 && s[3] == 1);
      if (!sameOrder) src = im.nhwc(xIdx);
    }
    emit(op, "reshape", List.of(src), Attributes.of("shape", target), false);
  }

  private void softmax(TfliteModel.Operator op) {
    int xIdx = in(op, 0);
    float beta = op.options() == null ? 0f : op.options().getFloat(0, 0f); // schema.fbs default
    boolean four = im.isNchw(xIdx);
    Value x = im.value(xIdx);
    Attributes a = Attributes.of("axis", four ? 1 : -1);
    if (beta != 1f) a.set("beta", (double) beta);
    emit(op, "softmax", List.of(x), a, four);
  }

  private void unary(TfliteModel.Operator op, String name, Attributes a) {
    int xIdx = in(op, 0);
    boolean four = im.isNchw(xIdx);
    emit(op, name, List.of(im.value(xIdx)), a, four);
  }

  private void dequantize(TfliteModel.Operator op) {
    int xIdx = in(op, 0);
    TfliteModel.Tensor t = m.tensors.get(xIdx);
    if (t.type() == TfliteModel.FLOAT16 && im.isConstant(xIdx)) {
      // float16 weights: the dequantized constant is the data itself, widened to f32.
      im.define(op.outputs()[0], im.b.constant(im.constant(t, null), loc(op)), false);
      return;
    }
    unary(op, "dequantize", Attributes.of());
  }

  private void concat(TfliteModel.Operator op) {
    FlatTable o = op.options();
    int axis = o == null ? 0 : o.getInt(0, 0);
    int out = op.outputs()[0];
    int rank = m.tensors.get(out).shape().length;
    if (axis < 0) axis += rank;
    boolean four = rank == 4;
    List<Value> ins = new ArrayList<>();
    for (int idx : op.inputs()) ins.add(four ? im.nchw(idx) : im.value(idx));
    emit(op, "concat", ins, Attributes.of("axis", four ? TfliteOpSupport.NHWC_TO_NCHW_AXIS[axis] : axis), four);
    activation(op, o == null ? 0 : o.getByte(1, 0), four);
  }

  private void pad(TfliteModel.Operator op) {
    int xIdx = in(op, 0);
    int[] p = im.constantInts(in(op, 1), op, "the paddings");
    Value x = im.value(xIdx);
    int r = x.type().rank();
    if (p.length != 2 * r) throw im.error(op, "expected paddings of shape [" + r + ", 2], got " + p.length + " values");
    boolean four = im.isNchw(xIdx);
    int[] pads = new int[2 * r];
    for (int d = 0; d < r; d++) {
      int src = four ? TfliteImporter.TO_NCHW[d] : d; // NCHW axis d is NHWC axis TO_NCHW[d]
      pads[d] = p[2 * src];
      pads[d + r] = p[2 * src + 1];
    }
    emit(op, "pad", List.of(x), Attributes.of("pads", pads, "mode", "constant", "value", 0.0), four);
  }

  private void resize(TfliteModel.Operator op) {
    int[] size = im.constantInts(in(op, 1), op, "the output size");
    FlatTable o = op.options();
    boolean align = o != null && o.getBool(2, false);
    boolean half = o != null && o.getBool(3, false);
    Value x = im.nchw(in(op, 0));
    Attributes a = Attributes.of("sizes", size, "mode", "bilinear", "coordinate", align ? "align_corners" : half ? "half_pixel" : "asymmetric");
    emit(op, "resize", List.of(x), a, true);
  }
}
