package org.npuc.target.lower;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.npuc.ir.Attributes;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.TensorType;
import org.npuc.spi.BackendContext;
import org.npuc.spi.Command;
import org.npuc.spi.OpClaim;
import org.npuc.spi.Precision;
import org.npuc.spi.ProgramTensor;
import org.npuc.spi.TargetProgram;
import org.npuc.spi.TargetSpec;

/**
 * The default lowering shared by backends: one command per op in graph order. An op claimed in a
 * float precision whose operands or results are quantized gets {@code dequantize} commands before
 * and {@code quantize} commands after it (the fallback boundary). Activations use the spec's
 * activation layout for rank-4 tensors, constants the weight layout; then cycles come from the cost
 * model and offsets from {@link MemoryPlanner}.
 */
public final class ProgramBuilder {
  /** Opcode that copies a tensor (an output that is also an input, a constant or another output). */
  public static final String COPY = "copy";

  private final Graph graph;
  private final TargetSpec spec;
  private final List<ProgramTensor> tensors = new ArrayList<>();
  private final List<Command> commands = new ArrayList<>();
  private final Map<Value, Integer> ids = new IdentityHashMap<>();

  private ProgramBuilder(Graph graph, TargetSpec spec) {
    this.graph = graph;
    this.spec = spec;
  }

  /** Lowers {@code graph} under {@code claims} and plans its memory. */
  public static TargetProgram build(Graph graph, org.npuc.spi.Claims claims, BackendContext context) {
    ProgramBuilder b = new ProgramBuilder(graph, context.spec());
    b.lowerOps(claims);
    TargetProgram p = new TargetProgram(context.spec().name(), b.tensors, b.commands, context.metadata());
    p.metadata().put("graph", graph.name() == null ? "" : graph.name());
    planMemory(p, context.spec().memory().alignment());
    return p;
  }

  private String activationLayout(TensorType t) {
    return t.rank() == 4 ? spec.layout("activations", "NCHW") : "row-major";
  }

  private int newTensor(String name, TensorType type, ProgramTensor.Kind kind, Tensor data) {
    String layout = kind == ProgramTensor.Kind.CONSTANT ? (type.rank() == 4 ? spec.layout("weights", "OIHW") : "row-major") : activationLayout(type);
    if (kind == ProgramTensor.Kind.INPUT || kind == ProgramTensor.Kind.OUTPUT) layout = activationLayout(type);
    if (!type.hasStaticShape()) {
      throw new org.npuc.diag.UserError("tensor '" + name + "' has no static shape (" + type.toText() + "); give the input shapes (--input-shape NAME=DIMS)");
    }
    byte[] bytes = data == null ? null : Layouts.encode(data, layout);
    tensors.add(new ProgramTensor(name, type, kind, layout, 0, Layouts.bytes(type, layout), bytes));
    return tensors.size() - 1;
  }

  private static String nameOf(Value v) {
    if (v.name() != null && !v.name().isEmpty()) return v.name();
    Operation d = v.definingOp();
    String n = d == null ? null : d.location().primaryName();
    return n != null ? n + (d.numResults() > 1 ? ":" + v.resultIndex() : "") : "t";
  }

  private void lowerOps(org.npuc.spi.Claims claims) {
    for (Operation op : graph) {
      switch (op.name()) {
        case "input" -> ids.put(op.result(), newTensor(op.attributes().getString("name"), op.result().type(), ProgramTensor.Kind.INPUT, null));
        case "constant" -> ids.put(op.result(), newTensor(nameOf(op.result()), op.result().type(), ProgramTensor.Kind.CONSTANT, op.attributes().getTensor("value")));
        case "output" -> lowerOutput(op);
        default -> lowerOp(op, claims.of(op));
      }
    }
  }

  private void lowerOutput(Operation op) {
    String name = op.attributes().getString("name");
    int src = ids.get(op.operand(0));
    ProgramTensor t = tensors.get(src);
    if (t.kind() == ProgramTensor.Kind.ACTIVATION) {
      tensors.set(src, new ProgramTensor(name, t.type(), ProgramTensor.Kind.OUTPUT, t.layout(), 0, t.bytes(), null));
      return;
    }
    int dst = newTensor(name, t.type(), ProgramTensor.Kind.OUTPUT, null);
    add(new Command(COPY, OpClaim.HOST, Precision.FLOAT32, new int[] {src}, new int[] {dst}, new Attributes(), 0, name));
  }

  private static boolean quantized(ElementType e) {
    return e.isQuantized();
  }

