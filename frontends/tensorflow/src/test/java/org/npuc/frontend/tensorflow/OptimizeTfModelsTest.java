package org.npuc.frontend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.npuc.frontend.tensorflow.GraphDefBuilder.in;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.spi.ImportOptions;
import org.npuc.testing.Models;
import org.npuc.testing.OptimizeCheck;

/**
 * The {@code optimize} pipeline on every float TensorFlow model in shared/models: outputs within
 * 1e-5 (relative to the largest output) of the unoptimized graph, op counts printed.
 */
class OptimizeTfModelsTest {
  private static OptimizeCheck.Result check(String name, Graph g, int seeds) {
    OptimizeCheck.Result r = OptimizeCheck.run(g, "optimize", seeds, -1f, 1f);
    System.out.println(r.summary(name));
    for (String line : r.statistics().split("\n")) if (line.matches("\\s+[1-9].*")) System.out.println(line);
    assertTrue(r.opsAfter() <= r.opsBefore(), name);
    return r;
  }

  private static float[] random(Random r, int n, float lo, float hi) {
    float[] d = new float[n];
    for (int i = 0; i < n; i++) d[i] = lo + (hi - lo) * r.nextFloat();
    return d;
  }

  /**
   * TF's batch-norm forms through the real frontend: FusedBatchNormV3 after a Conv2D, the unfused
   * Mul/Add form after a depthwise conv, and the Sub/Rsqrt chain before a Relu6, all folded.
   */
  @Test
  void tensorflowBatchNormForms(@TempDir Path dir) {
    Random r = new Random(3);
    int[] c4 = {4};
    GraphDefBuilder b = new GraphDefBuilder().placeholder("x", 1, 6, 6, 3)
        .constF("w", new int[] {3, 3, 3, 4}, random(r, 108, -1, 1))
        .op("conv", "Conv2D", in("x", "w"), "strides", new int[] {1, 1, 1, 1}, "padding", "SAME")
        .constF("gamma", c4, random(r, 4, -2, 2)).constF("beta", c4, random(r, 4, -1, 1))
        .constF("mean", c4, random(r, 4, -1, 1)).constF("var", c4, random(r, 4, 0.5f, 2))
        .op("bn", "FusedBatchNormV3", in("conv", "gamma", "beta", "mean", "var"), "epsilon", 0.001f, "is_training", false)
        .constF("dw", new int[] {3, 3, 4, 1}, random(r, 36, -1, 1))
        .op("dconv", "DepthwiseConv2dNative", in("bn", "dw"), "strides", new int[] {1, 1, 1, 1}, "padding", "VALID")
        .constF("k", c4, random(r, 4, -2, 2)).op("mul", "Mul", in("dconv", "k"))
        .constF("a", c4, random(r, 4, -1, 1)).op("add", "AddV2", in("mul", "a"))
        .constF("w2", new int[] {1, 1, 4, 2}, random(r, 8, -1, 1))
        .op("conv2", "Conv2D", in("add", "w2"), "strides", new int[] {1, 1, 1, 1}, "padding", "VALID")
        .constF("m2", new int[] {2}, random(r, 2, -1, 1)).op("centered", "Sub", in("conv2", "m2"))
        .constF("v2", new int[] {2}, random(r, 2, 0.5f, 2)).constF("eps", new int[0], 0.001f)
        .op("ve", "AddV2", in("v2", "eps")).op("inv", "Rsqrt", in("ve"))
        .op("norm", "Mul", in("centered", "inv"))
        .op("y", "Relu6", in("norm"));
    Graph g = b.importGraph(dir, "y");
    OptimizeCheck.Result res = check("TF BatchNorm forms", g, 2);
    assertEquals(0, res.countsAfter().getOrDefault("batch_norm", 0) + res.countsAfter().getOrDefault("mul", 0)
        + res.countsAfter().getOrDefault("add", 0) + res.countsAfter().getOrDefault("sub", 0) + res.countsAfter().getOrDefault("relu6", 0),
        res.countsAfter().toString());
    assertEquals(3, res.countsAfter().get("conv2d"));
  }

  @Test
  void mnistGraphs() {
    for (String m : new String[] {"fc-layers", "mnist", "ae0"}) {
      check("tf/mnist/" + m + ".pb", TfTesting.load(Models.require("tf/mnist/" + m + ".pb")), 3);
    }
  }

  @Test
  void speechCommandsAfterMfcc() {
    ImportOptions o = new ImportOptions(Models.require("tf/mnist/conv_actions_frozen.pb"));
    o.inputs().add("Mfcc:1,99,40");
    o.outputs().add("labels_softmax");
    check("tf/mnist/conv_actions_frozen.pb", TfTesting.load(o), 2);
  }

  @Test
  void tfjsModels() {
    for (String m : new String[] {"emotion", "selfie", "mobileface"}) {
      check("tfjs/" + m, TfTesting.load(Models.require("tfjs/" + m + "/model.json")), 1);
    }
  }

  @Test
  void qatGraphsKeepFakeQuantOnTheFusedOutputs() {
    for (String f : new String[] {"conv_2d", "fake_quant_per_channel", "fake_quant_without_identity", "back2back_fake_quant"}) {
      Graph g = check("tf/qat/" + f, TfTesting.load(Models.require("tf/qat/" + f + ".pbtxt")), 2).optimized();
      for (Operation op : g) {
        assertFalse(op.is("relu") || op.is("relu6") || op.is("bias_add"), f + ": " + op + " left unfused");
        if (op.is("fake_quant") && !op.operand(0).isConstant() && !op.operand(0).definingOp().is("input")) {
          Operation producer = op.operand(0).definingOp();
          assertTrue(producer.is("fake_quant") || producer.is("matmul") || producer.is("conv2d") || producer.is("reshape"),
              f + ": fake_quant reads " + producer);
        }
      }
    }
    // back2back: each dense layer's relu is the matmul's act, and its output fake_quant reads the matmul.
    Graph g = OptimizeCheck.run(TfTesting.load(Models.require("tf/qat/back2back_fake_quant.pbtxt")), "optimize", 1, -1f, 1f).optimized();
    int relu = 0;
    for (Operation op : g) {
      if (op.is("matmul") && op.attributes().getString("act", "none").equals("relu")) {
        relu++;
        assertEquals(1, op.result().numUses());
        assertTrue(op.result().users().get(0).is("fake_quant"));
      }
    }
    assertEquals(2, relu);
  }
}
