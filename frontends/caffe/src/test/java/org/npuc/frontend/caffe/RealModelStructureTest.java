package org.npuc.frontend.caffe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Value;
import org.npuc.testing.Models;

/** The real prototxts of shared/models import with the right inputs, outputs, ops and shapes. */
class RealModelStructureTest {

  private static int[] outShape(Graph g, String name) {
    for (Operation op : g.outputs()) if (op.attributes().getString("name").equals(name)) return op.operand(0).type().shape();
    throw new AssertionError("no output " + name + " in " + g.outputs());
  }

  private static List<String> outputNames(Graph g) {
    return g.outputs().stream().map(o -> o.attributes().getString("name")).toList();
  }

  @Test
  void lenetKeepsBatch64AsWrittenAndOverridesIt() {
    Path proto = Models.require("caffe/lenet/lenet.prototxt");
    Path weights = Models.require("caffe/lenet/lenet_iter_9000.caffemodel");
    Graph g = CaffeTesting.importNet(proto, weights, Map.of());
    assertEquals(List.of("prob"), outputNames(g));
    assertArrayEquals(new int[] {64, 1, 28, 28}, g.inputs().get(0).result().type().shape());
    assertArrayEquals(new int[] {64, 10}, outShape(g, "prob"));
    assertEquals(
        List.of("input", "conv2d", "max_pool", "conv2d", "max_pool", "reshape", "matmul", "relu", "matmul", "softmax", "output"),
        CaffeTesting.opNames(g));

    Graph one = CaffeTesting.importNet(proto, weights, Map.of("data", new int[] {1, 1, 28, 28}));
    assertArrayEquals(new int[] {1, 10}, outShape(one, "prob"));
    Operation ip1 = one.ops().stream().filter(o -> o.is("matmul")).findFirst().orElseThrow();
    assertTrue(ip1.attributes().getBool("transpose_b", false));
    assertArrayEquals(new int[] {500, 800}, ip1.operand(1).type().shape());
    assertEquals("ip1", ip1.location().primaryName());
    assertEquals("lenet.prototxt", ip1.location().file());
  }

  @Test
  void inPlaceLayersGetTheirOwnValuesAndLocations() {
    Path proto = Models.require("caffe/mtcnn/det1.prototxt");
    Graph g = CaffeTesting.importNet(proto, Models.require("caffe/mtcnn/det1.caffemodel"), Map.of());
    // conv1 -> PReLU1 (in place, top "conv1"): two distinct values, each located at its own layer.
    Operation conv1 = g.ops().stream().filter(o -> o.location().primaryName().equals("conv1") && o.is("conv2d")).findFirst().orElseThrow();
    Operation prelu1 = g.ops().stream().filter(o -> o.location().primaryName().equals("PReLU1") && !o.is("constant")).findFirst().orElseThrow();
    assertEquals("prelu", prelu1.name());
    Value v = conv1.result();
    assertNotSame(v, prelu1.result());
    assertEquals(List.of(prelu1), v.users());
    assertEquals("conv1", v.name());
    assertEquals("PReLU1", prelu1.result().name());
  }

  @Test
  void mtcnnNetsHaveTheDocumentedOutputs() {
    Graph d1 = CaffeTesting.importNet(Models.require("caffe/mtcnn/det1.prototxt"), Models.require("caffe/mtcnn/det1.caffemodel"), Map.of());
    assertArrayEquals(new int[] {1, 4, 1, 1}, outShape(d1, "conv4-2"));
    assertArrayEquals(new int[] {1, 2, 1, 1}, outShape(d1, "prob1"));
    Graph d1big = CaffeTesting.importNet(Models.require("caffe/mtcnn/det1.prototxt"), Models.require("caffe/mtcnn/det1.caffemodel"),
        Map.of("data", new int[] {1, 3, 41, 57}));
    // 41 -> conv 39 -> pool ceil((39-2)/2)+1 = 20 -> 18 -> 16; 57 -> 55 -> ceil(53/2)+1 = 28 -> 26 -> 24
    assertArrayEquals(new int[] {1, 2, 16, 24}, outShape(d1big, "prob1"));
    Graph d2 = CaffeTesting.importNet(Models.require("caffe/mtcnn/det2.prototxt"), Models.require("caffe/mtcnn/det2.caffemodel"), Map.of());
    assertArrayEquals(new int[] {1, 4}, outShape(d2, "conv5-2"));
    assertArrayEquals(new int[] {1, 2}, outShape(d2, "prob1"));
    Graph d3 = CaffeTesting.importNet(Models.require("caffe/mtcnn/det3.prototxt"), Models.require("caffe/mtcnn/det3.caffemodel"), Map.of());
    assertArrayEquals(new int[] {1, 4}, outShape(d3, "conv6-2"));
    assertArrayEquals(new int[] {1, 10}, outShape(d3, "conv6-3"));
    assertArrayEquals(new int[] {1, 2}, outShape(d3, "prob1"));
  }

  @Test
  void bvlcDeployNetsImportWithRandomWeights() {
    Graph alex = CaffeTesting.importRandom(Models.require("caffe/bvlc/bvlc_alexnet.deploy.prototxt"), 7, Map.of());
    assertArrayEquals(new int[] {10, 1000}, outShape(alex, "prob"));
    assertEquals(2, alex.ops().stream().filter(o -> o.is("lrn")).count());
    assertEquals(3, alex.ops().stream().filter(o -> o.is("conv2d") && o.attributes().getInt("group", 1) == 2).count());
    Graph caffenet = CaffeTesting.importRandom(Models.require("caffe/bvlc/bvlc_reference_caffenet.deploy.prototxt"), 7, Map.of());
    assertArrayEquals(new int[] {10, 1000}, outShape(caffenet, "prob"));
    Graph google = CaffeTesting.importRandom(Models.require("caffe/bvlc/bvlc_googlenet.deploy.prototxt"), 7, Map.of());
    assertArrayEquals(new int[] {10, 1000}, outShape(google, "prob"));
    assertEquals(57, google.ops().stream().filter(o -> o.is("conv2d")).count());
    assertEquals(9, google.ops().stream().filter(o -> o.is("concat")).count());
    // GoogLeNet's pool1/3x3_s2 on 112x112 rounds up: ceil((112-3)/2)+1 = 56.
    Operation pool1 = google.ops().stream().filter(o -> o.location().primaryName().equals("pool1/3x3_s2")).findFirst().orElseThrow();
    assertArrayEquals(new int[] {10, 64, 56, 56}, pool1.result().type().shape());
  }

  @Test
  void randomWeightsAreSeeded() {
    Path p = Models.require("caffe/bvlc/bvlc_alexnet.deploy.prototxt");
    Graph a = CaffeTesting.importRandom(p, 3, Map.of("data", new int[] {1, 3, 227, 227}));
    Graph b = CaffeTesting.importRandom(p, 3, Map.of("data", new int[] {1, 3, 227, 227}));
    Graph c = CaffeTesting.importRandom(p, 4, Map.of("data", new int[] {1, 3, 227, 227}));
    var wa = a.ops().stream().filter(o -> o.is("conv2d")).findFirst().orElseThrow().operand(1).constantValue();
    var wb = b.ops().stream().filter(o -> o.is("conv2d")).findFirst().orElseThrow().operand(1).constantValue();
    var wc = c.ops().stream().filter(o -> o.is("conv2d")).findFirst().orElseThrow().operand(1).constantValue();
    assertTrue(wa.contentEquals(wb));
    assertTrue(!wa.contentEquals(wc));
  }
}
