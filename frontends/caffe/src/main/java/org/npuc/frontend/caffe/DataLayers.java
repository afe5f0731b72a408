package org.npuc.frontend.caffe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.npuc.diag.UserError;
import org.npuc.frontend.caffe.proto.CaffeProto.BlobProto;
import org.npuc.frontend.caffe.proto.CaffeProto.LayerParameter;
import org.npuc.frontend.caffe.proto.CaffeProto.TransformationParameter;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;

/**
 * Data and ImageData layers (and MemoryData): the raw image batch becomes the graph input and
 * Caffe's test-time transform_param (center crop, mean subtraction, scale) becomes explicit ops,
 * as the BM1684 tools do with a data layer's pre-processing.
 */
final class DataLayers {
  private DataLayers() {}

  /** Layer types that produce the network's input batch (top 0) and usually a label (top 1). */
  static final List<String> TYPES = List.of("Data", "ImageData", "MemoryData", "HDF5Data", "DummyData");

  /**
   * The raw batch shape the prototxt implies for a data layer's first top, or null when the data
   * come from a database whose image size the prototxt does not say.
   */
  static int[] declaredShape(LayerParameter layer) {
    switch (layer.getType()) {
      case "MemoryData" -> {
        var p = layer.getMemoryDataParam();
        return new int[] {p.getBatchSize(), p.getChannels(), p.getHeight(), p.getWidth()};
      }
      case "ImageData" -> {
        var p = layer.getImageDataParam();
        if (p.getNewHeight() <= 0 || p.getNewWidth() <= 0) return null;
        TransformationParameter t = layer.getTransformParam();
        int c = t.getForceGray() ? 1 : t.getForceColor() ? 3 : p.getIsColor() ? 3 : 1;
        return new int[] {Math.max(1, p.getBatchSize()), c, p.getNewHeight(), p.getNewWidth()};
      }
      case "DummyData" -> {
        var p = layer.getDummyDataParam();
        if (p.getShapeCount() > 0) return p.getShape(0).getDimList().stream().mapToInt(Long::intValue).toArray();
        if (p.getNumCount() > 0) return new int[] {p.getNum(0), p.getChannels(0), p.getHeight(0), p.getWidth(0)};
        return null;
      }
      default -> {
        return null;
      }
    }
  }

  /** How to tell the user to give the shape the prototxt does not. */
  static String shapeHint(LayerParameter layer) {
    String src = switch (layer.getType()) {
      case "Data" -> " reads the database '" + layer.getDataParam().getSource() + "'";
      case "ImageData" -> " reads the image list '" + layer.getImageDataParam().getSource() + "' without new_height/new_width";
      case "HDF5Data" -> " reads the HDF5 list '" + layer.getHdf5DataParam().getSource() + "'";
      default -> "";
    };
    return src + ", so the prototxt does not give the input size: pass --input-shape " + layer.getTop(0)
        + "=N,C,H,W (the decoded image, before any crop)";
  }

  /** transform_param, with the pre-2015 fields of data_param / image_data_param folded in as Caffe's upgrader does. */
  static TransformationParameter transform(LayerParameter layer) {
    TransformationParameter.Builder t = layer.getTransformParam().toBuilder();
    if (layer.hasDataParam()) {
      var p = layer.getDataParam();
      if (p.hasScale() && !t.hasScale()) t.setScale(p.getScale());
      if (p.hasMeanFile() && !t.hasMeanFile()) t.setMeanFile(p.getMeanFile());
      if (p.hasCropSize() && !t.hasCropSize()) t.setCropSize(p.getCropSize());
      if (p.hasMirror() && !t.hasMirror()) t.setMirror(p.getMirror());
    }
    if (layer.hasImageDataParam()) {
      var p = layer.getImageDataParam();
      if (p.hasScale() && !t.hasScale()) t.setScale(p.getScale());
      if (p.hasMeanFile() && !t.hasMeanFile()) t.setMeanFile(p.getMeanFile());
      if (p.hasCropSize() && !t.hasCropSize()) t.setCropSize(p.getCropSize());
      if (p.hasMirror() && !t.hasMirror()) t.setMirror(p.getMirror());
    }
    return t.build();
  }

