package org.npuc.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.npuc.ir.Tensor;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.dnn.Dnn;
import org.opencv.dnn.Net;

/** A Caffe network in OpenCV's dnn module (CPU, OpenCV backend): the comparison runtime. */
final class OpenCvNet implements AutoCloseable {
  private static boolean loaded;

  private final Net net;
  private final List<String> outputs;
  private Mat input;

  /** Loads OpenCV's native library once and sets its thread count. */
  static synchronized void load(int threads) {
    if (!loaded) {
      nu.pattern.OpenCV.loadLocally();
      loaded = true;
    }
    Core.setNumThreads(threads);
  }

  static String version() {
    return Core.VERSION;
  }

  OpenCvNet(Path prototxt, Path caffemodel, List<String> outputs) {
    net = Dnn.readNetFromCaffe(prototxt.toString(), caffemodel.toString());
    net.setPreferableBackend(Dnn.DNN_BACKEND_OPENCV);
    net.setPreferableTarget(Dnn.DNN_TARGET_CPU);
    this.outputs = outputs;
  }

  /** Sets the input blob (kept for repeated {@link #forward} calls). */
  void setInput(String name, Tensor t) {
    if (input != null) input.release();
    input = new Mat(t.shape(), CvType.CV_32F);
    input.reshape(1, 1).put(0, 0, t.floats());
    net.setInput(input, name);
  }

  /** One inference; returns the first output as floats (for the agreement check). */
  float[] forward() {
    List<Mat> outs = new ArrayList<>();
    net.forward(outs, outputs);
    Mat first = outs.get(0);
    float[] f = new float[(int) first.total()];
    (first.isContinuous() ? first : first.clone()).reshape(1, 1).get(0, 0, f);
    for (Mat m : outs) m.release();
    return f;
  }

  @Override
  public void close() {
    if (input != null) input.release();
  }
}
