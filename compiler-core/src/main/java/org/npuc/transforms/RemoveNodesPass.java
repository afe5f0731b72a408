package org.npuc.transforms;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.npuc.diag.UserError;
import org.npuc.ir.Graph;
import org.npuc.ir.OpDefinition;
import org.npuc.ir.OpRegistry;
import org.npuc.ir.Operation;
import org.npuc.pass.Pass;
import org.npuc.pass.PassContext;
import org.npuc.pass.PassOption;
import org.npuc.pass.Statistic;

/**
 * Removes pass-through ops (such as {@code identity}) named by {@code op=...}, rewiring their
 * readers to their operand. Names may be written as in TensorFlow ({@code Identity},
 * {@code CheckNumerics}); an op that changes its input is refused with the reason, since removing
 * it would change what the model computes.
 */
public final class RemoveNodesPass extends Pass {
  private final PassOption<List<String>> ops =
      stringListOption("op", List.of(), "op to remove (repeatable): a pass-through op such as identity");
  private final Statistic removed = statistic("removed", "ops removed");

  public RemoveNodesPass() {
    super("remove_nodes", "remove pass-through ops such as identity, rewiring their users to their input");
  }

  @Override
  public void checkOptions() {
    if (ops.get().isEmpty()) throw new UserError("remove_nodes needs at least one op=NAME, e.g. remove_nodes(op=identity)");
  }

  @Override
  public boolean run(Graph graph, PassContext context) {
    Set<String> targets = resolve(context);
    if (targets.isEmpty()) return false;
    long before = removed.value();
    for (Operation op = graph.first(); op != null; ) {
      Operation next = op.next();
      if (targets.contains(op.name())) {
        if (op.numOperands() != 1 || op.numResults() != 1) {
          throw new UserError("remove_nodes cannot remove " + op + ": it has " + op.numOperands()
              + " operands and " + op.numResults() + " results; only single-input, single-result ops can be bypassed");
        }
        graph.replace(op, List.of(op.operand(0)));
        removed.increment();
      }
      op = next;
    }
    return removed.value() > before;
  }

  /** Registered op names to remove; refuses ops that are not pass-through, warns about unknown ones. */
  private Set<String> resolve(PassContext context) {
    OpRegistry registry = context.registry();
    Set<String> targets = new LinkedHashSet<>();
    for (String written : ops.get()) {
      String name = registry.lookup(written) != null ? written : snakeCase(written);
      OpDefinition def = registry.lookup(name);
      if (def == null) {
        context.warn("remove_nodes: npuc has no op '" + written + "' (framework ops are translated on import), so there is nothing to remove");
        continue;
      }
      if (!def.isPassThrough()) {
        throw new UserError("remove_nodes cannot remove '" + name + "' ops: " + name + " is not a pass-through op (its result is not"
            + " its input unchanged), so removing it would change what the model computes. Pass-through ops: "
            + String.join(", ", passThroughOps(registry)) + ".");
      }
      targets.add(name);
    }
    return targets;
  }

  private static List<String> passThroughOps(OpRegistry registry) {
    List<String> r = new ArrayList<>();
    for (String n : registry.names()) if (registry.lookup(n).isPassThrough()) r.add(n);
    if (r.isEmpty()) r.add("(none registered)");
    return r;
  }

  /** {@code CheckNumerics} → {@code check_numerics}, {@code Identity} → {@code identity}. */
  static String snakeCase(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isUpperCase(c)) {
        boolean boundary = i > 0 && (Character.isLowerCase(s.charAt(i - 1))
            || (i + 1 < s.length() && Character.isLowerCase(s.charAt(i + 1)) && Character.isUpperCase(s.charAt(i - 1))));
        if (boundary) sb.append('_');
        sb.append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
