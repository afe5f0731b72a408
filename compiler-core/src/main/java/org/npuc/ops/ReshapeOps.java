package org.npuc.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.npuc.ir.Attributes;
import org.npuc.ir.OpDefinition;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;

/**
 * The ops that only relabel dims of row-major data: {@code reshape}, {@code flatten},
 * {@code squeeze}, {@code unsqueeze}. The data is shared, not copied.
 */
final class ReshapeOps extends BaseOp {
  private static final int RESHAPE = 0, FLATTEN = 1, SQUEEZE = 2, UNSQUEEZE = 3;
  private final int kind;

  private ReshapeOps(String name, String summary, int kind) {
    super(name, summary);
    this.kind = kind;
  }

  static List<OpDefinition> all() {
    return List.of(
        new ReshapeOps("reshape", "row-major reshape (a single -1 stands for an unknown batch)", RESHAPE),
        new ReshapeOps("flatten", "[d0*...*d(axis-1), d(axis)*...]", FLATTEN),
        new ReshapeOps("squeeze", "removes size-1 dims", SQUEEZE),
        new ReshapeOps("unsqueeze", "inserts size-1 dims at axes of the output", UNSQUEEZE));
  }

  @Override
  protected void checkAttributes(Attributes a) {
    switch (kind) {
      case RESHAPE -> {
        int[] shape = intsAttr(a, "shape", null, -1);
        int unknown = 0;
        for (int d : shape) {
          if (d == -1) unknown++;
          else if (d < 1) throw error("attribute 'shape': expected dims >= 1 or a single -1, got " + Arrays.toString(shape));
        }
        if (unknown > 1) throw error("attribute 'shape': expected at most one -1, got " + Arrays.toString(shape));
      }
      case FLATTEN -> a.getLong("axis", 1);
      case SQUEEZE -> a.getInts("axes", null);
      default -> intsAttr(a, "axes", null, -1);
    }
  }

  @Override
  protected List<TensorType> infer(List<TensorType> operands, Attributes a) {
    checkCount(operands, 1, 1);
    TensorType x = operands.get(0);
    int[] in = x.shape();
    int r = in.length;
    switch (kind) {
      case RESHAPE -> {
        int[] shape = a.getInts("shape");
        long known = 1;
        int free = -1;
        for (int i = 0; i < shape.length; i++) {
          if (shape[i] == -1) free = i;
          else known *= shape[i];
        }
        long total = x.numElements();
        if (total >= 0) {
          if (free >= 0) {
            if (known == 0 || total % known != 0) {
              throw error("attribute 'shape': cannot reshape " + x.toText() + " (" + total + " elements) to " + Shapes.text(shape));
            }
            shape[free] = (int) (total / known);
          } else if (known != total) {
            throw error("attribute 'shape': expected " + total + " elements like x " + x.toText() + ", got " + Shapes.text(shape) + " (" + known + " elements)");
          }
        }
        return List.of(x.withShape(shape));
      }
      case FLATTEN -> {
        long ax = a.getLong("axis", 1);
        if (ax < -r || ax > r) throw error("attribute 'axis': expected a value in [" + -r + ", " + r + "], got " + ax);
        int axis = (int) (ax < 0 ? ax + r : ax);
        long outer = Shapes.product(in, 0, axis);
        long inner = Shapes.product(in, axis, r);
        return List.of(x.withShape(Math.toIntExact(outer), Math.toIntExact(inner)));
      }
      case SQUEEZE -> {
        int[] axes = a.getInts("axes", null);
        boolean[] drop = new boolean[r];
        if (axes == null) {
          for (int i = 0; i < r; i++) drop[i] = in[i] == 1;
        } else {
          for (int ax : axes) {
            int d = Shapes.axis(name(), "axes", ax, r);
            if (in[d] != 1 && in[d] != Shapes.UNKNOWN) throw error("attribute 'axes': expected dimension " + d + " of x to be 1, got " + in[d] + " (" + x.toText() + ")");
            drop[d] = true;
          }
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < r; i++) if (!drop[i]) out.add(in[i]);
        return List.of(x.withShape(out.stream().mapToInt(Integer::intValue).toArray()));
      }
      default -> {
        int[] axes = a.getInts("axes");
        int outRank = r + axes.length;
        boolean[] added = new boolean[outRank];
        for (int ax : axes) {
          int d = Shapes.axis(name(), "axes", ax, outRank);
          if (added[d]) throw error("attribute 'axes': expected distinct axes, got " + Arrays.toString(axes));
          added[d] = true;
        }
        int[] out = new int[outRank];
        for (int i = 0, j = 0; i < outRank; i++) out[i] = added[i] ? 1 : in[j++];
        return List.of(x.withShape(out));
      }
    }
  }

  @Override
  protected Tensor[] compute(Attributes a, Tensor[] in, List<TensorType> results) {
    return new Tensor[] {in[0].reshape(results.get(0).shape())};
  }
}
