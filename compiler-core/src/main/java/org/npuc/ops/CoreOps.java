package org.npuc.ops;

import java.util.List;
import org.npuc.interp.QuantizedKernels;
import org.npuc.ir.OpDefinition;
import org.npuc.ir.OpRegistry;

/** The catalog of core op definitions (see docs/ops.md), registered into a registry. */
public final class CoreOps {
  private CoreOps() {}

  /** Every core op definition, boundary ops first. */
  public static List<OpDefinition> all() {
    java.util.ArrayList<OpDefinition> r = new java.util.ArrayList<>();
    r.add(BoundaryOps.INPUT);
    r.add(BoundaryOps.OUTPUT);
    r.add(BoundaryOps.CONSTANT);
    r.add(new Conv2dOp());
    r.add(new Deconv2dOp());
    r.add(new MatmulOp());
    r.add(new BiasAddOp());
    r.addAll(BinaryElementwiseOps.all());
    r.addAll(UnaryOps.all());
    r.add(new PreluOp());
    r.add(new SoftmaxOp());
    r.addAll(PoolOps.all());
    r.addAll(ReduceOps.all());
    r.add(new LrnOp());
    r.add(new BatchNormOp());
    r.add(new ScaleOp());
    r.add(new ConcatOp());
    r.add(new SplitOp());
    r.add(new SliceOp());
    r.addAll(ReshapeOps.all());
    r.add(new TransposeOp());
    r.add(new PadOp());
    r.add(new ResizeOp());
    r.add(new CastOp());
    r.add(new FakeQuantOp());
    r.addAll(QuantizeOps.all());
    return r;
  }

  public static void registerAll(OpRegistry registry) {
    for (OpDefinition d : all()) registry.register(d);
    // quantize/dequantize touch quantized types, so the interpreter runs them from the integer
    // kernel table; their reference kernel is the op's own (kept if a catalog registered one).
    if (QuantizedKernels.lookup("quantize") == null) QuantizedKernels.register("quantize", QuantizeOps.QUANTIZE::evaluate);
    if (QuantizedKernels.lookup("dequantize") == null) QuantizedKernels.register("dequantize", QuantizeOps.DEQUANTIZE::evaluate);
  }
}
