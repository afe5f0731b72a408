package org.npuc.frontend.caffe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.npuc.ir.Tensor;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.dnn.Dnn;
import org.opencv.dnn.Net;

/** OpenCV dnn as the independent Caffe runtime for the tests (CPU, OpenCV backend). */
final class OpenCvOracle {
  private static boolean loaded;

  private final Net net;

  OpenCvOracle(Path prototxt, Path caffemodel) {
    synchronized (OpenCvOracle.class) {
      if (!loaded) {
        nu.pattern.OpenCV.loadLocally();
        loaded = true;
      }
    }
    net = Dnn.readNetFromCaffe(prototxt.toString(), caffemodel.toString());
    net.setPreferableBackend(Dnn.DNN_BACKEND_OPENCV);
    net.setPreferableTarget(Dnn.DNN_TARGET_CPU);
  }

  /** Runs the net and returns the named blobs. */
  Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> outputs) {
    List<Mat> keep = new ArrayList<>();
    for (var e : inputs.entrySet()) {
      Mat m = toMat(e.getValue());
      keep.add(m);
      net.setInput(m, e.getKey());
    }
    List<Mat> outs = new ArrayList<>();
    net.forward(outs, outputs);
    Map<String, Tensor> r = new LinkedHashMap<>();
    for (int i = 0; i < outputs.size(); i++) {
      r.put(outputs.get(i), toTensor(outs.get(i)));
      outs.get(i).release();
    }
    for (Mat m : keep) m.release();
    return r;
  }

  static Mat toMat(Tensor t) {
    Mat m = new Mat(t.shape(), CvType.CV_32F);
    Mat flat = m.reshape(1, 1);
    flat.put(0, 0, t.floats());
    return m;
  }

  static Tensor toTensor(Mat m) {
    int[] shape = new int[m.dims()];
    for (int i = 0; i < shape.length; i++) shape[i] = m.size(i);
    float[] f = new float[(int) m.total()];
    Mat flat = m.isContinuous() ? m.reshape(1, 1) : m.clone().reshape(1, 1);
    flat.get(0, 0, f);
    return Tensor.ofFloats(shape, f);
  }
}
