package org.npuc.target.lower;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.npuc.diag.UserError;
import org.npuc.ir.Attributes;
import org.npuc.ir.Graph;
import org.npuc.ir.Half;
import org.npuc.ir.IrException;
import org.npuc.ir.Location;
import org.npuc.ir.OpDefinition;
import org.npuc.ir.OpRegistry;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.QuantizedType;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;
import org.npuc.interp.QuantizedKernel;
import org.npuc.interp.QuantizedKernels;
import org.npuc.spi.Command;
import org.npuc.spi.Precision;
import org.npuc.spi.ProgramTensor;
import org.npuc.spi.Simulation;
import org.npuc.spi.TargetProgram;

/**
 * Executes a target program the way a device would: activations live in one byte arena at their
 * planned offsets (so a wrong memory plan corrupts results), weights are decoded from the binary's
 * layout, and each command runs the reference kernel of its opcode: the integer kernel when it
 * touches quantized types, the float kernel otherwise (float16 commands round their results to
 * half precision). Targets add kernels for their own opcodes. A batch of N on a program compiled
 * for batch 1 runs sample by sample.
 */
public final class ReferenceExecutor {
  private final TargetProgram program;
  private final Map<String, CommandKernel> kernels;
  private final OpRegistry registry = OpRegistry.global();

  public ReferenceExecutor(TargetProgram program, Map<String, CommandKernel> targetKernels) {
    this.program = program;
    this.kernels = new HashMap<>(targetKernels);
  }

  public static Simulation run(TargetProgram program, Map<String, Tensor> inputs) {
    return new ReferenceExecutor(program, Map.of()).run(inputs);
  }

  public Simulation run(Map<String, Tensor> inputs) {
    List<Integer> inIds = program.inputIds();
    Map<String, Integer> byName = new LinkedHashMap<>();
    for (int id : inIds) byName.put(program.tensor(id).name(), id);
    List<String> problems = new ArrayList<>();
    for (String n : inputs.keySet()) if (!byName.containsKey(n)) problems.add("unknown input '" + n + "'");
    for (String n : byName.keySet()) if (!inputs.containsKey(n)) problems.add("missing input '" + n + "'");
    if (!problems.isEmpty()) throw new UserError(String.join("; ", problems) + "; the binary's inputs: " + describe(byName));
    int batch = -1;
    for (Map.Entry<String, Integer> e : byName.entrySet()) {
      TensorType want = program.tensor(e.getValue()).type();
      Tensor t = inputs.get(e.getKey());
      int b = check(e.getKey(), want, t);
      if (batch >= 0 && b != batch) throw new UserError("inputs have different batch sizes (" + batch + " and " + b + ")");
      batch = b;
    }
    long cycles = 0;
    List<Map<String, Tensor>> perSample = new ArrayList<>();
    int samples = Math.max(1, batch);
    for (int s = 0; s < samples; s++) {
      Map<String, Tensor> one = new LinkedHashMap<>();
      for (Map.Entry<String, Integer> e : byName.entrySet()) {
        Tensor t = inputs.get(e.getKey());
        one.put(e.getKey(), batch > 1 ? slice(t, s) : t);
      }
      perSample.add(once(one, byName));
      cycles += program.totalCycles();
    }
    Map<String, Tensor> outs = new LinkedHashMap<>();
    for (String name : perSample.get(0).keySet()) {
      List<Tensor> parts = new ArrayList<>();
      for (Map<String, Tensor> m : perSample) parts.add(m.get(name));
      outs.put(name, parts.size() == 1 ? parts.get(0) : concat(parts));
    }
    return new Simulation(outs, cycles, program.arenaBytes(), program.weightBytes());
  }

  private static String describe(Map<String, Integer> byName) {
    return String.join(", ", byName.keySet());
  }

  /** Checks one input and returns its batch (dim 0) when it differs from a declared 1, else -1. */
  private static int check(String name, TensorType want, Tensor t) {
    boolean okType = t.elementType().equals(want.elementType())
        || (want.elementType() instanceof QuantizedType && want.elementType().storageType() == t.elementType());
    if (!okType) throw new UserError("input '" + name + "': expected element type " + want.elementType().toText() + ", got " + t.elementType().toText());
    if (t.rank() != want.rank()) throw new UserError("input '" + name + "': expected " + want.toText() + ", got " + t.type().toText());
    for (int i = 1; i < t.rank(); i++) {
      if (t.dim(i) != want.dim(i)) throw new UserError("input '" + name + "': expected " + want.toText() + ", got " + t.type().toText());
    }
    if (t.rank() > 0 && t.dim(0) != want.dim(0)) {
      if (want.dim(0) != 1) throw new UserError("input '" + name + "': expected batch " + want.dim(0) + " (" + want.toText() + "), got " + t.type().toText());
      return t.dim(0);
    }
    return -1;
  }

