package org.npuc.frontend.caffe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.npuc.diag.UserError;
import org.npuc.frontend.caffe.proto.CaffeProto.BlobProto;
import org.npuc.frontend.caffe.proto.CaffeProto.LayerParameter;
import org.npuc.ir.Tensor;

/**
 * The learned blobs of the layers: from the caffemodel (matched by layer name), from blobs written
 * into the prototxt itself, or seeded random values for structure-only imports. Problems (a layer
 * without weights, a shape that differs from what the prototxt implies) are collected so that
 * one error can list them all.
 */
final class Weights {
  /** How seeded random blobs are drawn, so that activations stay in a sensible range. */
  enum Kind {
    CONV,
    INNER_PRODUCT,
    BATCH_NORM,
    SCALE,
    BIAS,
    PRELU
  }

  /** 1 G floats (4 GB); VGG-16's largest blob has 103 M. */
  static final long MAX_BLOB_ELEMENTS = 1L << 30;

  private final Map<String, List<BlobProto>> byLayer;
  private final String weightsFile;
  private final boolean random;
  private final long seed;
  private final List<String> problems = new ArrayList<>();
  private final List<String> missing = new ArrayList<>();
  private final Map<String, List<Tensor>> used = new LinkedHashMap<>();

  Weights(Map<String, List<BlobProto>> byLayer, String weightsFile, boolean random, long seed) {
    this.byLayer = byLayer;
    this.weightsFile = weightsFile;
    this.random = random;
    this.seed = seed;
  }

  /** The blobs each layer got, in layer order (used to hand the same weights to an oracle). */
  Map<String, List<Tensor>> used() {
    return used;
  }

  /** Every weights problem found, worded for one error message; empty when all is well. */
  List<String> problems() {
    List<String> r = new ArrayList<>();
    if (!missing.isEmpty()) {
      r.add((missing.size() == 1 ? "layer " : "layers ") + String.join(", ", missing) + (missing.size() == 1 ? " has" : " have") + " no weights"
          + (weightsFile == null
              ? " (no --weights file given: pass the trained .caffemodel, or --random-weights to check the structure only)"
              : " in " + weightsFile + " (its layer names must match the prototxt's)"));
    }
    r.addAll(problems);
    return r;
  }

