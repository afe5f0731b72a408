package org.npuc.interp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.npuc.diag.Suggestions;
import org.npuc.diag.UserError;
import org.npuc.ir.Graph;
import org.npuc.ir.IrException;
import org.npuc.ir.OpDefinition;
import org.npuc.ir.OpRegistry;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.QuantizedType;
import org.npuc.ir.type.TensorType;

/**
 * The reference interpreter: runs a graph on concrete inputs, op by op in graph order. Float ops
 * run their {@link OpDefinition#evaluate} kernel, which re-infers shapes from the actual operands
 * (so a graph declared with batch -1 or 1 runs on batch N where its shapes allow); ops touching
 * quantized element types run the integer kernel from {@link QuantizedKernels}.
 */
public final class Interpreter {
  private final Graph graph;
  private final OpRegistry registry;
  /** The output arrays of earlier runs, for the next run (null while a run has it). */
  private final AtomicReference<ArrayPool> spare = new AtomicReference<>(new ArrayPool());

  public Interpreter(Graph g) {
    this(g, OpRegistry.global());
  }

  public Interpreter(Graph g, OpRegistry registry) {
    this.graph = g;
    this.registry = registry;
  }

  /**
   * Runs the graph and returns its outputs by output name, in graph order. Only ops that feed an
   * output run, and intermediate values are released after their last use.
   */
  public Map<String, Tensor> run(Map<String, Tensor> inputsByInputName) {
    Map<String, Tensor> outputs = new LinkedHashMap<>();
    execute(inputsByInputName, true, outputs);
    return outputs;
  }

  /** Runs the graph and returns every value it computes (inputs and constants included), in graph order. */
  public Map<Value, Tensor> runAll(Map<String, Tensor> inputs) {
    return execute(inputs, false, new LinkedHashMap<>());
  }

  /** Floats waiting in this interpreter's pool for the next run (for tests). */
  long pooledFloats() {
    ArrayPool p = spare.get();
    return p == null ? 0 : p.pooledFloats();
  }

  private Map<Value, Tensor> execute(Map<String, Tensor> given, boolean free, Map<String, Tensor> outputs) {
    Map<String, Tensor> inputs = given == null ? Map.of() : given;
    List<Operation> ops = graph.ops();
    Map<String, Tensor> bound = bindInputs(inputs);
    Map<Value, Integer> lastUse = new HashMap<>();
    boolean[] live = new boolean[ops.size()];
    java.util.Arrays.fill(live, true);
    if (free) {
      // Only ops that feed an output run; the others cannot change what run() returns.
      java.util.Set<Value> needed = new java.util.HashSet<>();
      for (int i = ops.size() - 1; i >= 0; i--) {
        Operation op = ops.get(i);
        boolean feeds = op.is("output");
        for (Value r : op.results()) feeds |= needed.contains(r);
        live[i] = feeds || op.is("input");
        if (feeds) needed.addAll(op.operands());
      }
      for (int i = 0; i < ops.size(); i++) {
        if (live[i]) for (Value v : ops.get(i).operands()) lastUse.put(v, i);
      }
    }
    Map<Value, Tensor> env = free ? new HashMap<>() : new LinkedHashMap<>();
    // A run that frees values recycles their arrays (see ArrayPool); a second run at the same
    // time on another thread gets a pool of its own.
    ArrayPool pool = null;
    ArrayPool before = null;
    if (free) {
      pool = spare.getAndSet(null);
      if (pool == null) pool = new ArrayPool();
      before = pool.activate();
    }
    try {
      return runOps(ops, live, lastUse, bound, free ? new Recycler(pool) : null, env, outputs);
    } finally {
      if (pool != null) {
        ArrayPool.restore(before);
        spare.set(pool);
      }
    }
  }

