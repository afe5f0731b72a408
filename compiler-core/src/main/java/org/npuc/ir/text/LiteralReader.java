package org.npuc.ir.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.CalibratedType;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;
import org.npuc.ir.type.UniformPerAxisType;
import org.npuc.ir.type.UniformQuantType;

/**
 * Turns the literal parts of the parse tree (numbers, strings, types, attribute values, tensors)
 * into IR values.
 */
final class LiteralReader {
  private final SourceText src;

  LiteralReader(SourceText src) {
    this.src = src;
  }

  // ---- scalars

  long parseLong(Token t) {
    try {
      return Long.parseLong(t.getText());
    } catch (NumberFormatException e) {
      throw src.error(t, "integer " + t.getText() + " is out of range (64-bit)");
    }
  }

  int parseInt(Token t, String what) {
    long v = parseLong(t);
    if (v != (int) v) throw src.error(t, what + " " + v + " is out of range (32-bit)");
    return (int) v;
  }

  double number(NpuirParser.NumberContext n) {
    return n.INT() != null
        ? parseLong(n.INT().getSymbol())
        : TextFormat.parseDouble(n.FLOAT().getText());
  }

  String string(Token t) {
    String s = TextFormat.unquote(t.getText());
    if (s == null) throw src.error(t, "bad escape in string; use \\\" \\\\ \\n \\r \\t or \\uXXXX");
    return s;
  }

  String string(TerminalNode n) {
    return string(n.getSymbol());
  }

  // ---- types

  TensorType tensorType(NpuirParser.TensorTypeContext ctx) {
    int[] shape = new int[0];
    if (ctx.SHAPE() != null) {
      String text = ctx.SHAPE().getText();
      String[] dims = text.substring(0, text.length() - 1).split("x");
      shape = new int[dims.length];
      for (int i = 0; i < dims.length; i++) {
        if (dims[i].equals("?")) {
          shape[i] = TensorType.UNKNOWN;
        } else {
          try {
            shape[i] = Integer.parseInt(dims[i]);
          } catch (NumberFormatException e) {
            throw src.error(ctx.SHAPE().getSymbol(), "dimension " + dims[i] + " is too large");
          }
        }
      }
    }
    return new TensorType(shape, elementType(ctx.elementType()));
  }

  private ElementType elementType(NpuirParser.ElementTypeContext ctx) {
    try {
      if (ctx instanceof NpuirParser.ScalarTypeContext s) {
        return scalar(s.BARE_ID().getSymbol(), false);
      }
      if (ctx instanceof NpuirParser.UniformTypeContext u) {
        ScalarType storage = scalar(u.storage().type, true);
        long[] range = storageRange(u.storage(), storage);
        return new UniformQuantType(
            storage,
            scalar(u.expressed, false),
            number(u.scale),
            parseLong(u.zeroPoint),
            range[0],
            range[1]);
      }
      if (ctx instanceof NpuirParser.PerAxisTypeContext p) {
        ScalarType storage = scalar(p.storage().type, true);
        long[] range = storageRange(p.storage(), storage);
        double[] scales = new double[p.scales.size()];
        for (int i = 0; i < scales.length; i++) scales[i] = number(p.scales.get(i));
        long[] zps = new long[p.zeroPoints.size()];
        for (int i = 0; i < zps.length; i++) zps[i] = parseLong(p.zeroPoints.get(i));
        return new UniformPerAxisType(
            storage,
            scalar(p.expressed, false),
            parseInt(p.axis, "axis"),
            scales,
            zps,
            range[0],
            range[1]);
      }
      NpuirParser.CalibratedTypeContext c = (NpuirParser.CalibratedTypeContext) ctx;
      return new CalibratedType(scalar(c.expressed, false), number(c.min), number(c.max));
    } catch (IllegalArgumentException e) {
      throw src.error(ctx.getStart(), "bad element type: " + e.getMessage());
    }
  }

  private long[] storageRange(NpuirParser.StorageContext s, ScalarType storage) {
    if (s.lo == null) return new long[] {storage.minValue(), storage.maxValue()};
    long lo = parseLong(s.lo);
    long hi = parseLong(s.hi);
    if (lo < storage.minValue() || hi > storage.maxValue()) {
      throw src.error(
          s.lo, "storage range <" + lo + ":" + hi + "> does not fit " + withRange(storage));
    }
    return new long[] {lo, hi};
  }

  /** {@code storage} with its value range, e.g. {@code i8 [-128, 127]}, for range errors. */
  private static String withRange(ScalarType storage) {
    return storage.toText() + " [" + storage.minValue() + ", " + storage.maxValue() + "]";
  }

