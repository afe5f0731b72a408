package org.npuc.frontend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.type.TensorType;
import org.npuc.spi.ImportOptions;
import org.npuc.testing.Models;

/** Structure of the real models after import: inputs/outputs keep names, dtypes and layouts. */
class RealModelImportTest {

  @Test
  void fcLayersIsThreeDenseLayers() {
    Graph g = TfTesting.load(Models.require("tf/mnist/fc-layers.pb"));
    Map<String, Integer> c = TfTesting.opCounts(g);
    System.out.println("fc-layers: " + c);
    assertEquals(3, c.get("matmul"));
    assertEquals(1, g.inputs().size());
    assertEquals("X", g.inputs().get(0).attributes().getString("name"));
    assertEquals(TensorType.f32(-1, 784), g.inputs().get(0).result().type());
    assertEquals("output", g.outputs().get(0).attributes().getString("name"));
    assertEquals(TensorType.f32(-1, 10), g.outputs().get(0).operand(0).type());
  }

  @Test
  void tfjsModelsImport() {
    for (String m : new String[] {"emotion", "selfie", "mobileface"}) {
      Graph g = TfTesting.load(Models.require("tfjs/" + m + "/model.json"));
      System.out.println(m + ": " + TfTesting.opCounts(g));
      Operation in = g.inputs().get(0);
      assertEquals(4, in.result().type().rank(), m);
      for (Operation out : g.outputs())
        System.out.println(
            "  output " + out.attributes().getString("name") + " " + out.operand(0).type());
    }
  }

  @Test
  void nhwcBoundaryHasExplicitTransposes() {
    Graph g = TfTesting.load(Models.require("tfjs/selfie/model.json"));
    Operation in = g.inputs().get(0);
    assertEquals("input_1", in.attributes().getString("name"));
    assertEquals(
        TensorType.f32(1, 256, 256, 3),
        in.result().type(),
        "the input keeps the model's NHWC type");
    Operation t = in.result().users().get(0);
    assertEquals("transpose", t.name());
    assertEquals(
        List.of(0L, 3L, 1L, 2L),
        java.util.Arrays.stream(t.attributes().getLongs("perm", null)).boxed().toList());
    Operation out = g.outputs().get(0);
    Operation back = out.operand(0).definingOp();
    assertEquals("transpose", back.name());
    assertEquals(
        List.of(0L, 2L, 3L, 1L),
        java.util.Arrays.stream(back.attributes().getLongs("perm", null)).boxed().toList());
    assertEquals(TensorType.f32(1, 256, 256, 1), out.operand(0).type());
    assertEquals(2, TfTesting.opCounts(g).get("transpose"), "no transposes inside the network");
    for (Operation op : g) {
      if (op.is("conv2d"))
        assertEquals(
            op.operand(1).type().dim(0), op.result().type().dim(1), "NCHW conv with OIHW weights");
    }
  }

  @Test
  void qatFilesImport() {
    for (String f :
        new String[] {
          "fake_quant_per_channel",
          "fake_quant_without_identity",
          "back2back_fake_quant",
          "conv_2d",
          "quant_stats",
          "add"
        }) {
      ImportOptions o = new ImportOptions(Models.require("tf/qat/" + f + ".pbtxt"));
      if (f.equals("quant_stats") || f.equals("add")) {
        o.inputShapes().put("input0", new int[] {4});
        o.inputShapes().put("input1", new int[] {4});
      }
      Graph g = TfTesting.load(o);
      System.out.println(f + ": " + TfTesting.opCounts(g));
      assertTrue(g.outputs().size() >= 1);
    }
  }

  @Test
  void speechModelImportsAfterMfcc() {
    ImportOptions o = new ImportOptions(Models.require("tf/mnist/conv_actions_frozen.pb"));
    o.inputs().add("Mfcc:1,99,40");
    o.outputs().add("labels_softmax");
    Graph g = TfTesting.load(o);
    System.out.println("conv_actions: " + TfTesting.opCounts(g));
    assertEquals(2, TfTesting.opCounts(g).get("conv2d"));
    assertEquals(TensorType.f32(1, 12), g.outputs().get(0).operand(0).type());
  }
}
