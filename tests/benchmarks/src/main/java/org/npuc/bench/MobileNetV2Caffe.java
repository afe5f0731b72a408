package org.npuc.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.npuc.frontend.caffe.proto.CaffeProto.BlobProto;
import org.npuc.frontend.caffe.proto.CaffeProto.BlobShape;
import org.npuc.frontend.caffe.proto.CaffeProto.LayerParameter;
import org.npuc.frontend.caffe.proto.CaffeProto.NetParameter;

/**
 * Writes a MobileNet-v2-shaped Caffe network (Sandler et al. 2018, table 2: inverted residual
 * blocks of expand 1×1, depthwise 3×3, project 1×1, with residual Eltwise sums) as a deploy
 * prototxt and a caffemodel with seeded weights, in the layer style of the common Caffe ports
 * (Convolution without bias, then BatchNorm + Scale, then ReLU). Both npuc's Caffe frontend and
 * OpenCV's {@code readNetFromCaffe} read it, so the two runtimes run the same network.
 */
public final class MobileNetV2Caffe {
  /** (expansion t, channels c, repeats n, first stride s) per stage, from the paper. */
  private static final int[][] STAGES = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};

  private final double width;
  private final int resolution;
  private final SplittableRandom random;
  private final StringBuilder proto = new StringBuilder();
  private final NetParameter.Builder weights = NetParameter.newBuilder().setName("mobilenet_v2");
  private int layers;
  private long parameters;

  private MobileNetV2Caffe(double width, int resolution, long seed) {
    this.width = width;
    this.resolution = resolution;
    this.random = new SplittableRandom(seed);
  }

  /** The files written by {@link #write}. */
  public record Written(Path prototxt, Path caffemodel, int layers, long parameters, String description) {}

  /** Writes {@code mobilenet_v2.prototxt} and {@code .caffemodel} into {@code dir}. */
  public static Written write(Path dir, double width, int resolution, long seed) throws IOException {
    MobileNetV2Caffe g = new MobileNetV2Caffe(width, resolution, seed);
    g.build();
    Files.createDirectories(dir);
    Path p = dir.resolve("mobilenet_v2.prototxt");
    Path m = dir.resolve("mobilenet_v2.caffemodel");
    Files.writeString(p, g.proto);
    try (OutputStream out = Files.newOutputStream(m)) {
      g.weights.build().writeTo(out);
    }
    String d = String.format(Locale.ROOT, "MobileNet-v2 %.2f/%d (Caffe, seeded)", width, resolution);
    return new Written(p, m, g.layers, g.parameters, d);
  }

  private int channels(int c) {
    // The paper's rounding: multiples of 8, never below 90% of the scaled width.
    double scaled = c * width;
    int r = Math.max(8, (int) (scaled + 4) / 8 * 8);
    return r < 0.9 * scaled ? r + 8 : r;
  }

  private void build() {
    proto.append("name: \"mobilenet_v2\"\n");
    proto.append("layer { name: \"data\" type: \"Input\" top: \"data\" input_param { shape { dim: 1 dim: 3 dim: ")
        .append(resolution).append(" dim: ").append(resolution).append(" } } }\n");
    int in = 3;
    int out = channels(32);
    String x = convBnRelu("conv1", "data", in, out, 3, 2, 1, true);
    in = out;
    int block = 0;
    for (int[] s : STAGES) {
      int c = channels(s[1]);
      for (int i = 0; i < s[2]; i++) {
        int stride = i == 0 ? s[3] : 1;
        String name = "block" + (++block);
        String y = x;
        int hidden = in * s[0];
        if (s[0] != 1) y = convBnRelu(name + "/expand", y, in, hidden, 1, 1, 1, true);
        y = convBnRelu(name + "/dwise", y, hidden, hidden, 3, stride, hidden, true);
        y = convBnRelu(name + "/linear", y, hidden, c, 1, 1, 1, false);
        if (stride == 1 && in == c) {
          layer(name + "/add", "Eltwise", new String[] {x, y}, name + "/add", "");
          y = name + "/add";
        }
        x = y;
        in = c;
      }
    }
    int last = width > 1.0 ? channels(1280) : 1280;
    x = convBnRelu("conv_last", x, in, last, 1, 1, 1, true);
    layer("pool", "Pooling", new String[] {x}, "pool", "pooling_param { pool: AVE global_pooling: true }");
    // The classifier as a 1×1 convolution (with bias), as the Caffe ports write it.
    String fc = "fc";
    layer(fc, "Convolution", new String[] {"pool"}, fc, "convolution_param { num_output: 1000 kernel_size: 1 }");
    addWeights(fc, heNormal(new int[] {1000, last, 1, 1}, last, 1), uniform(new int[] {1000}, 0.01));
    layer("prob", "Softmax", new String[] {fc}, "prob", "");
  }

  private String convBnRelu(String name, String bottom, int in, int out, int k, int stride, int group, boolean relu) {
    String params = String.format(Locale.ROOT, "convolution_param { num_output: %d bias_term: false kernel_size: %d stride: %d pad: %d%s }",
        out, k, stride, (k - 1) / 2, group > 1 ? " group: " + group : "");
    layer(name, "Convolution", new String[] {bottom}, name, params);
    int fanIn = in / group * k * k;
    addWeights(name, heNormal(new int[] {out, in / group, k, k}, fanIn, relu ? 2 : 1));
    layer(name + "/bn", "BatchNorm", new String[] {name}, name, "batch_norm_param { use_global_stats: true eps: 1e-5 }");
    // Caffe stores mean and variance multiplied by a moving-average factor (third blob).
    addWeights(name + "/bn", uniform(new int[] {out}, 0.1), positive(new int[] {out}), blob(new int[] {1}, new float[] {1f}));
    layer(name + "/scale", "Scale", new String[] {name}, name, "scale_param { bias_term: true }");
    addWeights(name + "/scale", around(new int[] {out}, 1f, 0.1f), uniform(new int[] {out}, 0.1));
    if (relu) layer(name + "/relu", "ReLU", new String[] {name}, name, "");
    return name;
  }

  private void layer(String name, String type, String[] bottoms, String top, String params) {
    layers++;
    proto.append("layer { name: \"").append(name).append("\" type: \"").append(type).append('"');
    for (String b : bottoms) proto.append(" bottom: \"").append(b).append('"');
    proto.append(" top: \"").append(top).append('"');
    if (!params.isEmpty()) proto.append(' ').append(params);
    proto.append(" }\n");
  }

  private void addWeights(String layer, BlobProto... blobs) {
    LayerParameter.Builder l = LayerParameter.newBuilder().setName(layer);
    for (BlobProto b : blobs) {
      l.addBlobs(b);
      parameters += b.getDataCount();
    }
    weights.addLayer(l);
  }

  private static BlobProto blob(int[] shape, float[] data) {
    BlobShape.Builder s = BlobShape.newBuilder();
    for (int d : shape) s.addDim(d);
    BlobProto.Builder b = BlobProto.newBuilder().setShape(s);
    for (float v : data) b.addData(v);
    return b.build();
  }

  private static int count(int[] shape) {
    int n = 1;
    for (int d : shape) n *= d;
    return n;
  }

  /**
   * Normal with variance gain/fan_in: gain 2 before a ReLU (He), 1 for the linear projections and
   * the classifier, so activations keep their scale and the softmax does not saturate.
   */
  private BlobProto heNormal(int[] shape, int fanIn, double gain) {
    float[] v = new float[count(shape)];
    double std = Math.sqrt(gain / fanIn);
    for (int i = 0; i < v.length; i++) v[i] = (float) (gaussian() * std);
    return blob(shape, v);
  }

  private BlobProto uniform(int[] shape, double half) {
    float[] v = new float[count(shape)];
    for (int i = 0; i < v.length; i++) v[i] = (float) ((random.nextDouble() * 2 - 1) * half);
    return blob(shape, v);
  }

  private BlobProto positive(int[] shape) {
    float[] v = new float[count(shape)];
    for (int i = 0; i < v.length; i++) v[i] = (float) (0.5 + random.nextDouble());
    return blob(shape, v);
  }

  private BlobProto around(int[] shape, float center, float half) {
    float[] v = new float[count(shape)];
    for (int i = 0; i < v.length; i++) v[i] = center + (float) ((random.nextDouble() * 2 - 1) * half);
    return blob(shape, v);
  }

  private double gaussian() {
    // Box-Muller on the seeded generator (SplittableRandom has no nextGaussian in Java 17).
    double u = 1 - random.nextDouble();
    double w = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
  }
}