  private ScalarType scalar(Token t, boolean integerStorage) {
    ScalarType s = ScalarType.fromText(t.getText());
    if (s == null) {
      StringBuilder names = new StringBuilder();
      for (ScalarType v : ScalarType.values())
        names.append(names.length() == 0 ? "" : ", ").append(v.toText());
      throw src.error(
          t,
          "unknown element type '"
              + t.getText()
              + "'; expected one of "
              + names
              + ", uniform<...>, uniform_per_axis<...>, calibrated<...>");
    }
    if (integerStorage && !s.isInteger())
      throw src.error(t, "quantized storage must be an integer type, got " + s.toText());
    return s;
  }

  // ---- attribute values

  /**
   * The value of one attribute. {@code implied} is the type a tensor literal takes when it has none
   * written (a constant's result type), else null; {@code what} names the value in messages.
   */
  Object attrValue(NpuirParser.AttrValueContext ctx, TensorType implied, String what) {
    if (ctx instanceof NpuirParser.IntAttrContext i) return parseLong(i.INT().getSymbol());
    if (ctx instanceof NpuirParser.FloatAttrContext f)
      return TextFormat.parseDouble(f.FLOAT().getText());
    if (ctx instanceof NpuirParser.BoolAttrContext b) return b.getText().equals("true");
    if (ctx instanceof NpuirParser.StringAttrContext s) return string(s.STRING());
    if (ctx instanceof NpuirParser.ArrayAttrContext a) return array(a);
    if (ctx instanceof NpuirParser.TypeAttrContext t) return tensorType(t.tensorType());
    NpuirParser.TensorAttrContext t = (NpuirParser.TensorAttrContext) ctx;
    TensorType type = t.tensorType() != null ? tensorType(t.tensorType()) : implied;
    if (type == null) {
      throw src.error(
          t.getStart(), "a tensor attribute needs its type: write dense<...> : tensor<...>");
    }
    return tensor(t.denseLiteral(), type, what);
  }

  private Object array(NpuirParser.ArrayAttrContext a) {
    List<NpuirParser.ScalarContext> elems = a.scalar();
    String kind = a.arrayKind() == null ? null : a.arrayKind().getText();
    if (kind == null) {
      if (elems.isEmpty()) {
        throw src.error(
            a.getStart(),
            "an empty array needs its kind: write [] : ints, [] : floats or [] : strings");
      }
      boolean strings = false;
      boolean floats = false;
      for (NpuirParser.ScalarContext e : elems) {
        strings |= e.STRING() != null;
        floats |= e.FLOAT() != null;
      }
      kind = strings ? "strings" : floats ? "floats" : "ints";
    }
    switch (kind) {
      case "ints" -> {
        long[] r = new long[elems.size()];
        for (int i = 0; i < r.length; i++) {
          NpuirParser.ScalarContext e = elems.get(i);
          if (e.INT() == null)
            throw src.error(
                e.getStart(), "expected an integer in this array of ints, got " + e.getText());
          r[i] = parseLong(e.INT().getSymbol());
        }
        return r;
      }
      case "floats" -> {
        double[] r = new double[elems.size()];
        for (int i = 0; i < r.length; i++) {
          NpuirParser.ScalarContext e = elems.get(i);
          if (e.STRING() != null)
            throw src.error(
                e.getStart(), "expected a number in this array of floats, got " + e.getText());
          r[i] =
              e.INT() != null
                  ? parseLong(e.INT().getSymbol())
                  : TextFormat.parseDouble(e.getText());
        }
        return r;
      }
      default -> {
        String[] r = new String[elems.size()];
        for (int i = 0; i < r.length; i++) {
          NpuirParser.ScalarContext e = elems.get(i);
          if (e.STRING() == null)
            throw src.error(
                e.getStart(), "expected a string in this array of strings, got " + e.getText());
          r[i] = string(e.STRING());
        }
        return r;
      }
    }
  }

  // ---- tensors

  Tensor tensor(NpuirParser.DenseLiteralContext ctx, TensorType type, String what) {
    if (ctx instanceof NpuirParser.DenseElidedContext e) {
      throw src.error(
          ctx.getStart(),
          what
              + " was printed elided (dense_elided<"
              + e.STRING().getText()
              + ">, "
              + type.toText()
              + ") and its values are not in the text",
          "IR printed to the screen leaves out large constants (by default those with more than "
              + IrPrinter.DEFAULT_ELIDE_THRESHOLD
              + " elements); to get IR that parses back, write it to a "
              + "file with -o FILE (or print it with --print-constants).");
    }
    if (!type.hasStaticShape())
      throw src.error(
          ctx.getStart(), "a tensor literal needs a static shape, got " + type.toText());
    long n = type.numElements();
    if (n > Integer.MAX_VALUE)
      throw src.error(ctx.getStart(), "tensor of " + n + " elements is too large");
    int count = (int) n;
    if (ctx instanceof NpuirParser.DenseBase64Context b)
      return base64(b.B64().getSymbol(), type, count);
    return inline(((NpuirParser.DenseInlineContext) ctx).denseElems(), type, count);
  }