  /** Runs the live ops in graph order; with a recycler, frees each value after its last use. */
  private Map<Value, Tensor> runOps(
      List<Operation> ops, boolean[] live, Map<Value, Integer> lastUse, Map<String, Tensor> bound, Recycler recycler, Map<Value, Tensor> env,
      Map<String, Tensor> outputs) {
    boolean free = recycler != null;
    for (int i = 0; i < ops.size(); i++) {
      Operation op = ops.get(i);
      if (!live[i]) continue;
      Tensor[] args = new Tensor[op.numOperands()];
      for (int k = 0; k < args.length; k++) {
        args[k] = env.get(op.operand(k));
        if (args[k] == null) {
          throw new IllegalStateException("operand " + k + " of " + op + " is not computed before its use (graph not in topological order?)");
        }
      }
      Tensor[] results;
      switch (op.name()) {
        case "input" -> results = new Tensor[] {bound.get(op.attributes().getString("name"))};
        case "output" -> {
          outputs.put(op.attributes().getString("name"), args[0]);
          results = new Tensor[0];
        }
        case "constant" -> results = new Tensor[] {op.attributes().getTensor("value")};
        default -> results = evaluate(op, args);
      }
      if (results == null || results.length != op.numResults()) {
        throw new IllegalStateException(op + ": kernel returned " + (results == null ? "null" : results.length + " results") + ", expected " + op.numResults());
      }
      if (free && (op.is("input") || op.is("constant"))) for (Tensor t : results) recycler.pin(t);
      if (free && op.is("output")) recycler.pin(args[0]);
      for (int k = 0; k < results.length; k++) {
        Value r = op.result(k);
        if (free && !lastUse.containsKey(r)) continue; // never read
        env.put(r, results[k]);
        if (free) recycler.hold(results[k]);
      }
      if (free) {
        for (int k = 0; k < results.length; k++) if (!lastUse.containsKey(op.result(k))) recycler.release(results[k], false);
        for (Value v : op.operands()) {
          if (lastUse.get(v) == i) {
            Tensor t = env.remove(v);
            if (t != null) recycler.release(t, true);
          }
        }
      }
    }
    return env;
  }

  /**
   * Counts the live values on each float array of a run and gives an array back to the pool when
   * its count drops to zero: values share arrays (reshape is a view), and constants, inputs and
   * outputs are pinned, since they belong to the graph or the caller.
   */
  private static final class Recycler {
    private final ArrayPool pool;
    private final IdentityHashMap<float[], int[]> live = new IdentityHashMap<>();
    private final IdentityHashMap<float[], Boolean> pinned = new IdentityHashMap<>();
    private final IdentityHashMap<float[], Boolean> given = new IdentityHashMap<>();

    Recycler(ArrayPool pool) {
      this.pool = pool;
    }

    void pin(Tensor t) {
      if (t.isFloat()) pinned.put(t.floats(), Boolean.TRUE);
    }

    void hold(Tensor t) {
      if (!t.isFloat()) return;
      live.computeIfAbsent(t.floats(), a -> new int[1])[0]++;
      given.remove(t.floats()); // handed out again by the pool
    }

    /** Drops one live reference (if {@code held}) and recycles the array when none is left. */
    void release(Tensor t, boolean held) {
      if (!t.isFloat()) return;
      float[] a = t.floats();
      int[] n = live.get(a);
      if (held && n != null && --n[0] == 0) live.remove(a);
      if (!live.containsKey(a) && !pinned.containsKey(a) && given.put(a, Boolean.TRUE) == null) pool.give(a);
    }
  }

  private Tensor[] evaluate(Operation op, Tensor[] args) {
    OpDefinition def = registry.lookup(op.name());
    if (def == null) {
      String near = Suggestions.nearest(op.name(), registry.names());
      throw new UserError("unknown op '" + op.name() + "' at " + op.location().describe() + (near != null ? " (did you mean '" + near + "'?)" : ""));
    }
    try {
      if (touchesQuantized(op)) {
        QuantizedKernel k = QuantizedKernels.lookup(op.name());
        if (k == null) {
          throw new UserError(
              "no integer kernel for op '" + op.name() + "' at " + op.location().describe() + " with types " + signature(op)
                  + "; ops with integer kernels: " + String.join(", ", QuantizedKernels.names())
                  + " (keep this op in float, e.g. by a float fallback)");
        }
        return k.evaluate(op, args);
      }
      return def.evaluate(op, args);
    } catch (IrException e) {
      StringBuilder types = new StringBuilder("(");
      for (int k = 0; k < args.length; k++) types.append(k == 0 ? "" : ", ").append(args[k].type().toText());
      throw new UserError(
          "cannot run " + op.name() + " at " + op.location().describe() + " on operands " + types.append(')') + ": " + e.getMessage(), e);
    }
  }

