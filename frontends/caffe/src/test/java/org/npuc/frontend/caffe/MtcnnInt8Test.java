package org.npuc.frontend.caffe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.npuc.ir.Graph;
import org.npuc.pass.PassContext;
import org.npuc.pass.PassManager;
import org.npuc.quant.calib.CalibrationTable;
import org.npuc.quant.calib.ThresholdMethods;
import org.npuc.quant.lower.LayerCompare;
import org.npuc.quant.lower.Preprocess;
import org.npuc.quant.lower.QuantizeFlow;
import org.npuc.quant.lower.QuantizeOptions;
import org.npuc.quant.lower.SampleSet;
import org.npuc.testing.Models;

/**
 * MTCNN P/R/O-Net fully in int8 (PReLU by the integer prelu kernel) on real crops of test1.jpg: 100
 * windows on a 10×10 grid, with the demo's preprocessing ((x-127.5)/128, RGB, H and W transposed),
 * calibrated with {@code percentile} on the same crops, as {@code npuc compare} does it. Every output
 * must reach cosine 0.99 against float; the per-layer table is printed.
 */
class MtcnnInt8Test {
  @Test
  void detectorsStayAbove099() {
    Preprocess pre = Preprocess.parse("tiles=10;mean=127.5;scale=0.0078125;order=rgb;layout=nchw;transpose_hw=true", "test");
    for (String net : List.of("det1", "det2", "det3")) {
      Graph g = CaffeTesting.importNet(Models.require("caffe/mtcnn/" + net + ".prototxt"), Models.require("caffe/mtcnn/" + net + ".caffemodel"), Map.of());
      PassManager.parse("optimize,import_qat_ranges", PassContext.global()).run(g);
      SampleSet crops = SampleSet.load(g, List.of(Models.require("caffe/mtcnn/test1.jpg").toString()), pre);
      CalibrationTable t = QuantizeFlow.table(g, crops, 1, ThresholdMethods.parse("percentile"));
      QuantizeFlow.Lowered lowered = QuantizeFlow.lower(g, t, new QuantizeOptions());
      assertTrue(lowered.result().floatOps().isEmpty(), net + ": " + lowered.result().floatOps().values());
      Graph q = lowered.graph();
      LayerCompare cmp = new LayerCompare(g, q);
      for (int i = 0; i < crops.size(); i++) cmp.add(crops.batch(i, i + 1));
      System.out.println(net + " (" + crops.size() + " crops of test1.jpg):");
      for (LayerCompare.Row r : cmp.rows()) {
        System.out.printf("  %-10s %-10s %-5s cos %.6f sqnr %6.2f dB max err %.5f%s%n", r.name(), r.op(), r.quantized() ? "int8" : "float", r.cosine(), r.sqnrDb(), r.maxAbsError(), r.isOutput() ? " (output)" : "");
        if (r.isOutput()) assertTrue(r.cosine() >= 0.99, net + " output " + r.name() + " cosine " + r.cosine());
      }
    }
  }
}
