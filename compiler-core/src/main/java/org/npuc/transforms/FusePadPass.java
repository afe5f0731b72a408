package org.npuc.transforms;

import java.util.ArrayList;
import java.util.List;
import org.npuc.ir.Attributes;
import org.npuc.ir.Graph;
import org.npuc.ir.IrException;
import org.npuc.ir.Location;
import org.npuc.ir.Operation;
import org.npuc.ir.Value;
import org.npuc.ir.type.TensorType;
import org.npuc.pass.Pass;
import org.npuc.pass.PassContext;
import org.npuc.pass.Statistic;

/**
 * Moves an explicit {@code pad} of the spatial dims into the {@code pads} of the {@code conv2d},
 * {@code max_pool} or {@code avg_pool} that reads it, where that computes the same: for conv2d a
 * constant pad of 0; for max_pool a constant pad no greater than any value the input can take
 * (−inf, or 0 after a relu), since pool padding never wins a max; for avg_pool a constant pad of 0
 * when the pool counts padding in its divisor or has no padding of its own (the result counts
 * padding, which the explicit zeros did). Refused, with a remark, for reflect/symmetric/edge
 * modes, padded batch or channel dims, and combined pads that reach the pool's kernel size.
 */
public final class FusePadPass extends Pass {
  private final Statistic fused = statistic("fused", "reads of a pad moved into a conv2d/max_pool/avg_pool");
  private final Statistic pads = statistic("pads_removed", "pad ops removed because nothing reads them any more");

  public FusePadPass() {
    super("fuse_pad", "move an explicit pad into the pads of the conv2d/max_pool/avg_pool after it, when that computes the same");
  }

  @Override
  public boolean run(Graph graph, PassContext context) {
    if (!graph.containsAny("pad")) return false; // nothing to fuse
    long before = fused.value();
    for (Operation pad : graph.ops()) {
      if (pad.graph() != graph || !pad.is("pad") || pad.result().type().rank() != 4) continue;
      for (Operation user : pad.result().users()) {
        if (!user.is("conv2d") && !user.is("max_pool") && !user.is("avg_pool")) continue;
        if (user.operand(0) != pad.result() || (user.is("conv2d") && user.operand(1) == pad.result())) continue;
        String why = refusal(pad, user);
        if (why == null) why = fuse(graph, pad, user, context);
        if (why != null) context.remark(name(), user, "explicit pad " + pad.location().describe() + " not fused: " + why);
        else fused.increment();
      }
      if (pad.isUnused()) {
        graph.erase(pad);
        pads.increment();
      }
    }
    return fused.value() > before;
  }

  private static String refusal(Operation pad, Operation user) {
    Attributes a = pad.attributes();
    String mode = a.getString("mode", "constant");
    if (!mode.equals("constant")) return "mode \"" + mode + "\" repeats input values, while " + user.name() + " pads with nothing or zeros";
    int[] p = a.getInts("pads");
    if (p[0] != 0 || p[1] != 0 || p[4] != 0 || p[5] != 0) return "it pads the batch or channel dimension";
    if (pad.result().type().elementType().isQuantized()) return "it pads quantized integers (its value is not a real number)";
    double value = a.getDouble("value", 0.0);
    switch (user.name()) {
      case "conv2d":
        return value == 0 ? null : "conv2d pads with zeros, the pad with " + value;
      case "avg_pool":
        if (user.attributes().getBool("global", false)) return "avg_pool is global (it takes no pads)";
        if (value != 0) return "avg_pool pads with zeros, the pad with " + value;
        if (!user.attributes().getBool("count_include_pad", false) && any(user.attributes().getInts("pads", new int[4]))) {
          return "avg_pool has pads of its own and leaves them out of its divisor, while the explicit zeros count";
        }
        return null;
      default:
        if (user.attributes().getBool("global", false)) return "max_pool is global (it takes no pads)";
        double low = LowerBound.of(pad.operand(0));
        return value <= low ? null
            : "the pad value " + value + " could win the max (the input is only known to be >= " + low + ")";
    }
  }

  private static String fuse(Graph graph, Operation pad, Operation user, PassContext context) {
    int[] p = pad.attributes().getInts("pads");
    Attributes na = new Attributes(user.attributes());
    int[] own = na.getInts("pads", new int[4]);
    int[] sum = {own[0] + p[2], own[1] + p[3], own[2] + p[6], own[3] + p[7]};
    na.set("pads", sum);
    if (user.is("avg_pool")) na.set("count_include_pad", true);
    if (!user.is("conv2d")) {
      int[] k = na.getInts("kernel", null);
      if (sum[0] >= k[0] || sum[2] >= k[0] || sum[1] >= k[1] || sum[3] >= k[1]) {
        return "the combined pads " + java.util.Arrays.toString(sum) + " would reach the kernel " + java.util.Arrays.toString(k);
      }
    }
    List<Value> operands = new ArrayList<>(user.operands());
    operands.set(0, pad.operand(0));
    List<TensorType> in = new ArrayList<>();
    for (Value v : operands) in.add(v.type());
    List<TensorType> out;
    try {
      out = context.registry().lookup(user.name()).inferTypes(in, na);
    } catch (IrException e) {
      return e.getMessage();
    }
    if (!java.util.Arrays.equals(out.get(0).shape(), user.result().type().shape())) {
      return "the output shape would change (" + out.get(0).toText() + " instead of " + user.result().type().toText() + ", a ceil_mode window)";
    }
    for (String k : na.keys()) user.attributes().set(k, na.get(k));
    user.setOperand(0, pad.operand(0));
    user.setLocation(Location.fused(pad.location(), user.location()));
    return null;
  }

  private static boolean any(int[] v) {
    for (int x : v) if (x != 0) return true;
    return false;
  }
}
