package org.npuc.transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.npuc.ir.Attributes;
import org.npuc.ir.Graph;
import org.npuc.ir.Location;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.TensorType;
import org.npuc.pass.Pass;
import org.npuc.pass.PassContext;
import org.npuc.pass.Statistic;

/**
 * Cleans up the layout changes frontends leave around an NCHW graph: drops identity transposes,
 * merges consecutive transposes (and cancels inverse pairs), folds transposes of constants,
 * turns transposes that only move size-1 dims into reshapes, merges consecutive reshapes, sinks a
 * transpose through elementwise ops (re-laying out their constant operands) when that lets it
 * meet and cancel another, moves a transpose before the pad it reads (so the pad can reach the conv
 * after it), and absorbs {@code transpose → reshape → matmul} of a flattened feature
 * map (a TF model flattening NHWC) into a row permutation of the matmul's constant weights.
 */
public final class FoldTransposesPass extends Pass {
  private static final Set<String> UNARY = Set.of(
      "relu", "relu6", "clip", "leaky_relu", "elu", "sigmoid", "tanh", "hard_swish", "exp", "log", "sqrt", "rsqrt",
      "square", "abs", "neg", "identity", "cast", "fake_quant");
  private static final Set<String> BINARY = Set.of("add", "sub", "mul", "div", "max", "min", "pow");

  private final Statistic cancelled = statistic("cancelled", "transposes removed (identity, or cancelled by their inverse)");
  private final Statistic merged = statistic("merged", "pairs of transposes or reshapes merged into one");
  private final Statistic folded = statistic("folded", "transposes of constants folded");
  private final Statistic reshapes = statistic("to_reshape", "transposes that only move size-1 dims turned into reshapes");
  private final Statistic sunk = statistic("sunk", "transposes moved through elementwise ops to meet their inverse");
  private final Statistic swapped = statistic("swapped_with_pad", "transposes moved before the pad they read");
  private final Statistic intoWeights = statistic("into_weights", "transpose-reshape-matmul chains folded into permuted weights");

  public FoldTransposesPass() {
    super("fold_transposes", "cancel, merge and fold transposes and reshapes; absorb a flattening transpose into the next matmul's weights");
  }

  @Override
  public boolean run(Graph graph, PassContext context) {
    if (!graph.containsAny("transpose", "reshape", "flatten")) return false; // only these start a fold
    boolean any = false;
    for (int round = 0; round < 8; round++) {
      boolean changed = false;
      ConstantValues known = new ConstantValues(context);
      for (Operation op : graph.ops()) {
        if (op.graph() != graph) continue;
        if (op.is("transpose")) changed |= transpose(graph, op, known);
        else if (op.is("reshape") || op.is("flatten")) changed |= reshape(graph, op);
      }
      any |= changed;
      if (!changed) break;
    }
    return any;
  }

  private boolean transpose(Graph graph, Operation t, ConstantValues known) {
    int[] perm = t.attributes().getInts("perm");
    Value x = t.operand(0);
    if (!Permutations.isValid(perm)) return false;
    if (Permutations.isIdentity(perm)) {
      graph.replace(t, List.of(x));
      cancelled.increment();
      return true;
    }
    if (x.isConstant()) {
      Tensor v = Permutations.transpose(x.constantValue(), perm);
      replaceByConstant(graph, t, v);
      folded.increment();
      return true;
    }
    Operation d = x.definingOp();
    if (d.is("transpose")) {
      int[] both = Permutations.compose(d.attributes().getInts("perm"), perm);
      Value src = d.operand(0);
      if (Permutations.isIdentity(both)) {
        graph.replace(t, List.of(src));
        cancelled.add(2);
      } else {
        Operation n = graph.insertBefore(t, "transpose", List.of(src), Attributes.of("perm", both), List.of(t.result().type()), Location.fused(d.location(), t.location()));
        n.result().setName(t.result().name());
        graph.replace(t, List.of(n.result()));
        merged.increment();
      }
      Cleanup.eraseDead(graph, List.of(d));
      return true;
    }
    if (d.is("pad") && x.numUses() == 1) {
      // transpose(pad(x)) = pad(transpose(x)) with the pads permuted, so the pad can meet the conv after.
      int[] p = d.attributes().getInts("pads");
      int r = perm.length;
      int[] np = new int[2 * r];
      for (int i = 0; i < r; i++) {
        np[i] = p[perm[i]];
        np[i + r] = p[perm[i] + r];
      }
      Value src = d.operand(0);
      TensorType tt = new TensorType(Permutations.permute(src.type().shape(), perm), src.type().elementType());
      Operation nt = graph.insertBefore(t, "transpose", List.of(src), Attributes.of("perm", perm), List.of(tt), t.location());
      Attributes pa = new Attributes(d.attributes()).set("pads", np);
      Operation npad = graph.insertBefore(t, "pad", List.of(nt.result()), pa, List.of(t.result().type()), d.location());
      npad.result().setName(d.result().name());
      graph.replace(t, List.of(npad.result()));
      graph.erase(d);
      swapped.increment();
      return true;
    }
    int[] in = x.type().shape();
    if (t.result().type().hasStaticShape() && Permutations.isReshape(in, perm)) {
      Operation n = graph.insertBefore(t, "reshape", List.of(x), Attributes.of("shape", t.result().type().shape()), List.of(t.result().type()), t.location());
      n.result().setName(t.result().name());
      graph.replace(t, List.of(n.result()));
      reshapes.increment();
      return true;
    }
    return sink(graph, t, perm, known) || intoMatmul(graph, t, perm, known);
  }