  private Map<String, Tensor> once(Map<String, Tensor> inputs, Map<String, Integer> byName) {
    byte[] arena = new byte[Math.toIntExact(program.arenaBytes())];
    for (Map.Entry<String, Integer> e : byName.entrySet()) {
      ProgramTensor pt = program.tensor(e.getValue());
      Tensor t = inputs.get(e.getKey()).withElementType(pt.type().elementType());
      byte[] b = Layouts.encode(t, pt.layout());
      System.arraycopy(b, 0, arena, (int) pt.offset(), b.length);
    }
    Graph scratch = new Graph("simulator");
    Map<Integer, Tensor> constants = new HashMap<>();
    for (Command c : program.commands()) {
      Tensor[] args = new Tensor[c.inputs().length];
      List<Value> operands = new ArrayList<>();
      for (int k = 0; k < args.length; k++) {
        int id = c.inputs()[k];
        ProgramTensor pt = program.tensor(id);
        if (pt.kind() == ProgramTensor.Kind.CONSTANT) {
          args[k] = constants.computeIfAbsent(id, x -> Layouts.decode(pt.data(), 0, pt.type(), pt.layout()));
        } else {
          args[k] = Layouts.decode(arena, pt.offset(), pt.type(), pt.layout());
        }
        operands.add(scratch.append("placeholder", List.of(), new Attributes(), List.of(pt.type()), Location.UNKNOWN).result());
      }
      List<TensorType> resultTypes = new ArrayList<>();
      for (int id : c.outputs()) resultTypes.add(program.tensor(id).type());
      Operation op = scratch.append(baseOpcode(c), operands, c.attributes(), resultTypes, Location.of(c.location()));
      Tensor[] results = execute(c, op, args);
      if (results.length != c.outputs().length) throw new IllegalStateException(c.opcode() + " returned " + results.length + " results");
      for (int k = 0; k < results.length; k++) {
        ProgramTensor pt = program.tensor(c.outputs()[k]);
        Tensor r = results[k];
        if (!java.util.Arrays.equals(r.shape(), pt.type().shape())) {
          throw new UserError("command " + c.opcode() + " at " + c.location() + " produced " + r.type().toText() + ", the binary declares " + pt.type().toText());
        }
        if (c.precision() == Precision.FLOAT16 && r.elementType() == ScalarType.F32) r = toHalf(r);
        byte[] b = Layouts.encode(r.elementType().equals(pt.type().elementType()) ? r : r.withElementType(pt.type().elementType()), pt.layout());
        System.arraycopy(b, 0, arena, (int) pt.offset(), b.length);
      }
      scratch.erase(op);
      for (Value v : operands) scratch.erase(v.definingOp());
    }
    Map<String, Tensor> outs = new LinkedHashMap<>();
    for (int id : program.outputIds()) {
      ProgramTensor pt = program.tensor(id);
      outs.put(pt.name(), Layouts.decode(arena, pt.offset(), pt.type(), pt.layout()));
    }
    return outs;
  }

  private static String baseOpcode(Command c) {
    return c.opcode();
  }

  private Tensor[] execute(Command c, Operation op, Tensor[] args) {
    if (c.opcode().equals(ProgramBuilder.COPY)) return new Tensor[] {args[0]};
    CommandKernel k = kernels.get(c.opcode());
    if (k != null) return k.run(c, op, args);
    OpDefinition def = registry.lookup(c.opcode());
    if (def == null) throw new UserError("the simulator has no kernel for opcode '" + c.opcode() + "' at " + c.location());
    try {
      if (touchesQuantized(op)) {
        QuantizedKernel qk = QuantizedKernels.lookup(c.opcode());
        if (qk == null) throw new UserError("no integer kernel for '" + c.opcode() + "' at " + c.location() + "; ops with integer kernels: " + String.join(", ", QuantizedKernels.names()));
        return qk.evaluate(op, args);
      }
      return def.evaluate(op, args);
    } catch (IrException e) {
      throw new UserError("cannot run " + c.opcode() + " at " + c.location() + ": " + e.getMessage(), e);
    }
  }

  private static boolean touchesQuantized(Operation op) {
    for (Value v : op.operands()) if (v.type().elementType().isQuantized()) return true;
    for (Value v : op.results()) if (v.type().elementType().isQuantized()) return true;
    return false;
  }

  private static Tensor toHalf(Tensor t) {
    float[] f = t.floats().clone();
    for (int i = 0; i < f.length; i++) f[i] = Half.toFloat(Half.fromFloat(f[i]));
    return Tensor.ofFloats(t.shape(), f);
  }

  private static Tensor slice(Tensor t, int s) {
    int[] shape = t.shape().clone();
    int per = Math.toIntExact(Tensor.count(shape) / shape[0]);
    shape[0] = 1;
    if (t.elementType().storageType().isFloat()) {
      float[] f = new float[per];
      System.arraycopy(t.floats(), s * per, f, 0, per);
      return Tensor.ofFloats(shape, (ScalarType) t.elementType().storageType(), f).withElementType(t.elementType());
    }
    int[] v = new int[per];
    System.arraycopy(t.ints(), s * per, v, 0, per);
    return Tensor.ofInts(shape, t.elementType(), v);
  }

  private static Tensor concat(List<Tensor> parts) {
    Tensor p0 = parts.get(0);
    int[] shape = p0.shape().clone();
    shape[0] = parts.size() * (shape.length > 0 ? shape[0] : 1);
    int per = p0.size();
    if (p0.elementType().storageType().isFloat()) {
      float[] f = new float[per * parts.size()];
      for (int i = 0; i < parts.size(); i++) System.arraycopy(parts.get(i).floats(), 0, f, i * per, per);
      return Tensor.ofFloats(shape, (ScalarType) p0.elementType().storageType(), f).withElementType(p0.elementType());
    }
    int[] v = new int[per * parts.size()];
    for (int i = 0; i < parts.size(); i++) System.arraycopy(parts.get(i).ints(), 0, v, i * per, per);
    return Tensor.ofInts(shape, p0.elementType(), v);
  }
}