  /**
   * Applies Caffe's TEST-phase DataTransformer to {@code raw}: center crop to crop_size, subtract
   * the mean (mean_file at the same crop offset, or mean_value per channel), multiply by scale.
   * Random mirroring is training augmentation (a coin flip per image) and is not imported.
   */
  static Value apply(Value raw, TransformationParameter t, Path prototxtDir, LayerContext ctx) {
    int[] s = LayerContext.shape(raw);
    if (t.hasMeanFile() && t.getMeanValueCount() > 0) throw ctx.error("transform_param: give mean_file or mean_value, not both");
    if (s.length != 4 && (t.getCropSize() > 0 || t.hasMeanFile() || t.getMeanValueCount() > 0)) {
      throw ctx.error("transform_param needs a 4-D N,C,H,W input, got " + Arrays.toString(s));
    }
    Value x = raw;
    int[] cur = s;
    int hOff = 0;
    int wOff = 0;
    int crop = t.getCropSize();
    if (crop > 0) {
      if (crop > s[2] || crop > s[3]) throw ctx.error("crop_size " + crop + " is larger than the " + s[2] + "x" + s[3] + " input");
      hOff = (s[2] - crop) / 2;
      wOff = (s[3] - crop) / 2;
      cur = new int[] {s[0], s[1], crop, crop};
      Attributes a = Attributes.of(
          "starts", new int[] {hOff, wOff}, "ends", new int[] {hOff + crop, wOff + crop}, "axes", new int[] {2, 3}, "steps", new int[] {1, 1});
      x = ctx.op("slice", List.of(x), a, cur);
    }
    if (t.hasMeanFile()) {
      Tensor mean = meanFile(t.getMeanFile(), prototxtDir, s, ctx);
      float[] m = new float[s[1] * cur[2] * cur[3]];
      float[] src = mean.floats();
      int k = 0;
      for (int c = 0; c < s[1]; c++) {
        for (int h = 0; h < cur[2]; h++) {
          for (int w = 0; w < cur[3]; w++) m[k++] = src[(c * s[2] + h + hOff) * s[3] + w + wOff];
        }
      }
      Value mv = ctx.constant(Tensor.ofFloats(new int[] {1, s[1], cur[2], cur[3]}, m));
      x = ctx.op("sub", List.of(x, mv), null, cur);
    } else if (t.getMeanValueCount() > 0) {
      int n = t.getMeanValueCount();
      if (n != 1 && n != s[1]) throw ctx.error("give 1 mean_value or one per channel (" + s[1] + "), got " + n);
      float[] m = new float[s[1]];
      for (int c = 0; c < s[1]; c++) m[c] = t.getMeanValue(n == 1 ? 0 : c);
      x = ctx.op("sub", List.of(x, ctx.constant(Tensor.ofFloats(new int[] {1, s[1], 1, 1}, m))), null, cur);
    }
    if (t.getScale() != 1) x = ctx.op("mul", List.of(x, ctx.scalar(t.getScale())), null, cur);
    return x;
  }

  private static Tensor meanFile(String name, Path prototxtDir, int[] s, LayerContext ctx) {
    Path p = Path.of(name);
    if (!p.isAbsolute() && prototxtDir != null && Files.exists(prototxtDir.resolve(p))) p = prototxtDir.resolve(p);
    if (!Files.exists(p)) throw ctx.error("mean_file '" + name + "' not found (looked next to the prototxt and in the working directory)");
    BlobProto b = CaffeFiles.readBlob(p);
    int[] want = {1, s[1], s[2], s[3]};
    int[] got = b.hasShape()
        ? b.getShape().getDimList().stream().mapToInt(Long::intValue).toArray()
        : new int[] {b.getNum(), b.getChannels(), b.getHeight(), b.getWidth()};
    int count = b.getDataCount() > 0 ? b.getDataCount() : b.getDoubleDataCount();
    if (!Arrays.equals(got, want) || count != Tensor.count(want)) {
      throw new UserError("mean_file " + p + " has shape " + Arrays.toString(got) + " (" + count + " values); layer '"
          + ctx.layer().getName() + "' needs " + Arrays.toString(want) + " to match its input");
    }
    float[] f = new float[count];
    for (int i = 0; i < count; i++) f[i] = b.getDataCount() > 0 ? b.getData(i) : (float) b.getDoubleData(i);
    return Tensor.ofFloats(want, f);
  }
}