  private void lowerOp(Operation op, OpClaim claim) {
    boolean touchesQuant = false;
    for (Value v : op.operands()) touchesQuant |= quantized(v.type().elementType());
    for (Value v : op.results()) touchesQuant |= quantized(v.type().elementType());
    Precision prec = claim.precision();
    if (prec == Precision.INT8 && !touchesQuant) prec = Precision.FLOAT32;
    // quantize/dequantize are the conversions themselves: they run as they are in any precision.
    boolean convert = touchesQuant && prec.isFloat() && !op.is("quantize") && !op.is("dequantize");
    String loc = op.location().describe();
    int[] in = new int[op.numOperands()];
    for (int i = 0; i < in.length; i++) {
      Value v = op.operand(i);
      in[i] = ids.get(v);
      if (convert && quantized(v.type().elementType())) {
        int f = newTensor(nameOf(v) + "/dequantized", v.type().withElementType(v.type().elementType().expressedType()), ProgramTensor.Kind.ACTIVATION, null);
        add(new Command("dequantize", claim.engine(), prec, new int[] {in[i]}, new int[] {f}, new Attributes(), 0, loc));
        in[i] = f;
      }
    }
    int[] out = new int[op.numResults()];
    List<int[]> requant = new ArrayList<>();
    for (int i = 0; i < out.length; i++) {
      Value r = op.result(i);
      int id = newTensor(nameOf(r), r.type(), ProgramTensor.Kind.ACTIVATION, null);
      ids.put(r, id);
      out[i] = id;
      if (convert && quantized(r.type().elementType())) {
        int f = newTensor(nameOf(r) + "/float", r.type().withElementType(r.type().elementType().expressedType()), ProgramTensor.Kind.ACTIVATION, null);
        requant.add(new int[] {f, id});
        out[i] = f;
      }
    }
    add(new Command(op.name(), claim.engine(), prec, in, out, new Attributes(op.attributes()), 0, loc));
    for (int[] q : requant) add(new Command("quantize", claim.engine(), prec, new int[] {q[0]}, new int[] {q[1]}, new Attributes(), 0, loc));
  }

  private void add(Command c) {
    TensorType[] in = new TensorType[c.inputs().length];
    for (int i = 0; i < in.length; i++) in[i] = tensors.get(c.inputs()[i]).type();
    TensorType[] out = new TensorType[c.outputs().length];
    for (int i = 0; i < out.length; i++) out[i] = tensors.get(c.outputs()[i]).type();
    long cycles = CostModel.cycles(spec, c.precision(), CostModel.macs(c.opcode(), in, out), CostModel.bytesMoved(in, out));
    commands.add(c.withCycles(cycles));
  }

  /**
   * (Re)plans arena offsets of {@code p} by liveness: a tensor lives from the command that writes
   * it (inputs from the start) to the last command that reads it (outputs to the end).
   */
  public static void planMemory(TargetProgram p, long alignment) {
    List<ProgramTensor> ts = p.tensors();
    int n = p.commands().size();
    int[] first = new int[ts.size()];
    int[] last = new int[ts.size()];
    java.util.Arrays.fill(first, Integer.MAX_VALUE);
    java.util.Arrays.fill(last, -1);
    for (int i = 0; i < ts.size(); i++) {
      if (ts.get(i).kind() == ProgramTensor.Kind.INPUT) first[i] = 0;
      if (ts.get(i).kind() == ProgramTensor.Kind.OUTPUT) last[i] = n;
    }
    for (int c = 0; c < n; c++) {
      Command cmd = p.commands().get(c);
      for (int id : cmd.inputs()) last[id] = Math.max(last[id], c);
      for (int id : cmd.outputs()) {
        first[id] = Math.min(first[id], c);
        last[id] = Math.max(last[id], c);
      }
    }
    List<MemoryPlanner.Buffer> buffers = new ArrayList<>();
    List<Integer> which = new ArrayList<>();
    for (int i = 0; i < ts.size(); i++) {
      if (!ts.get(i).inArena()) continue;
      int f = first[i] == Integer.MAX_VALUE ? 0 : first[i];
      buffers.add(new MemoryPlanner.Buffer(buffers.size(), ts.get(i).bytes(), f, Math.max(f, last[i])));
      which.add(i);
    }
    MemoryPlanner.Plan plan = MemoryPlanner.plan(buffers, alignment);
    for (int k = 0; k < which.size(); k++) ts.set(which.get(k), ts.get(which.get(k)).withOffset(plan.offsets()[k]));
    p.setMemoryPlan(plan.arenaBytes(), plan.lowerBound(), Math.max(1, alignment));
  }
}