  private boolean reshape(Graph graph, Operation r) {
    Value x = r.operand(0);
    TensorType out = r.result().type();
    if (out.hasStaticShape() && x.type().hasStaticShape() && ChannelAffine.sameShape(out, x.type()) && out.elementType().equals(x.type().elementType())) {
      graph.replace(r, List.of(x));
      cancelled.increment();
      return true;
    }
    Operation d = x.definingOp();
    if ((d.is("reshape") || d.is("flatten")) && out.hasStaticShape()) {
      Value src = d.operand(0);
      Operation n = graph.insertBefore(r, "reshape", List.of(src), Attributes.of("shape", out.shape()), List.of(out), Location.fused(d.location(), r.location()));
      n.result().setName(r.result().name());
      graph.replace(r, List.of(n.result()));
      Cleanup.eraseDead(graph, List.of(d));
      merged.increment();
      return true;
    }
    return false;
  }

  /** t → single-reader elementwise chain → transpose: rebuild the chain on t's input. */
  private boolean sink(Graph graph, Operation t, int[] perm, ConstantValues known) {
    List<Operation> chain = new ArrayList<>();
    Value cur = t.result();
    Operation end = null;
    while (cur.numUses() == 1) {
      Operation u = cur.uses().get(0).user();
      if (u.is("transpose")) {
        end = u;
        break;
      }
      if (!elementwise(u, cur, known)) return false;
      chain.add(u);
      cur = u.result();
    }
    if (end == null || chain.isEmpty()) return false;
    int[] inv = Permutations.inverse(perm);
    Value x = t.operand(0);
    for (Operation u : chain) {
      List<Value> ops = new ArrayList<>();
      for (Value v : u.operands()) {
        if (v == t.result() || (!chain.isEmpty() && chain.indexOf(v.definingOp()) >= 0)) {
          ops.add(x);
        } else {
          Tensor c = known.of(v);
          Tensor laid = Permutations.transpose(c.reshape(expand(c.shape(), perm.length)), inv);
          ops.add(graph.insertBefore(end, "constant", List.of(), Attributes.of("value", laid), List.of(laid.type()), v.definingOp().location()).result());
        }
      }
      Attributes a = new Attributes(u.attributes());
      if (u.is("fake_quant") && a.has("axis")) a.set("axis", perm[ChannelAffine.normAxis(a.getLong("axis", 0), perm.length)]);
      TensorType rt = x.type().withElementType(u.result().type().elementType());
      Operation n = graph.insertBefore(end, u.name(), ops, a, List.of(rt), u.location());
      n.result().setName(u.result().name());
      x = n.result();
    }
    int[] both = Permutations.compose(perm, end.attributes().getInts("perm"));
    if (Permutations.isIdentity(both)) {
      graph.replace(end, List.of(x));
      cancelled.add(2);
    } else {
      Operation n = graph.insertBefore(end, "transpose", List.of(x), Attributes.of("perm", both), List.of(end.result().type()), Location.fused(t.location(), end.location()));
      graph.replace(end, List.of(n.result()));
      merged.increment();
    }
    Cleanup.eraseDead(graph, List.of(chain.get(chain.size() - 1)));
    sunk.increment();
    return true;
  }

  /** True when u maps {@code in} elementwise (other operands constant, same shape out). */
  private static boolean elementwise(Operation u, Value in, ConstantValues known) {
    if (u.numResults() != 1 || !ChannelAffine.sameShape(u.result().type(), in.type())) return false;
    if (UNARY.contains(u.name())) return u.numOperands() == 1;
    if (!BINARY.contains(u.name()) || u.numOperands() != 2) return false;
    Value other = u.operand(0) == in ? u.operand(1) : u.operand(0);
    return other != in && other.type().rank() <= in.type().rank() && known.of(other) != null;
  }