  Tensor[] blobs(LayerParameter layer, Kind kind, int[]... expected) {
    String name = layer.getName();
    for (int[] shape : expected) {
      // A typo such as num_output: 10000000 must not make npuc allocate gigabytes of weights.
      if (Tensor.count(shape) > MAX_BLOB_ELEMENTS) {
        throw new UserError("layer '" + name + "' (" + layer.getType() + ") would need a weight blob of shape "
            + Arrays.toString(shape) + " (" + Tensor.count(shape) + " values), more than npuc accepts (" + MAX_BLOB_ELEMENTS + "); check its parameters");
      }
    }
    List<BlobProto> found = byLayer == null ? null : byLayer.get(name);
    String source = weightsFile;
    if ((found == null || found.isEmpty()) && layer.getBlobsCount() > 0) {
      found = layer.getBlobsList();
      source = "the prototxt";
    }
    Tensor[] r = new Tensor[expected.length];
    if (found == null || found.isEmpty()) {
      if (random) {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + name.hashCode());
        for (int i = 0; i < expected.length; i++) r[i] = randomBlob(rnd, kind, i, expected[i]);
      } else {
        missing.add("'" + name + "' (" + layer.getType() + ")");
        for (int i = 0; i < expected.length; i++) r[i] = Tensor.ofFloats(expected[i], new float[(int) Tensor.count(expected[i])]);
      }
    } else if (found.size() != expected.length) {
      problems.add(
          "layer '" + name + "' (" + layer.getType() + ") has " + found.size() + " blobs in " + source + ", the prototxt implies "
              + expected.length + " (" + describe(expected) + "); check bias_term and that the files belong together");
      for (int i = 0; i < expected.length; i++) r[i] = Tensor.ofFloats(expected[i], new float[(int) Tensor.count(expected[i])]);
    } else {
      for (int i = 0; i < expected.length; i++) {
        BlobProto b = found.get(i);
        String bad = shapeMismatch(b, expected[i]);
        if (bad != null) {
          problems.add(
              "layer '" + name + "' (" + layer.getType() + ") blob " + i + " in " + source + ": expected shape "
                  + Arrays.toString(expected[i]) + " from the prototxt, found " + bad);
          r[i] = Tensor.ofFloats(expected[i], new float[(int) Tensor.count(expected[i])]);
        } else {
          r[i] = Tensor.ofFloats(expected[i], values(b));
        }
      }
    }
    used.put(name, List.of(r));
    return r;
  }

  private static String describe(int[][] shapes) {
    StringBuilder sb = new StringBuilder();
    for (int[] s : shapes) sb.append(sb.length() == 0 ? "" : ", ").append(Arrays.toString(s));
    return sb.toString();
  }

  /** Null when the blob matches; else a description of what was found (shape or data count). */
  private static String shapeMismatch(BlobProto b, int[] expected) {
    long n = Tensor.count(expected);
    int stored = b.getDataCount() > 0 ? b.getDataCount() : b.getDoubleDataCount();
    if (b.hasShape()) {
      long[] dims = b.getShape().getDimList().stream().mapToLong(Long::longValue).toArray();
      boolean same = dims.length == expected.length;
      for (int i = 0; same && i < dims.length; i++) same = dims[i] == expected[i];
      if (!same) return Arrays.toString(dims);
    } else {
      // Old files keep 4-D num/channels/height/width; Caffe compares them to the shape left-padded with 1s.
      int[] legacy = {b.getNum(), b.getChannels(), b.getHeight(), b.getWidth()};
      if (expected.length > 4) return Arrays.toString(legacy) + " (old 4-D form)";
      int[] padded = new int[4];
      Arrays.fill(padded, 1);
      System.arraycopy(expected, 0, padded, 4 - expected.length, expected.length);
      if (!Arrays.equals(padded, legacy)) return Arrays.toString(legacy) + " (old 4-D form)";
    }
    if (stored != n) return "a blob whose data holds " + stored + " values instead of " + n + " (corrupt file?)";
    return null;
  }

  private static float[] values(BlobProto b) {
    if (b.getDataCount() > 0) {
      float[] f = new float[b.getDataCount()];
      for (int i = 0; i < f.length; i++) f[i] = b.getData(i);
      return f;
    }
    float[] f = new float[b.getDoubleDataCount()];
    for (int i = 0; i < f.length; i++) f[i] = (float) b.getDoubleData(i);
    return f;
  }

  private static Tensor randomBlob(SplittableRandom rnd, Kind kind, int index, int[] shape) {
    float[] v = new float[(int) Tensor.count(shape)];
    // Uniform draws with the wanted standard deviation (sqrt(3)·std bounds): fast for AlexNet's 61M weights.
    double fanIn = Math.max(1, v.length / Math.max(1, shape.length == 0 ? 1 : shape[0]));
    for (int i = 0; i < v.length; i++) {
      double u = rnd.nextDouble();
      double sym = (2 * u - 1) * Math.sqrt(3);
      v[i] = (float) switch (kind) {
        // He-style scaling by fan-in keeps deep nets (GoogLeNet) out of overflow and saturation.
        case CONV, INNER_PRODUCT -> index == 0 ? sym * Math.sqrt(2.0 / fanIn) : 0.1 * sym;
        case BATCH_NORM -> index == 0 ? 0.1 * sym : index == 1 ? 0.5 + u : 1.0;
        case SCALE -> index == 0 ? 0.5 + u : 0.1 * sym;
        case BIAS -> 0.1 * sym;
        case PRELU -> 0.5 * u;
      };
    }
    return Tensor.ofFloats(shape, v);
  }
}
