package org.npuc.frontend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.npuc.frontend.tensorflow.GraphDefBuilder.in;
import static org.npuc.frontend.tensorflow.NhwcRef.assertClose;
import static org.npuc.frontend.tensorflow.NhwcRef.assertShape;
import static org.npuc.frontend.tensorflow.NhwcRef.random;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.frontend.tensorflow.proto.DataType;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;

/**
 * Shape and data-movement ops on an NHWC tensor the IR holds as NCHW ("r"), checked element by
 * element against index arithmetic on the NHWC input.
 */
class ShapeOpsTest {
  @TempDir Path dir;

  private static final int N = 2, H = 3, W = 4, C = 5;
  private static final int[] XS = {N, H, W, C};
  private static final float[] X = random(N * H * W * C, 21);

  private static float x(int n, int h, int w, int c) {
    return X[((n * H + h) * W + w) * C + c];
  }

  private GraphDefBuilder base() {
    float[] id = new float[C * C];
    for (int i = 0; i < C; i++) id[i * C + i] = 1;
    return new GraphDefBuilder()
        .placeholder("x", XS)
        .constF("id", new int[] {1, 1, C, C}, id)
        .op("r", "Conv2D", in("x", "id"), "strides", new int[] {1, 1, 1, 1}, "padding", "VALID");
  }

  private Tensor run(GraphDefBuilder b, String out) {
    return b.run(dir, Map.of("x", Tensor.ofFloats(XS, X)), out);
  }

  @Test
  void concatOnChannelsAndHeight() {
    GraphDefBuilder b =
        base()
            .scalarI("a3", 3)
            .scalarI("a1", -3)
            .op("cc", "ConcatV2", in("r", "x", "a3"), "N", 2)
            .op("ch", "ConcatV2", in("x", "r", "a1"), "N", 2);
    float[] cc = new float[2 * X.length], ch = new float[2 * X.length];
    for (int n = 0; n < N; n++)
      for (int h = 0; h < H; h++)
        for (int w = 0; w < W; w++)
          for (int c = 0; c < C; c++) {
            cc[((n * H + h) * W + w) * 2 * C + c] = x(n, h, w, c);
            cc[((n * H + h) * W + w) * 2 * C + C + c] = x(n, h, w, c);
            ch[((n * 2 * H + h) * W + w) * C + c] = x(n, h, w, c);
            ch[((n * 2 * H + H + h) * W + w) * C + c] = x(n, h, w, c);
          }
    Tensor t = run(b, "cc");
    assertShape(new int[] {N, H, W, 2 * C}, t);
    assertClose(cc, t, 0);
    assertClose(ch, run(b, "ch"), 0);
  }

  @Test
  void reshapeSqueezeExpandDimsTranspose() {
    GraphDefBuilder b =
        base()
            .vec("flat", N, -1)
            .vec("perm", 0, 3, 1, 2)
            .scalarI("d", 1)
            .vec("hw1", 0, 2)
            .vec("ax3", 3)
            .op("re", "Reshape", in("r", "flat"))
            .op("tr", "Transpose", in("r", "perm"))
            .op("ex", "ExpandDims", in("re", "d"))
            .op("sl", "Mean", in("r", "ax3"), "keep_dims", true)
            .op("sq", "Squeeze", in("sl"), "squeeze_dims", new int[] {3});
    Tensor re = run(b, "re");
    assertShape(new int[] {N, H * W * C}, re);
    assertClose(X, re, 0); // row-major NHWC order, as TensorFlow reshapes
    Tensor tr = run(b, "tr");
    assertShape(new int[] {N, C, H, W}, tr);
    assertClose(
        ConstFold.transpose(Tensor.ofFloats(XS, X), new int[] {0, 3, 1, 2}).floats(), tr, 0);
    assertShape(new int[] {N, 1, H * W * C}, run(b, "ex"));
    Tensor sq = run(b, "sq");
    assertShape(new int[] {N, H, W}, sq);
    float[] e = new float[N * H * W];
    for (int i = 0; i < e.length; i++) for (int c = 0; c < C; c++) e[i] += X[i * C + c] / C;
    assertClose(e, sq, 1e-5);
  }

