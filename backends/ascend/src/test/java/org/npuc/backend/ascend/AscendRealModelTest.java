package org.npuc.backend.ascend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Attributes;
import org.npuc.ir.Graph;
import org.npuc.ir.Location;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.spi.Command;
import org.npuc.spi.Precision;
import org.npuc.spi.ProgramTensor;
import org.npuc.spi.TargetProgram;
import org.npuc.target.TargetCompiler;
import org.npuc.target.lower.Layouts;
import org.npuc.testing.BackendConformance;
import org.npuc.testing.QuantizedRealModels;

/**
 * The done-when checks of ascend on LeNet and MTCNN det1/det2/det3 quantized on real data: the
 * Cin=3 convolution of det1 is warned about, kept in float16 and listed in the report; every
 * layer both run in int8 gives, from the same int8 input and the weights as stored in the binary
 * (fractal Z), the integer reference's output bit for bit; the whole network stays close to the
 * float model (cosine printed).
 */
class AscendRealModelTest {
  private final AscendBackend backend = new AscendBackend();

  /** Checks every int8 cube command against the reference values; returns how many were checked. */
  static int perLayerInt8(Graph q, TargetProgram p, List<Map<String, Tensor>> inputs) {
    int checked = 0;
    for (Map<String, Tensor> in : inputs) {
      Map<Value, Tensor> all = new Interpreter(q).runAll(in);
      for (Command c : p.commands()) {
        if (c.precision() != Precision.INT8 || !(c.opcode().equals("conv2d") || c.opcode().equals("matmul"))) continue;
        Operation op = null;
        for (Operation o : q.ops()) if (o.name().equals(c.opcode()) && o.location().describe().equals(c.location())) op = o;
        assertTrue(op != null, "no graph op for command at " + c.location());
        Graph scratch = new Graph("check");
        List<Value> operands = new ArrayList<>();
        Tensor[] args = new Tensor[c.inputs().length];
        for (int k = 0; k < args.length; k++) {
          ProgramTensor t = p.tensor(c.inputs()[k]);
          // Input activations from the reference; weights and bias as the binary stores them.
          args[k] = t.kind() == ProgramTensor.Kind.CONSTANT ? Layouts.decode(t.data(), 0, t.type(), t.layout()) : all.get(op.operand(k));
          operands.add(scratch.append("placeholder", List.of(), new Attributes(), List.of(t.type()), Location.UNKNOWN).result());
        }
        Operation sop = scratch.append(c.opcode(), operands, c.attributes(), List.of(op.result(0).type()), Location.of(c.location()));
        Tensor got = AscendKernels.cubeInt8(c, sop, args);
        assertArrayEquals(all.get(op.result(0)).ints(), got.ints(), "int8 layer " + c.location() + " differs from the integer reference");
        checked++;
      }
    }
    return checked;
  }

  private TargetCompiler.Result check(QuantizedRealModels.Model m, String specText) {
    TargetCompiler.Result r = AscendTesting.compile(m.quantized(), specText == null ? AscendTesting.spec("ascend") : AscendTesting.specFromText("ascend-variant", specText));
    int layers = perLayerInt8(m.quantized(), r.image().program(), m.heldOut());
    Interpreter flt = new Interpreter(m.floatGraph());
    double minCos = 1;
    for (Map<String, Tensor> in : m.heldOut()) {
      Map<String, Tensor> got = backend.simulate(r.image(), in).outputs();
      for (Map.Entry<String, Tensor> e : flt.run(in).entrySet()) minCos = Math.min(minCos, BackendConformance.cosine(e.getValue().floats(), got.get(e.getKey()).toFloat().floats()));
    }
    long int8 = r.claims().all().stream().filter(c -> c.precision() == Precision.INT8 && !c.op().is("quantize") && !c.op().is("dequantize")).count();
    long fp16 = r.claims().all().stream().filter(c -> c.precision() == Precision.FLOAT16).count();
    System.out.printf("%s on ascend%s: %d int8 ops, %d float16 ops; %d int8 layer runs bit-exact with the integer reference; min cosine to float %.5f; %d cycles%n",
        m.name(), specText == null ? "" : " (forced int8)", int8, fp16, layers, minCos, r.image().program().totalCycles());
    assertTrue(layers > 0, m.name() + ": no int8 layer checked");
    assertTrue(minCos > 0.95, m.name() + " cosine " + minCos);
    return r;
  }

  @Test
  void lenet() {
    QuantizedRealModels.Model m = QuantizedRealModels.lenet(AscendTesting.spec("ascend"));
    TargetCompiler.Result r = check(m, null);
    assertTrue(r.warnings().stream().anyMatch(w -> w.contains("'conv1'") && w.contains("Cin=1")), r.warnings().toString());
    check(m, "name: ascend-variant\nextends: ascend\noptions:\n  force_int8_small_cin: true\n");
  }

  @Test
  void mtcnnDet1WarnsAboutTheCin3ConvolutionAndKeepsItInFloat16() {
    QuantizedRealModels.Model m = QuantizedRealModels.mtcnn("det1", AscendTesting.spec("ascend"));
    TargetCompiler.Result r = check(m, null);
    System.out.print(r.summary());
    assertTrue(r.warnings().stream().anyMatch(w -> w.contains("'conv1'") && w.contains("Cin=3") && w.contains("float16")), r.warnings().toString());
    assertTrue(r.summary().contains("conv1") && r.summary().contains("Cin=3"), r.summary());
    long conv1Half = r.image().program().commands().stream().filter(c -> c.opcode().equals("conv2d") && c.location().contains("conv1") && c.precision() == Precision.FLOAT16).count();
    assertEquals(1, conv1Half);
    // PReLU has no AMCT int8 form: float16 on the AI core.
    assertTrue(r.claims().all().stream().filter(c -> c.op().is("prelu")).allMatch(c -> c.precision() == Precision.FLOAT16));
  }

  @Test
  void mtcnnDet2AndDet3() {
    for (String net : List.of("det2", "det3")) check(QuantizedRealModels.mtcnn(net, AscendTesting.spec("ascend")), null);
  }
}
