package org.npuc.frontend.caffe;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.ir.Graph;
import org.npuc.ir.GraphEquivalence;
import org.npuc.ir.text.IrParser;
import org.npuc.ir.text.IrPrinter;
import org.npuc.testing.Models;

/**
 * Imported Caffe graphs survive the .npuir text form that {@code npuc import -o} writes: blob and
 * layer names with '/', '-' and in-place versions, multi-result splits and all attributes.
 */
class TextRoundTripTest {
  @TempDir Path dir;

  private static void roundTrip(Graph g) {
    String text = IrPrinter.full().print(g);
    Graph back = IrParser.parse(text, "roundtrip.npuir");
    // The printer turns characters such as '/' in value names into '_' (names are only print hints);
    // layer names stay exact in locations and graph outputs keep their names as attributes.
    assertNull(GraphEquivalence.strict().ignoringValueNames().compare(g, back), "the text form changes the graph");
  }

  @Test
  void mtcnnAndGoogLeNetRoundTrip() {
    roundTrip(CaffeTesting.importNet(Models.require("caffe/mtcnn/det1.prototxt"), Models.require("caffe/mtcnn/det1.caffemodel"), Map.of()));
    roundTrip(CaffeTesting.importRandom(Models.require("caffe/bvlc/bvlc_googlenet.deploy.prototxt"), 1, Map.of("data", new int[] {1, 3, 224, 224})));
  }

  @Test
  void everyLayerKindRoundTrips() throws Exception {
    var x = CaffeTesting.tensor(new int[] {1, 4, 6, 6}, CaffeTesting.data(144, 1));
    Graph g = new TestNet().input("data", x)
        .layer("layer { name: \"bn\" type: \"BatchNorm\" bottom: \"data\" top: \"data\" "
            + TestNet.blob(CaffeTesting.tensor(new int[] {4}, 1, 2, 3, 4)) + TestNet.blob(CaffeTesting.tensor(new int[] {4}, 1, 1, 1, 1))
            + TestNet.blob(CaffeTesting.tensor(new int[] {1}, 1)) + " }")
        .layer("layer { name: \"sc\" type: \"Scale\" bottom: \"data\" top: \"data\" scale_param { bias_term: true } "
            + TestNet.blob(CaffeTesting.tensor(new int[] {4}, 1, 2, 3, 4)) + TestNet.blob(CaffeTesting.tensor(new int[] {4}, 0, 0, 1, 1)) + " }")
        .layer("layer { name: \"relu\" type: \"ReLU\" bottom: \"data\" top: \"data\" }")
        .layer("layer { name: \"sl\" type: \"Slice\" bottom: \"data\" top: \"a\" top: \"b\" slice_param { slice_point: 1 } }")
        .layer("layer { name: \"pool\" type: \"Pooling\" bottom: \"b\" top: \"p\" pooling_param { pool: AVE kernel_size: 3 stride: 2 pad: 1 } }")
        .layer("layer { name: \"lrn\" type: \"LRN\" bottom: \"p\" top: \"l\" lrn_param { local_size: 3 } }")
        .layer("layer { name: \"perm\" type: \"Permute\" bottom: \"l\" top: \"t\" permute_param { order: 0 order: 3 order: 1 order: 2 } }")
        .layer("layer { name: \"pw\" type: \"Power\" bottom: \"a\" top: \"q\" power_param { power: 2 shift: 1 } }")
        .graph(dir);
    roundTrip(g);
  }
}
