package org.npuc.driver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.npuc.diag.UserError;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;

/**
 * Runs a graph on user data with the reference interpreter. The first axis of every input file is
 * the batch: a file that matches the declared shape runs once; when the model's batch is fixed at
 * 1 and a file holds N samples, the model runs N times and the outputs are stacked. Inputs must
 * have the dtype the model declares (a quantized input takes its storage integers).
 */
public final class ModelRunner {
  private final Graph graph;
  private final Map<String, TensorType> inputTypes = new LinkedHashMap<>();

  public ModelRunner(Graph graph) {
    this.graph = graph;
    for (Operation in : graph.inputs()) inputTypes.put(in.attributes().getString("name", ""), in.result().type());
  }

  /** Input names in graph order. */
  public List<String> inputNames() {
    return new ArrayList<>(inputTypes.keySet());
  }

  /** Runs on {@code inputs} (by input name; {@code sources} name the files for messages). */
  public Map<String, Tensor> run(Map<String, Tensor> inputs, Map<String, String> sources) {
    for (String name : inputs.keySet()) {
      if (!inputTypes.containsKey(name)) {
        throw new UserError("the model has no input '" + name + "'; inputs: " + String.join(", ", inputTypes.keySet()));
      }
    }
    Map<String, Tensor> bound = new LinkedHashMap<>();
    int batches = -1; // number of runs when looping over a batch-1 model, else -1
    String batchSource = null;
    for (Map.Entry<String, TensorType> e : inputTypes.entrySet()) {
      String name = e.getKey();
      Tensor t = inputs.get(name);
      String src = sources.getOrDefault(name, name);
      if (t == null) throw new UserError("no data for input '" + name + "' (" + e.getValue().toText() + "); give --input " + name + "=FILE.npy");
      t = withDtype(t, e.getValue(), name, src);
      int n = loopCount(t, e.getValue(), name, src);
      if (n > 0) {
        if (batches > 0 && n != batches) {
          throw new UserError(src + " holds " + n + " samples but " + batchSource + " holds " + batches + "; give every input the same number");
        }
        batches = n;
        batchSource = src;
      }
      bound.put(name, t);
    }
    Interpreter interpreter = new Interpreter(graph);
    if (batches < 0) return interpreter.run(bound);
    List<Map<String, Tensor>> runs = new ArrayList<>(batches);
    for (int i = 0; i < batches; i++) {
      Map<String, Tensor> one = new LinkedHashMap<>();
      for (Map.Entry<String, Tensor> e : bound.entrySet()) {
        Tensor t = e.getValue();
        boolean looped = inputTypes.get(e.getKey()).dim(0) == 1 && t.dim(0) == batches;
        one.put(e.getKey(), looped ? Tensors.sample(t, i) : t);
      }
      runs.add(interpreter.run(one));
    }
    Map<String, Tensor> stacked = new LinkedHashMap<>();
    for (String out : runs.get(0).keySet()) {
      List<Tensor> parts = new ArrayList<>(batches);
      for (Map<String, Tensor> r : runs) parts.add(r.get(out));
      stacked.put(out, Tensors.stack(parts));
    }
    return stacked;
  }

  /** Views the file's data with the input's element type; a mismatch is a UserError. */
  private static Tensor withDtype(Tensor t, TensorType declared, String name, String src) {
    ElementType want = declared.elementType();
    ScalarType storage = want.storageType();
    if (storage.isFloat() && t.isFloat()) {
      return t.elementType() == want ? t : (want instanceof ScalarType s ? Tensor.ofFloats(t.shape(), s, t.floats()) : t.withElementType(want));
    }
    if (!storage.isFloat() && !t.isFloat() && t.elementType().storageType() == storage) {
      return t.elementType().equals(want) ? t : t.withElementType(want);
    }
    throw new UserError("input '" + name + "' is " + want.toText() + " (stored as " + storage.toText() + "), but " + src + " holds "
        + t.elementType().toText() + "; give a .npy of dtype " + npyName(storage));
  }

  /**
   * 0 when the file matches the declared shape (one run), N when the model's batch is 1 and the
   * file holds N samples of the right shape.
   */
  private static int loopCount(Tensor t, TensorType declared, String name, String src) {
    int[] want = declared.shape();
    int[] got = t.shape();
    boolean sameRank = want.length == got.length;
    boolean restMatches = sameRank;
    for (int d = 1; sameRank && d < want.length; d++) restMatches &= want[d] == TensorType.UNKNOWN || want[d] == got[d];
    if (restMatches && want.length > 0 && (want[0] == TensorType.UNKNOWN || want[0] == got[0])) return 0;
    if (restMatches && want.length > 0 && want[0] == 1) return got[0];
    if (sameRank && want.length == 0) return 0;
    throw new UserError("input '" + name + "' expects shape " + declared.toText() + " (the first axis is the batch), but " + src
        + " has shape " + java.util.Arrays.toString(got) + (restMatches ? "" : "; --input-shape " + name + "=... declares another shape"));
  }

  private static String npyName(ScalarType t) {
    return switch (t) {
      case F32, F16, F64 -> "float32";
      case I8 -> "int8";
      case U8 -> "uint8";
      case I16 -> "int16";
      case U16 -> "uint16";
      case I32 -> "int32";
      case I64 -> "int64";
      case BOOL -> "bool";
    };
  }
}
