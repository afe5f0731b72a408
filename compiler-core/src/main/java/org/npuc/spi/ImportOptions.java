package org.npuc.spi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the user asked of an import: the files, the part of the graph, and input shapes. */
public final class ImportOptions {
  private final Path model;
  private Path weights;
  private final List<String> inputs = new ArrayList<>();
  private final List<String> outputs = new ArrayList<>();
  private final Map<String, int[]> inputShapes = new LinkedHashMap<>();
  private boolean randomWeights;
  private long seed = 0;

  public ImportOptions(Path model) {
    this.model = model;
  }

  /** The model file (GraphDef, prototxt, .tflite, model.json). */
  public Path model() {
    return model;
  }

  /** A separate weights file (Caffe's .caffemodel), or null. */
  public Path weights() {
    return weights;
  }

  public ImportOptions weights(Path weights) {
    this.weights = weights;
    return this;
  }

  /** Names of the tensors to treat as inputs (empty: the model's own inputs). */
  public List<String> inputs() {
    return inputs;
  }

  /** Names of the tensors to treat as outputs (empty: the model's own outputs). */
  public List<String> outputs() {
    return outputs;
  }

  /** Declared input shapes by input name, overriding the model's (in the model's own layout). */
  public Map<String, int[]> inputShapes() {
    return inputShapes;
  }

  /** Import a structure without weights, filling them with seeded random values. */
  public boolean randomWeights() {
    return randomWeights;
  }

  public ImportOptions randomWeights(boolean randomWeights) {
    this.randomWeights = randomWeights;
    return this;
  }

  public long seed() {
    return seed;
  }

  public ImportOptions seed(long seed) {
    this.seed = seed;
    return this;
  }
}
