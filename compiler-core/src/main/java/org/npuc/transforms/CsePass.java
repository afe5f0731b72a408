package org.npuc.transforms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.npuc.ir.Attributes;
import org.npuc.ir.Graph;
import org.npuc.ir.Location;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;
import org.npuc.pass.Pass;
import org.npuc.pass.PassContext;
import org.npuc.pass.Statistic;

/**
 * Common subexpression elimination: a pure op with the same name, operands, attributes and result
 * types as an earlier one is replaced by it. One forward walk with a hash table; tensor attributes
 * (constants) are hashed by content, so equal weights merge without comparing every pair. The
 * survivor's location gains the duplicate's source names.
 */
public final class CsePass extends Pass {
  private final Statistic merged = statistic("merged", "duplicate ops replaced by an earlier equal op");

  public CsePass() {
    super("cse", "merge ops that compute the same thing (same op, operands and attributes; constants by content)");
  }

  @Override
  public boolean run(Graph graph, PassContext context) {
    long before = merged.value();
    Map<Key, Operation> seen = new HashMap<>();
    // Locations of the ops each survivor absorbed, fused once at the end: fusing at every merge
    // re-copies the survivor's growing name list, quadratic when one constant absorbs thousands.
    Map<Operation, List<Location>> absorbed = new LinkedHashMap<>();
    Operation op = graph.first();
    while (op != null) {
      Operation next = op.next();
      if (op.numResults() > 0 && context.definition(op).isPure()) {
        Key key = new Key(op);
        Operation earlier = seen.putIfAbsent(key, op);
        if (earlier != null) {
          absorbed.computeIfAbsent(earlier, e -> new ArrayList<>(List.of(e.location()))).add(op.location());
          for (int i = 0; i < op.numResults(); i++) {
            if (earlier.result(i).name() == null) earlier.result(i).setName(op.result(i).name());
          }
          graph.replace(op, earlier.results());
          merged.increment();
        }
      }
      op = next;
    }
    for (Map.Entry<Operation, List<Location>> e : absorbed.entrySet()) {
      e.getKey().setLocation(Location.fused(e.getValue().toArray(new Location[0])));
    }
    return merged.value() > before;
  }

  /** An op seen as a value: equal keys compute equal results. */
  private static final class Key {
    private final Operation op;
    private final int hash;

    Key(Operation op) {
      this.op = op;
      int h = op.name().hashCode();
      for (int i = 0; i < op.numOperands(); i++) h = 31 * h + System.identityHashCode(op.operand(i));
      for (int i = 0; i < op.numResults(); i++) h = 31 * h + op.result(i).type().hashCode();
      this.hash = 31 * h + attributesHash(op.attributes());
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Key k) || k.hash != hash) return false;
      Operation a = op;
      Operation b = k.op;
      if (!a.name().equals(b.name()) || a.numOperands() != b.numOperands() || a.numResults() != b.numResults()) return false;
      for (int i = 0; i < a.numOperands(); i++) if (a.operand(i) != b.operand(i)) return false;
      for (int i = 0; i < a.numResults(); i++) if (!a.result(i).type().equals(b.result(i).type())) return false;
      return a.attributes().equals(b.attributes());
    }

    private static int attributesHash(Attributes attrs) {
      int h = 0;
      for (int i = 0, n = attrs.size(); i < n; i++) {
        h = 31 * h + attrs.key(i).hashCode();
        h = 31 * h + valueHash(attrs.value(i));
      }
      return h;
    }

    private static int valueHash(Object v) {
      if (v instanceof Tensor t) return tensorHash(t);
      if (v instanceof long[] a) return Arrays.hashCode(a);
      if (v instanceof double[] a) return Arrays.hashCode(a);
      if (v instanceof String[] a) return Arrays.hashCode(a);
      if (v instanceof TensorType t) return t.hashCode();
      return v.hashCode();
    }

    /** Content hash consistent with {@link Tensor#contentEquals}: shape, element type, bits. */
    private static int tensorHash(Tensor t) {
      int h = 31 * Arrays.hashCode(t.shape()) + t.elementType().hashCode();
      return 31 * h + (t.isFloat() ? Arrays.hashCode(t.floats()) : Arrays.hashCode(t.ints()));
    }
  }
}
