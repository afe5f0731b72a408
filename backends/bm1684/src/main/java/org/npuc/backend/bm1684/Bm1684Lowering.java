package org.npuc.backend.bm1684;

import java.util.ArrayList;
import java.util.List;
import org.npuc.diag.UserError;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.quant.ConvRequant;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;
import org.npuc.ir.type.UniformQuantType;
import org.npuc.spi.Command;
import org.npuc.spi.Precision;
import org.npuc.spi.ProgramTensor;
import org.npuc.spi.TargetProgram;
import org.npuc.spi.TargetSpec;
import org.npuc.target.lower.Layouts;
import org.npuc.target.lower.ProgramBuilder;

/**
 * Rewrites the default program for the BM1684-like NPU: every convolution gets a tile plan that
 * fits the spec's local memory (attribute {@code tiles}, flat {@code [oc0, oc1, oy0, oy1, ...]})
 * and estimated cycles from the tiles; int8 convolutions become {@code conv2d.tiled} or, for 3x3
 * stride-1 ones with the {@code winograd} feature on where the cost model finds it cheaper, {@code
 * conv2d.winograd}, whose weights are
 * replaced in the weights blob by the transformed {@code i16 [O, C, 4, 4]} matrices; their
 * requantization parameters travel in the command ({@link ConvRequant}).
 */
final class Bm1684Lowering {
  static final String TILED = "conv2d.tiled";
  static final String WINOGRAD = "conv2d.winograd";

  private Bm1684Lowering() {}

  static TargetProgram rewrite(TargetProgram p, TargetSpec spec) {
    org.npuc.target.lower.FloatFallbackConstants.fold(p);
    TargetSpec.Memory mem = spec.memory();
    TargetSpec.Cost c = spec.cost();
    CostModel cost = new CostModel((int) Math.max(1, c.macsPerCycleInt8()), (int) Math.max(1, c.macsPerCycleFloat()), (int) Math.max(1, c.dmaBytesPerCycle()), c.clockMhz());
    boolean winogradOn = spec.feature("winograd");
    long capacity = mem.localBytes() > 0 ? mem.localBytes() : Long.MAX_VALUE / 4;
    int alignment = (int) Math.max(1, mem.alignment());
    int[] uses = new int[p.tensors().size()];
    for (Command cmd : p.commands()) for (int id : cmd.inputs()) uses[id]++;
    List<Command> out = new ArrayList<>();
    for (Command cmd : p.commands()) {
      if (!cmd.opcode().equals("conv2d")) {
        out.add(cmd);
        continue;
      }
      ProgramTensor x = p.tensor(cmd.inputs()[0]);
      ProgramTensor w = p.tensor(cmd.inputs()[1]);
      ProgramTensor y = p.tensor(cmd.outputs()[0]);
      DirectConv.Geometry g = geometry(x.type(), w.type(), cmd.attributes());
      boolean int8 = cmd.precision() == Precision.INT8 && w.kind() == ProgramTensor.Kind.CONSTANT && x.type().elementType() instanceof UniformQuantType;
      boolean wino = int8 && winogradOn && WinogradF23.applies(g.kh(), g.kw(), g.strides(), g.dilations(), g.group());
      ConvTiler.Precision prec = int8 ? ConvTiler.Precision.INT8 : ConvTiler.Precision.FLOAT;
      ConvTiler.Plan plan = plan(g, capacity, alignment, false, prec, cmd, spec);
      long cycles = cost.convCycles(g, plan, false, int8);
      Attributes a = new Attributes(cmd.attributes());
      if (wino) {
        // Winograd where the cost model says it pays: its weights cost more DMA than it saves on
        // very small layers.
        ConvTiler.Plan wplan = plan(g, capacity, alignment, true, prec, cmd, spec);
        long wcycles = cost.convCycles(g, wplan, true, int8);
        if (wcycles < cycles) {
          plan = wplan;
          cycles = wcycles;
        } else {
          wino = false;
          a.set("winograd_declined", "direct " + cycles + " cycles <= winograd " + wcycles);
        }
      }
      long[] tiles = new long[plan.count() * 4];
      for (int i = 0; i < plan.count(); i++) {
        ConvTiler.Tile t = plan.tiles().get(i);
        tiles[4 * i] = t.oc0();
        tiles[4 * i + 1] = t.oc1();
        tiles[4 * i + 2] = t.oy0();
        tiles[4 * i + 3] = t.oy1();
      }
      a.set("tiles", tiles).set("tile_bytes_max", plan.largestTileBytes());
      if (!int8) {
        out.add(new Command(cmd.opcode(), cmd.engine(), cmd.precision(), cmd.inputs(), cmd.outputs(), a, cycles, cmd.location()));
        continue;
      }
      ConvRequant.of((UniformQuantType) x.type().elementType(), w.type().elementType(), g.o(), (UniformQuantType) y.type().elementType(), cmd.attributes()).writeTo(a);
      int[] inputs = cmd.inputs();
      String opcode = TILED;
      if (wino) {
        opcode = WINOGRAD;
        int[] wc = centeredWeights(w);
        int[] u = WinogradF23.transformWeights(wc, g.o(), g.c());
        TensorType ut = new TensorType(new int[] {g.o(), g.c(), 4, 4}, ScalarType.I16);
        ProgramTensor ut16 = new ProgramTensor(w.name() + "/winograd", ut, ProgramTensor.Kind.CONSTANT, "row-major", 0, Layouts.bytes(ut, "row-major"), Layouts.encode(Tensor.ofInts(ut.shape(), ScalarType.I16, u), "row-major"));
        int wid = inputs[1];
        if (uses[wid] == 1) {
          p.tensors().set(wid, ut16);
        } else {
          p.tensors().add(ut16);
          inputs = inputs.clone();
          inputs[1] = p.tensors().size() - 1;
        }
      }
      out.add(new Command(opcode, cmd.engine(), cmd.precision(), inputs, cmd.outputs(), a, cycles, cmd.location()));
    }
    p.commands().clear();
    p.commands().addAll(out);
    ProgramBuilder.planMemory(p, spec.memory().alignment());
    return p;
  }

