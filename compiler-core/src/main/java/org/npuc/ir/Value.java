package org.npuc.ir;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.npuc.ir.type.TensorType;

/**
 * An SSA value: the result of exactly one operation, read by any number of operations. Keeps its
 * uses (def-use list) so rewrites can find and redirect readers in O(uses).
 */
public final class Value {
  /** One read of a value: operand {@code index} of {@code user}. */
  public record Use(Operation user, int index) {}

  private TensorType type;
  private final Operation definingOp;
  private final int resultIndex;
  private String name;
  // A linked set: removing one use is O(1), so rewiring a value read by many ops stays linear.
  final LinkedHashSet<Use> uses = new LinkedHashSet<>(4);

  Value(Operation definingOp, int resultIndex, TensorType type) {
    this.definingOp = definingOp;
    this.resultIndex = resultIndex;
    this.type = type;
  }

  public TensorType type() {
    return type;
  }

  /** Changes the type in place (shape inference, quantization); readers see the new type. */
  public void setType(TensorType type) {
    this.type = type;
  }

  public Operation definingOp() {
    return definingOp;
  }

  public int resultIndex() {
    return resultIndex;
  }

  /** A name hint for printing (e.g. the source tensor name); may be null. */
  public String name() {
    return name;
  }

  public Value setName(String name) {
    this.name = name;
    return this;
  }

  /** The uses in the order they were made (a snapshot). */
  public List<Use> uses() {
    return List.copyOf(uses);
  }

  public int numUses() {
    return uses.size();
  }

  public boolean hasUses() {
    return !uses.isEmpty();
  }

  /** Distinct operations that read this value, in use order. */
  public List<Operation> users() {
    LinkedHashSet<Operation> r = new LinkedHashSet<>();
    for (Use u : uses) r.add(u.user());
    return new ArrayList<>(r);
  }

  /** Makes every reader of this value read {@code replacement} instead. */
  public void replaceAllUsesWith(Value replacement) {
    if (replacement == this) return;
    for (Use u : new ArrayList<>(uses)) u.user().setOperand(u.index(), replacement);
  }

  /** True when the defining op is a {@code constant}. */
  public boolean isConstant() {
    return definingOp.name().equals("constant");
  }

  /** The value of a constant-defined value, or null. */
  public Tensor constantValue() {
    return isConstant() ? definingOp.attributes().getTensor("value") : null;
  }

  @Override
  public String toString() {
    return "%" + (name != null ? name : "?") + ":" + type.toText();
  }
}
