package org.npuc.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.QuantizedType;
import org.npuc.ir.type.TensorType;

/**
 * Checks that a graph is well formed: every operand is defined earlier in the same graph, each
 * op's result types agree with what its definition infers from its operands (shapes where both are
 * known; a quantized element type stands for its expressed type), each op's own {@code verify},
 * unique input and output names, and at least one output. One pass over the graph.
 */
public final class Verifier {
  private static final int MAX_REPORTED = 10;
  // Numbers verification runs; each op walked past is stamped with its run's number.
  private static final AtomicLong RUNS = new AtomicLong();
  // Graphs of this many ops are checked on all cores, in slices of SLICE ops.
  static final int PARALLEL_OPS = 16_384;
  private static final int SLICE = 2_048;

  private Verifier() {}

  /** Verifies with the global registry. */
  public static void verify(Graph graph) {
    verify(graph, OpRegistry.global());
  }

  /**
   * Throws an {@link IrException} naming the first bad op and its location; the message also
   * lists up to {@value #MAX_REPORTED} further problems.
   */
  public static void verify(Graph graph, OpRegistry registry) {
    List<IrException> problems = check(graph, registry);
    if (problems.isEmpty()) return;
    IrException first = problems.get(0);
    if (problems.size() == 1) throw first;
    StringBuilder sb = new StringBuilder(first.getMessage());
    sb.append("\n(").append(problems.size() - 1).append(" more problem").append(problems.size() == 2 ? "" : "s").append(':');
    for (int i = 1; i < problems.size(); i++) sb.append("\n  ").append(problems.get(i).describe());
    sb.append(')');
    throw new IrException(first.op(), sb.toString());
  }

  /**
   * Verifies everything except that result types agree with inference: for IR whose declared
   * types are about to be recomputed (an input's shape was edited, then {@code infer_shapes}).
   */
  public static void verifyStructure(Graph graph, OpRegistry registry) {
    List<IrException> problems = check(graph, registry, false);
    if (!problems.isEmpty()) throw problems.get(0);
  }

  /** All problems found (at most {@value #MAX_REPORTED} + 1), in graph order. */
  public static List<IrException> check(Graph graph, OpRegistry registry) {
    return check(graph, registry, true);
  }

  private static List<IrException> check(Graph graph, OpRegistry registry, boolean types) {
    return check(graph, registry, types, graph.size() >= PARALLEL_OPS);
  }

  /** {@link #check} with the walk chosen (tests compare the two). */
  static List<IrException> check(Graph graph, OpRegistry registry, boolean types, boolean parallel) {
    // An op is defined earlier when it carries this run's stamp: no set of all values. (A graph is
    // not thread-safe: it must not be verified by two threads at once, nor changed while verified.)
    long run = RUNS.incrementAndGet();
    if (parallel) return checkInParallel(graph, registry, types, run);
    List<IrException> problems = new ArrayList<>();
    Names names = new Names();
    for (Operation op = graph.first(); op != null && problems.size() <= MAX_REPORTED; op = op.next()) {
      IrException e = checkOp(op, graph, registry, types, run, false);
      addIfAny(problems, e != null ? e : names.check(op));
      op.verifiedIn = run;
    }
    return finish(graph, problems);
  }

  /**
   * The checks of a large graph on all cores: one sequential walk numbers the ops (so "defined
   * earlier" is a comparison of positions) and checks the input and output names, then slices
   * get the per-op checks in parallel. At 100k ops each op's check waits on memory, and two cores
   * wait on twice as many loads at once. Each slice stops, as the sequential walk does, after
   * {@value #MAX_REPORTED} + 1 problems; all come back in graph order.
   */
  private static List<IrException> checkInParallel(Graph graph, OpRegistry registry, boolean types, long run) {
    Operation[] ops = new Operation[graph.size()];
    IrException[] nameProblems = new IrException[ops.length];
    Names names = new Names();
    int n = 0;
    for (Operation op = graph.first(); op != null; op = op.next()) {
      op.verifiedIn = run;
      op.position = n;
      nameProblems[n] = names.check(op);
      ops[n++] = op;
    }
    int count = n;
    IrException[] opProblems = new IrException[count];
    IntStream.range(0, (count + SLICE - 1) / SLICE).parallel().forEach(sl -> {
      int found = 0;
      for (int i = sl * SLICE, end = Math.min(count, i + SLICE); i < end && found <= MAX_REPORTED; i++) {
        opProblems[i] = checkOp(ops[i], graph, registry, types, run, true);
        if (opProblems[i] != null) found++;
      }
    });
    // In graph order, one problem per op, its own before its name's, as the sequential walk reports.
    List<IrException> problems = new ArrayList<>();
    for (int i = 0; i < count && problems.size() <= MAX_REPORTED; i++) {
      addIfAny(problems, opProblems[i] != null ? opProblems[i] : nameProblems[i]);
    }
    return finish(graph, problems);
  }