  private static ConvTiler.Plan plan(DirectConv.Geometry g, long capacity, int alignment, boolean wino, ConvTiler.Precision p, Command cmd, TargetSpec spec) {
    try {
      return ConvTiler.plan(g, capacity, alignment, wino, p);
    } catch (ConvTiler.DoesNotFit e) {
      throw new UserError("convolution " + cmd.location() + " does not fit " + spec.name() + ": " + e.getMessage() + "; use a spec with more local memory (memory.local_bytes)");
    }
  }

  static DirectConv.Geometry geometry(TensorType x, TensorType w, Attributes a) {
    int[] xs = x.shape();
    int[] ws = w.shape();
    return new DirectConv.Geometry(
        xs[1],
        xs[2],
        xs[3],
        ws[0],
        ws[2],
        ws[3],
        a.getInt("group", 1),
        a.getInts("strides", new int[] {1, 1}),
        a.getInts("dilations", new int[] {1, 1}),
        a.getInts("pads", new int[] {0, 0, 0, 0}));
  }

  /** The weight constant's stored integers minus their zero points. */
  static int[] centeredWeights(ProgramTensor w) {
    Tensor t = Layouts.decode(w.data(), 0, w.type(), w.layout());
    int[] v = t.ints().clone();
    int o = w.type().dim(0);
    int per = v.length / o;
    for (int c = 0; c < o; c++) {
      int zp = weightZeroPoint(w.type(), c);
      for (int i = 0; i < per; i++) v[c * per + i] -= zp;
    }
    return v;
  }

  static int weightZeroPoint(TensorType w, int channel) {
    if (w.elementType() instanceof UniformQuantType u) return (int) u.zeroPoint();
    if (w.elementType() instanceof org.npuc.ir.type.UniformPerAxisType p) return (int) p.zeroPoint(channel);
    return 0;
  }
}