  private Tensor base64(Token tok, TensorType type, int count) {
    String text = tok.getText();
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(text.substring(4, text.length() - 1));
    } catch (IllegalArgumentException e) {
      throw src.error(tok, "bad base64 data: " + e.getMessage());
    }
    ScalarType storage = type.elementType().storageType();
    try {
      Tensor t = TensorText.fromBytes(raw, type, count);
      if (t == null) {
        throw src.error(
            tok,
            "base64 data holds "
                + raw.length
                + " bytes; "
                + type.toText()
                + " needs "
                + (long) count * TensorText.byteWidth(storage)
                + " ("
                + count
                + " elements of "
                + TensorText.byteWidth(storage)
                + " bytes, little-endian)");
      }
      return t;
    } catch (ArithmeticException e) {
      throw src.error(
          tok,
          "element "
              + e.getMessage()
              + " does not fit 32 bits (i64 tensors are held as 32-bit ints)");
    }
  }

  private Tensor inline(NpuirParser.DenseElemsContext top, TensorType type, int count) {
    int[] shape = type.shape();
    List<TerminalNode> leaves = new ArrayList<>(Math.min(count, 1 << 16));
    boolean splat = top.denseElems().isEmpty() && top.getChildCount() == 1;
    if (splat) {
      leaves.add((TerminalNode) top.getChild(0));
    } else if (shape.length != 1 && isFlat(top) && top.denseElems().size() == count && count > 0) {
      for (NpuirParser.DenseElemsContext e : top.denseElems())
        leaves.add((TerminalNode) e.getChild(0));
    } else {
      collect(top, shape, 0, leaves);
    }
    if (splat && count == 0) leaves.clear();
    ScalarType storage = type.elementType().storageType();
    if (storage.isFloat()) {
      float[] f = new float[count];
      for (int i = 0; i < leaves.size(); i++) {
        TerminalNode leaf = leaves.get(i);
        f[i] =
            leaf.getSymbol().getType() == NpuirParser.INT
                ? (float) parseLong(leaf.getSymbol())
                : TextFormat.parseFloat(leaf.getText());
      }
      if (splat && count > 0) Arrays.fill(f, f[0]);
      return TensorText.tensor(shape, type, f, null);
    }
    int[] v = new int[count];
    for (int i = 0; i < leaves.size(); i++) {
      Token t = leaves.get(i).getSymbol();
      if (t.getType() != NpuirParser.INT)
        throw src.error(
            t, "expected an integer element for " + type.toText() + ", got " + t.getText());
      long x = parseLong(t);
      if (x < storage.minValue() || x > storage.maxValue()) {
        throw src.error(t, "element " + x + " is out of range for " + withRange(storage));
      }
      v[i] = (int) x;
    }
    if (splat && count > 0) Arrays.fill(v, v[0]);
    return TensorText.tensor(shape, type, null, v);
  }

  private static boolean isFlat(NpuirParser.DenseElemsContext list) {
    if (list.getChildCount() == 1) return false;
    for (NpuirParser.DenseElemsContext e : list.denseElems())
      if (!e.denseElems().isEmpty() || e.getChildCount() != 1) return false;
    return true;
  }

  /** Collects the leaves of a nested literal, checking its nesting against {@code shape}. */
  private void collect(
      NpuirParser.DenseElemsContext ctx, int[] shape, int dim, List<TerminalNode> out) {
    boolean isList = ctx.getChildCount() > 1;
    if (dim == shape.length) {
      if (isList)
        throw src.error(
            ctx.getStart(),
            "too many nesting levels for shape " + shapeText(shape) + "; expected a number here");
      out.add((TerminalNode) ctx.getChild(0));
      return;
    }
    if (!isList)
      throw src.error(
          ctx.getStart(),
          "expected a list of "
              + shape[dim]
              + " at nesting level "
              + (dim + 1)
              + " of shape "
              + shapeText(shape));
    List<NpuirParser.DenseElemsContext> elems = ctx.denseElems();
    if (elems.size() != shape[dim]) {
      throw src.error(
          ctx.getStart(),
          "expected "
              + shape[dim]
              + " elements at nesting level "
              + (dim + 1)
              + " of shape "
              + shapeText(shape)
              + ", got "
              + elems.size());
    }
    for (NpuirParser.DenseElemsContext e : elems) collect(e, shape, dim + 1, out);
  }

  private static String shapeText(int[] shape) {
    return Arrays.toString(shape);
  }
}