  @Test
  void flattenThroughShapeStridedSlicePack() {
    // The Keras Flatten pattern: reshape(x, stack([shape(x)[0], -1])), folded at import time.
    GraphDefBuilder b =
        base()
            .vec("b0", 0)
            .vec("e1", 1)
            .vec("s1", 1)
            .scalarI("m1", -1)
            .op("shape", "Shape", in("r"), "out_type", DataType.DT_INT32)
            .op(
                "batch",
                "StridedSlice",
                in("shape", "b0", "e1", "s1"),
                "shrink_axis_mask",
                1,
                "Index",
                DataType.DT_INT32)
            .op("target", "Pack", in("batch", "m1"), "axis", 0, "N", 2)
            .op("flat", "Reshape", in("r", "target"));
    Tensor t = run(b, "flat");
    assertShape(new int[] {N, H * W * C}, t);
    assertClose(X, t, 0);
    Graph g = b.importGraph(dir, "flat");
    assertEquals(0, TfTesting.opCounts(g).getOrDefault("slice", 0), "shape arithmetic is folded");
  }

  @Test
  void flattenWithUnknownBatch() throws Exception {
    // Same pattern on an input of unknown batch: the batch stays -1, the -1 is resolved.
    GraphDefBuilder b =
        new GraphDefBuilder()
            .placeholder("x", -1, H, W, C)
            .vec("b0", 0)
            .vec("e1", 1)
            .vec("s1", 1)
            .scalarI("m1", -1)
            .vec("two", 2)
            .op("shape", "Shape", in("x"), "out_type", DataType.DT_INT32)
            .op("batch", "StridedSlice", in("shape", "b0", "e1", "s1"), "shrink_axis_mask", 1)
            .op("target", "Pack", in("batch", "m1"), "axis", 0, "N", 2)
            .op("flat", "Reshape", in("x", "target"))
            .op("bad", "Mul", in("shape", "two"));
    Graph g = b.importGraph(dir, "flat");
    assertEquals("tensor<?x60xf32>", g.outputs().get(0).operand(0).type().toText());
    Tensor t = b.run(dir, Map.of("x", Tensor.ofFloats(XS, X)), "flat");
    assertShape(new int[] {N, H * W * C}, t);
    assertClose(X, t, 0);
    org.npuc.diag.UserError e =
        org.junit.jupiter.api.Assertions.assertThrows(
            org.npuc.diag.UserError.class, () -> b.importGraph(dir, "bad"));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().contains("--input-shape"), e.getMessage());
  }

  @Test
  void stridedSliceOnDataWithMasks() {
    GraphDefBuilder b =
        base()
            .vec("b1", 0, 1, 0, 4)
            .vec("e1", 0, 3, -1, 0)
            .vec("s1", 1, 1, 2, -2)
            .vec("b2", 1, 2)
            .vec("e2", 2, 0)
            .vec("s2", 1, 1)
            .op(
                "a",
                "StridedSlice",
                in("r", "b1", "e1", "s1"),
                "begin_mask",
                1,
                "end_mask",
                1,
                "Index",
                DataType.DT_INT32)
            .op(
                "c",
                "StridedSlice",
                in("r", "b2", "e2", "s2"),
                "ellipsis_mask",
                0,
                "shrink_axis_mask",
                1,
                "end_mask",
                2,
                "new_axis_mask",
                0,
                "Index",
                DataType.DT_INT32);
    // a = r[:, 1:3, 0:-1:2, 4:0:-2]
    int[] ws = {0, 2}, cs = {4, 2};
    float[] ea = new float[N * 2 * 2 * 2];
    int k = 0;
    for (int n = 0; n < N; n++)
      for (int h = 1; h < 3; h++) for (int w : ws) for (int c : cs) ea[k++] = x(n, h, w, c);
    Tensor a = run(b, "a");
    assertShape(new int[] {N, 2, 2, 2}, a);
    assertClose(ea, a, 0);
    // c = r[1, 2:, ...] (shrink axis 0) → [H-2, W, C]
    float[] ec = new float[(H - 2) * W * C];
    k = 0;
    for (int h = 2; h < H; h++)
      for (int w = 0; w < W; w++) for (int c2 = 0; c2 < C; c2++) ec[k++] = x(1, h, w, c2);
    Tensor c = run(b, "c");
    assertShape(new int[] {H - 2, W, C}, c);
    assertClose(ec, c, 0);
  }

  @Test
  void padModes() {
    GraphDefBuilder b =
        base()
            .constI("p", new int[] {4, 2}, 0, 0, 1, 2, 2, 1, 0, 1)
            .constF("v", new int[0], 7f)
            .op("pc", "Pad", in("r", "p"))
            .op("pv", "PadV2", in("r", "p", "v"))
            .op("pr", "MirrorPad", in("r", "p"), "mode", "REFLECT")
            .op("ps", "MirrorPad", in("r", "p"), "mode", "SYMMETRIC");
    int[] os = {N, H + 3, W + 3, C + 1};
    String[] outs = {"pc", "pv", "pr", "ps"};
    for (String o : outs) {
      float[] e = new float[N * os[1] * os[2] * os[3]];
      int k = 0;
      for (int n = 0; n < N; n++)
        for (int h = 0; h < os[1]; h++)
          for (int w = 0; w < os[2]; w++)
            for (int c = 0; c < os[3]; c++) {
              int sh = h - 1, sw = w - 2, sc = c;
              boolean inside = sh >= 0 && sh < H && sw >= 0 && sw < W && sc < C;
              if (o.equals("pc") || o.equals("pv"))
                e[k++] = inside ? x(n, sh, sw, sc) : (o.equals("pv") ? 7f : 0f);
              else
                e[k++] =
                    x(
                        n,
                        mirror(sh, H, o.equals("pr")),
                        mirror(sw, W, o.equals("pr")),
                        mirror(sc, C, o.equals("pr")));
            }
      Tensor t = run(b, o);
      assertShape(os, t);
      assertClose(e, t, 0);
    }
  }

  private static int mirror(int i, int n, boolean reflect) {
    if (i < 0) return reflect ? -i : -i - 1;
    if (i >= n) return reflect ? 2 * n - 2 - i : 2 * n - 1 - i;
    return i;
  }

  @Test
  void resizeVariants() {
    Object[][] cases = {
      {"ResizeBilinear", false, false},
      {"ResizeBilinear", true, false},
      {"ResizeBilinear", false, true},
      {"ResizeNearestNeighbor", false, false},
      {"ResizeNearestNeighbor", true, false},
      {"ResizeNearestNeighbor", false, true}
    };
    for (Object[] cs : cases) {
      String op = (String) cs[0];
      boolean align = (Boolean) cs[1], half = (Boolean) cs[2];
      GraphDefBuilder b =
          base()
              .vec("size", 5, 7)
              .op("y", op, in("r", "size"), "align_corners", align, "half_pixel_centers", half);
      float[] e =
          op.equals("ResizeBilinear")
              ? NhwcRef.resizeBilinear(X, XS, 5, 7, align, half)
              : NhwcRef.resizeNearest(X, XS, 5, 7, align, half);
      Tensor t = run(b, "y");
      assertShape(new int[] {N, 5, 7, C}, t);
      assertClose(e, t, 1e-5);
    }
  }

  @Test
  void splitSplitVAndSlice() {
    GraphDefBuilder b =
        base()
            .scalarI("ax3", 3)
            .scalarI("ax1", 1)
            .vec("sz", 2, -1)
            .vec("begin", 1, 0, 1, 2)
            .vec("size", 1, -1, 2, 3)
            .op("sp", "Split", in("ax3", "r"), "num_split", 1)
            .op("sv", "SplitV", in("r", "sz", "ax1"), "num_split", 2)
            .op("sl", "Slice", in("r", "begin", "size"))
            .op("y0", "Identity", in("sv"))
            .op("y1", "Identity", in("sv:1"));
    float[] e0 = new float[N * 2 * W * C],
        e1 = new float[N * (H - 2) * W * C],
        es = new float[1 * H * 2 * 3];
    int k0 = 0, k1 = 0, ks = 0;
    for (int n = 0; n < N; n++)
      for (int h = 0; h < H; h++)
        for (int w = 0; w < W; w++)
          for (int c = 0; c < C; c++) {
            if (h < 2) e0[k0++] = x(n, h, w, c);
            else e1[k1++] = x(n, h, w, c);
            if (n == 1 && w >= 1 && w < 3 && c >= 2) es[ks++] = x(n, h, w, c);
          }
    Tensor y0 = run(b, "y0");
    assertShape(new int[] {N, 2, W, C}, y0);
    assertClose(e0, y0, 0);
    assertClose(e1, run(b, "y1"), 0);
    Tensor sl = run(b, "sl");
    assertShape(new int[] {1, H, 2, 3}, sl);
    assertClose(es, sl, 0);
    assertClose(X, run(b, "sp"), 0);
  }

  @Test
  void packOfDataAndConcatV1() {
    GraphDefBuilder b =
        base()
            .scalarI("a0", 0)
            .op("pk", "Pack", in("r", "x"), "axis", 1, "N", 2)
            .op("c1", "Concat", in("a0", "x", "r"), "N", 2);
    float[] pk = new float[2 * X.length];
    for (int n = 0; n < N; n++) {
      int per = H * W * C;
      System.arraycopy(X, n * per, pk, (2 * n) * per, per);
      System.arraycopy(X, n * per, pk, (2 * n + 1) * per, per);
    }
    Tensor t = run(b, "pk");
    assertShape(new int[] {N, 2, H, W, C}, t);
    assertClose(pk, t, 0);
    float[] c1 = new float[2 * X.length];
    System.arraycopy(X, 0, c1, 0, X.length);
    System.arraycopy(X, 0, c1, X.length, X.length);
    Tensor c = run(b, "c1");
    assertShape(new int[] {2 * N, H, W, C}, c);
    assertClose(c1, c, 0);
  }

  @Test
  void placeholderWithDefaultUsesTheDefaultUnlessNamedAsInput() throws Exception {
    GraphDefBuilder b =
        new GraphDefBuilder().placeholder("x", 2).constF("d", new int[] {2}, 10f, 20f);
    b.op("p", "PlaceholderWithDefault", in("d"), "dtype", DataType.DT_FLOAT);
    b.op("y", "Add", in("x", "p"));
    Tensor y = b.run(dir, Map.of("x", Tensor.ofFloats(new int[] {2}, new float[] {1, 2})), "y");
    assertClose(new float[] {11, 22}, y, 0);
    Path f = java.nio.file.Files.createTempFile(dir, "pwd", ".pb");
    java.nio.file.Files.write(f, b.build().toByteArray());
    org.npuc.spi.ImportOptions o = new org.npuc.spi.ImportOptions(f);
    o.inputs().add("x");
    o.inputs().add("p");
    o.inputShapes().put("p", new int[] {2});
    Graph g = TfTesting.load(o);
    assertEquals(2, g.inputs().size());
  }

  @Test
  void fillCastAndIdentities() {
    GraphDefBuilder b =
        base()
            .vec("dims", 1, 1, 1, C)
            .constF("val", new int[0], 2.5f)
            .op("f", "Fill", in("dims", "val"))
            .op("cast", "Cast", in("f"), "SrcT", DataType.DT_FLOAT, "DstT", DataType.DT_FLOAT)
            .op("sg", "StopGradient", in("r"))
            .op("cn", "CheckNumerics", in("sg"), "message", "x")
            .op("idn", "IdentityN", in("cn", "cast"))
            .op("noop", "NoOp", in("^cn"))
            .op("y", "Mul", in("idn:0", "idn:1"));
    float[] e = new float[X.length];
    for (int i = 0; i < X.length; i++) e[i] = X[i] * 2.5f;
    assertClose(e, run(b, "y"), 1e-6);
  }
}