  private static List<IrException> finish(Graph graph, List<IrException> problems) {
    if (problems.size() > MAX_REPORTED + 1) problems = new ArrayList<>(problems.subList(0, MAX_REPORTED + 1));
    if (graph.count("output") == 0 && problems.isEmpty()) {
      problems.add(new IrException("graph '" + graph.name() + "' has no output op; a model needs at least one output"));
    }
    return problems;
  }

  private static void addIfAny(List<IrException> problems, IrException e) {
    if (e != null) problems.add(e);
  }

  /** The checks of one op that do not depend on the rest of the walk; its problem, or null. */
  private static IrException checkOp(Operation op, Graph graph, OpRegistry registry, boolean types, long run, boolean parallel) {
    try {
      checkOperands(op, graph, run, parallel);
      OpDefinition def = registry.require(op);
      if (types && !op.is("input")) checkTypes(op, def);
      def.verify(op);
      return null;
    } catch (IrException e) {
      return e.op() == null ? new IrException(op, e.getMessage()) : e;
    } catch (IllegalArgumentException | IllegalStateException e) {
      // Attribute getters report a missing or mistyped attribute this way.
      return new IrException(op, e.getMessage());
    }
  }

  /** Input and output names seen so far in the walk: each must be unique among its kind. */
  private static final class Names {
    private final Map<String, Operation> inputs = new HashMap<>();
    private final Map<String, Operation> outputs = new HashMap<>();

    IrException check(Operation op) {
      boolean input = op.is("input");
      if (!input && !op.is("output")) return null;
      try {
        checkUnique(op, input ? inputs : outputs, input ? "input" : "output");
        return null;
      } catch (IrException e) {
        return e;
      } catch (IllegalArgumentException | IllegalStateException e) {
        return new IrException(op, e.getMessage());
      }
    }
  }

  private static void checkOperands(Operation op, Graph graph, long run, boolean parallel) {
    for (int i = 0, n = op.numOperands(); i < n; i++) {
      Operation d = op.operand(i).definingOp();
      // Sequentially, a stamp means "walked past"; in parallel every op is stamped first and the
      // positions say which comes earlier.
      if (d.verifiedIn == run && d.graph() == graph && (!parallel || d.position < op.position)) continue;
      if (d.graph() != graph) {
        throw new IrException(op, "operand #" + i + " is defined by " + d + ", which is not in this graph");
      }
      throw new IrException(op, "operand #" + i + " is used before it is defined (by " + d + ", which comes later)");
    }
  }

  private static void checkTypes(Operation op, OpDefinition def) {
    List<TensorType> inferred = inferResultTypes(op, def, "");
    for (int i = 0, n = inferred.size(); i < n; i++) {
      TensorType actual = op.result(i).type();
      if (!compatible(actual, inferred.get(i))) {
        throw new IrException(op, "result #" + i + " has type " + actual.toText() + ", but its operands give "
            + inferred.get(i).toText() + (inferred.size() == 1 ? "" : " (result #" + i + ")"));
      }
    }
  }

  /**
   * The result types {@code def} infers from {@code op}'s current operand types and attributes. An
   * inference failure is an {@link IrException} on {@code op} with its message after
   * {@code failurePrefix}; so is a number of types other than op's number of results.
   */
  public static List<TensorType> inferResultTypes(Operation op, OpDefinition def, String failurePrefix) {
    int n = op.numOperands();
    List<TensorType> operandTypes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) operandTypes.add(op.operand(i).type());
    List<TensorType> inferred;
    try {
      inferred = def.inferTypes(operandTypes, op.attributes());
    } catch (IrException e) {
      throw new IrException(op, failurePrefix.isEmpty() ? e.getMessage() : failurePrefix + e.getMessage());
    }
    if (inferred.size() != op.numResults()) {
      throw new IrException(op, "expected " + inferred.size() + " result(s), got " + op.numResults());
    }
    return inferred;
  }

  /**
   * True when {@code actual} can stand where {@code inferred} is computed: same rank, equal
   * dimensions where both are known, and element types equal or with equal expressed types when
   * either is quantized.
   */
  public static boolean compatible(TensorType actual, TensorType inferred) {
    if (actual.rank() != inferred.rank()) return false;
    for (int d = 0; d < actual.rank(); d++) {
      int a = actual.dim(d);
      int b = inferred.dim(d);
      if (a != TensorType.UNKNOWN && b != TensorType.UNKNOWN && a != b) return false;
    }
    ElementType a = actual.elementType();
    ElementType b = inferred.elementType();
    if (a.equals(b)) return true;
    return (a instanceof QuantizedType || b instanceof QuantizedType) && a.expressedType() == b.expressedType();
  }

  private static void checkUnique(Operation op, Map<String, Operation> seen, String kind) {
    String name = op.attributes().getString("name", null);
    if (name == null) return;
    Operation prev = seen.putIfAbsent(name, op);
    if (prev != null) {
      throw new IrException(op, "duplicate " + kind + " name '" + name + "' (also used by " + prev + ")");
    }
  }
}