  private static int[] expand(int[] shape, int rank) {
    int[] r = new int[rank];
    java.util.Arrays.fill(r, 1);
    System.arraycopy(shape, 0, r, rank - shape.length, shape.length);
    return r;
  }

  /**
   * transpose(x, perm with perm[0] = 0) → reshape/flatten to [B, K] → matmul(·, constant b): the
   * matmul reads reshape(x) instead, with b's K rows reordered to x's element order.
   */
  private boolean intoMatmul(Graph graph, Operation t, int[] perm, ConstantValues known) {
    Value x = t.operand(0);
    int[] xs = x.type().shape();
    if (perm[0] != 0 || xs.length < 3) return false;
    for (int i = 1; i < xs.length; i++) if (xs[i] < 1) return false;
    boolean changed = false;
    for (Operation r : t.result().users()) {
      if (!(r.is("reshape") || r.is("flatten")) || r.result().type().rank() != 2) continue;
      if (r.is("flatten") && r.attributes().getLong("axis", 1) != 1) continue;
      if (r.is("reshape") && r.result().type().dim(1) != Tensor.count(xs) / xs[0]) continue;
      Value flat = null;
      for (Operation m : r.result().users()) {
        if (!m.is("matmul") || m.operand(0) != r.result() || m.operand(1) == r.result() || m.attributes().getBool("transpose_a", false)) continue;
        Value b = permutedWeights(graph, m, xs, perm, known);
        if (b == null) continue;
        if (flat == null) {
          flat = graph.insertBefore(r, r.name(), List.of(x), new Attributes(r.attributes()), List.of(r.result().type()), Location.fused(t.location(), r.location())).result();
          flat.setName(r.result().name());
        }
        List<Operation> old = List.of(m.operand(1).definingOp());
        m.setOperand(0, flat);
        m.setOperand(1, b);
        Cleanup.eraseDead(graph, old);
        intoWeights.increment();
        changed = true;
      }
      Cleanup.eraseDead(graph, List.of(r));
    }
    return changed;
  }

  private static Value permutedWeights(Graph graph, Operation m, int[] xs, int[] perm, ConstantValues known) {
    Value bv = m.operand(1);
    Operation fq = bv.definingOp().is("fake_quant") ? bv.definingOp() : null;
    Tensor b = fq == null ? known.floats(bv) : known.floats(fq.operand(0));
    boolean tb = m.attributes().getBool("transpose_b", false);
    if (b == null || b.rank() != 2) return null;
    if (fq != null && fq.attributes().has("axis") && ChannelAffine.normAxis(fq.attributes().getLong("axis", 0), 2) != (tb ? 0 : 1)) return null;
    int k = b.dim(tb ? 1 : 0);
    int n = b.dim(tb ? 0 : 1);
    int[] d = java.util.Arrays.copyOfRange(xs, 1, xs.length);
    int[] e = new int[d.length];
    for (int i = 0; i < e.length; i++) e[i] = xs[perm[i + 1]];
    if (Tensor.count(d) != k) return null;
    int[] es = Tensor.strides(e);
    float[] src = b.floats();
    float[] dst = new float[src.length];
    int[] idx = new int[d.length];
    for (int kx = 0; kx < k; kx++) {
      int kt = 0;
      for (int i = 0; i < e.length; i++) kt += idx[perm[i + 1] - 1] * es[i];
      for (int j = 0; j < n; j++) {
        if (tb) dst[j * k + kx] = src[j * k + kt];
        else dst[kx * n + j] = src[kt * n + j];
      }
      for (int a = d.length - 1; a >= 0 && ++idx[a] == d[a]; a--) idx[a] = 0;
    }
    Tensor nb = Tensor.ofFloats(b.shape(), dst);
    Operation at = m;
    Value origin = fq == null ? bv : fq.operand(0);
    Value c = graph.insertBefore(at, "constant", List.of(), Attributes.of("value", nb), List.of(nb.type()), origin.definingOp().location()).result();
    c.setName(origin.name());
    if (fq == null) return c;
    return graph.insertBefore(at, "fake_quant", List.of(c), new Attributes(fq.attributes()), List.of(bv.type()), fq.location()).result().setName(bv.name());
  }

  private static void replaceByConstant(Graph graph, Operation op, Tensor v) {
    Operation c = graph.insertBefore(op, "constant", List.of(), Attributes.of("value", v), List.of(v.type()), op.location());
    c.result().setName(op.result().name());
    List<Operation> old = List.of(op.operand(0).definingOp());
    graph.replace(op, List.of(c.result()));
    Cleanup.eraseDead(graph, old);
  }
}
