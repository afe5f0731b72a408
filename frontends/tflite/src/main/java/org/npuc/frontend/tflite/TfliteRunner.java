package org.npuc.frontend.tflite;

import java.util.Map;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;

/**
 * Runs a single-input, single-output graph once per row of a batch (TFLite models fix batch 1 in
 * their shapes) and stacks the outputs: the form the stored reference outputs come in.
 */
public final class TfliteRunner {
  private TfliteRunner() {}

  public static Tensor runBatch(Graph g, Tensor batch) {
    Operation input = g.inputs().get(0);
    String inName = input.attributes().getString("name");
    int[] inShape = input.result().type().shape();
    int per = 1;
    for (int d = 1; d < inShape.length; d++) per *= inShape[d];
    int n = batch.size() / per;
    Interpreter interp = new Interpreter(g);
    int[] outData = null;
    int[] outShape = null;
    int outPer = 0;
    for (int i = 0; i < n; i++) {
      int[] row = new int[per];
      System.arraycopy(batch.ints(), i * per, row, 0, per);
      int[] shape = inShape.clone();
      shape[0] = 1;
      Map<String, Tensor> out = interp.run(Map.of(inName, Tensor.ofInts(shape, batch.elementType(), row)));
      Tensor o = out.values().iterator().next();
      if (outData == null) {
        outPer = o.size();
        outData = new int[n * outPer];
        outShape = o.shape();
        outShape[0] = n;
      }
      System.arraycopy(o.ints(), 0, outData, i * outPer, outPer);
    }
    return Tensor.ofInts(outShape, org.npuc.ir.type.ScalarType.I32, outData);
  }
}