  private static boolean touchesQuantized(Operation op) {
    for (Value v : op.operands()) if (v.type().elementType().isQuantized()) return true;
    for (Value v : op.results()) if (v.type().elementType().isQuantized()) return true;
    return false;
  }

  private static String signature(Operation op) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < op.numOperands(); i++) sb.append(i == 0 ? "" : ", ").append(op.operand(i).type().toText());
    sb.append(") -> (");
    for (int i = 0; i < op.numResults(); i++) sb.append(i == 0 ? "" : ", ").append(op.result(i).type().toText());
    return sb.append(')').toString();
  }

  /** Checks the given inputs against the declared ones and returns them by name, retyped as declared. */
  private Map<String, Tensor> bindInputs(Map<String, Tensor> inputs) {
    List<String> declared = new ArrayList<>();
    Map<String, TensorType> types = new LinkedHashMap<>();
    for (Operation in : graph.inputs()) {
      String name = in.attributes().getString("name");
      declared.add(name);
      types.put(name, in.result().type());
    }
    List<String> problems = new ArrayList<>();
    for (String name : inputs.keySet()) {
      if (!types.containsKey(name)) {
        String near = Suggestions.nearest(name, declared);
        problems.add("unknown input '" + name + "'" + (near != null ? " (did you mean '" + near + "'?)" : ""));
      }
    }
    for (String name : declared) {
      if (!inputs.containsKey(name) || inputs.get(name) == null) {
        problems.add("missing input '" + name + "' of type " + types.get(name).toText());
      }
    }
    Map<String, Tensor> bound = new HashMap<>();
    for (String name : declared) {
      Tensor t = inputs.get(name);
      if (t == null) continue;
      String err = checkInput(types.get(name), t);
      if (err != null) problems.add("input '" + name + "': " + err);
      else bound.put(name, retype(types.get(name).elementType(), t));
    }
    if (!problems.isEmpty()) {
      throw new UserError(String.join("; ", problems) + ". The graph's inputs are: " + describe(types));
    }
    return bound;
  }

  private static String checkInput(TensorType want, Tensor t) {
    if (t.rank() != want.rank()) {
      return "expected rank " + want.rank() + " (" + want.toText() + "), got rank " + t.rank() + " (" + t.type().toText() + ")";
    }
    for (int i = 0; i < want.rank(); i++) {
      int d = want.dim(i);
      boolean batch = i == 0 && d == 1;
      if (d != TensorType.UNKNOWN && d != t.dim(i) && !batch) {
        return "expected dimension " + i + " to be " + d + " (" + want.toText() + "), got " + t.dim(i) + " (" + t.type().toText() + ")";
      }
    }
    if (!elementTypeAccepts(want.elementType(), t.elementType())) {
      return "expected element type " + want.elementType().toText() + ", got " + t.elementType().toText();
    }
    return null;
  }

  private static boolean elementTypeAccepts(ElementType want, ElementType got) {
    if (want.equals(got)) return true;
    // Stored integers (or floats for a calibrated type) given in the plain storage type.
    return want instanceof QuantizedType && want.storageType() == got;
  }

  private static Tensor retype(ElementType want, Tensor t) {
    return t.elementType().equals(want) ? t : t.withElementType(want);
  }

  private static String describe(Map<String, TensorType> types) {
    if (types.isEmpty()) return "(none)";
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, TensorType> e : types.entrySet()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue().toText());
    }
    return sb.toString();
  }
}
