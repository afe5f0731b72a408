package org.npuc.frontend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
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
