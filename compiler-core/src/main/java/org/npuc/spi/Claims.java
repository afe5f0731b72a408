package org.npuc.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.npuc.ir.Operation;

/**
 * What a backend claims of a graph: one {@link OpClaim} per op (graph boundary ops and constants
 * need none). Ops without an entry, and refused ops, fall back to float on the host.
 */
public final class Claims {
  private final Map<Operation, OpClaim> byOp = new IdentityHashMap<>();
  private final List<OpClaim> ordered = new ArrayList<>();

  public Claims add(OpClaim claim) {
    OpClaim old = byOp.put(claim.op(), claim);
    if (old != null) ordered.remove(old);
    ordered.add(claim);
    return this;
  }

  /** The claim for {@code op}, or a refusal saying the backend did not answer for it. */
  public OpClaim of(Operation op) {
    OpClaim c = byOp.get(op);
    return c != null ? c : OpClaim.refused(op, "the backend did not claim this op");
  }

  public boolean has(Operation op) {
    return byOp.containsKey(op);
  }

  /** Every claim in the order added. */
  public List<OpClaim> all() {
    return Collections.unmodifiableList(ordered);
  }
}
