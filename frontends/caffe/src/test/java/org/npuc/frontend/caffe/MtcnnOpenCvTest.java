package org.npuc.frontend.caffe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.testing.Models;

/**
 * MTCNN P-, R- and O-Net on real crops of test1.jpg, preprocessed as the models README says
 * ((x − 127.5)·0.0078125, RGB, height and width transposed as MATLAB-Caffe did): every output blob
 * within 1e-4 of OpenCV dnn. P-Net also runs on a whole pyramid level with odd sizes, which
 * exercises Caffe's ceil rounding in pooling.
 */
class MtcnnOpenCvTest {
  /** Square crops (x, y, side) of the 450×344 photo: around both faces, a corner, and the centre. */
  private static final int[][] CROPS = {{60, 40, 120}, {250, 30, 130}, {0, 200, 144}, {150, 100, 200}};

  @Test
  void pnetOnCropsAndAPyramidLevel() throws Exception {
    BufferedImage img = image();
    List<Tensor> inputs = new ArrayList<>();
    for (int[] c : CROPS) inputs.add(crop(img, c[0], c[1], c[2], 12, 12));
    // A pyramid level of the whole photo (scale 12/20·0.709): 191×146, transposed to 146×191... odd sizes.
    inputs.add(crop(img, 0, 0, -1, 0.6 * 0.709, 0));
    compare("det1", inputs, List.of("conv4-2", "prob1"));
  }

  @Test
  void rnetOnCrops() throws Exception {
    BufferedImage img = image();
    List<Tensor> inputs = new ArrayList<>();
    for (int[] c : CROPS) inputs.add(crop(img, c[0], c[1], c[2], 24, 24));
    compare("det2", inputs, List.of("conv5-2", "prob1"));
  }

  @Test
  void onetOnCrops() throws Exception {
    BufferedImage img = image();
    List<Tensor> inputs = new ArrayList<>();
    for (int[] c : CROPS) inputs.add(crop(img, c[0], c[1], c[2], 48, 48));
    compare("det3", inputs, List.of("conv6-2", "conv6-3", "prob1"));
  }

  private static BufferedImage image() throws Exception {
    return ImageIO.read(Models.require("caffe/mtcnn/test1.jpg").toFile());
  }

  private void compare(String net, List<Tensor> inputs, List<String> outputs) {
    Path proto = Models.require("caffe/mtcnn/" + net + ".prototxt");
    Path weights = Models.require("caffe/mtcnn/" + net + ".caffemodel");
    OpenCvOracle cv = new OpenCvOracle(proto, weights);
    for (Tensor x : inputs) {
      Map<String, Tensor> want = cv.run(Map.of("data", x), outputs);
      Graph g = CaffeTesting.importNet(proto, weights, Map.of("data", x.shape()));
      Map<String, Tensor> got = CaffeTesting.run(g, Map.of("data", x));
      for (String o : outputs) {
        CaffeTesting.assertShape(want.get(o).shape(), got.get(o), net + " " + o);
        float d = CaffeTesting.maxAbsDiff(want.get(o).floats(), got.get(o).floats());
        System.out.printf("%s %s on %s: max |ours - OpenCV| = %.3g%n", net, o, java.util.Arrays.toString(x.shape()), d);
        assertTrue(d <= 1e-4f, net + " " + o + " differs by " + d);
      }
    }
  }

  /**
   * The square crop (x0, y0, side) resized to outW×outH with bilinear sampling, or (side < 0) the
   * whole image scaled by {@code scale}; returned as 1×3×W×H (MATLAB-Caffe's transposed layout).
   */
  static Tensor crop(BufferedImage img, int x0, int y0, int side, double outWOrScale, int outH) {
    int w;
    int h;
    double sx;
    double sy;
    if (side < 0) {
      w = (int) Math.ceil(img.getWidth() * outWOrScale);
      h = (int) Math.ceil(img.getHeight() * outWOrScale);
      sx = img.getWidth() / (double) w;
      sy = img.getHeight() / (double) h;
      x0 = 0;
      y0 = 0;
    } else {
      w = (int) outWOrScale;
      h = outH;
      sx = side / (double) w;
      sy = side / (double) h;
    }
    float[] f = new float[3 * w * h];
    for (int xx = 0; xx < w; xx++) {
      for (int yy = 0; yy < h; yy++) {
        double px = x0 + (xx + 0.5) * sx - 0.5;
        double py = y0 + (yy + 0.5) * sy - 0.5;
        for (int c = 0; c < 3; c++) {
          double v = bilinear(img, px, py, c);
          // Layout [1, 3, W, H]: the first spatial axis is the image's x, as MATLAB handed it over.
          f[(c * w + xx) * h + yy] = (float) ((v - 127.5) * 0.0078125);
        }
      }
    }
    return Tensor.ofFloats(new int[] {1, 3, w, h}, f);
  }

  private static double bilinear(BufferedImage img, double x, double y, int c) {
    int x1 = (int) Math.floor(x);
    int y1 = (int) Math.floor(y);
    double ax = x - x1;
    double ay = y - y1;
    return (1 - ax) * (1 - ay) * px(img, x1, y1, c) + ax * (1 - ay) * px(img, x1 + 1, y1, c)
        + (1 - ax) * ay * px(img, x1, y1 + 1, c) + ax * ay * px(img, x1 + 1, y1 + 1, c);
  }

  /** Channel c (0 = R, 1 = G, 2 = B) of a pixel, clamped at the border. */
  private static int px(BufferedImage img, int x, int y, int c) {
    int rgb = img.getRGB(Math.max(0, Math.min(img.getWidth() - 1, x)), Math.max(0, Math.min(img.getHeight() - 1, y)));
    return (rgb >> (16 - 8 * c)) & 0xff;
  }
}
