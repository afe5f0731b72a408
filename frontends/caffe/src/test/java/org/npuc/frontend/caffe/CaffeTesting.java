package org.npuc.frontend.caffe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.spi.ImportOptions;

/** Shared helpers of the Caffe frontend tests: importing, running the reference interpreter, comparing. */
final class CaffeTesting {
  private CaffeTesting() {}

  static Path write(Path dir, String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  static Graph importNet(Path prototxt, Path weights, Map<String, int[]> shapes) {
    ImportOptions o = new ImportOptions(prototxt).weights(weights);
    o.inputShapes().putAll(shapes);
    return new CaffeFrontend().importModel(o);
  }

  static Graph importRandom(Path prototxt, long seed, Map<String, int[]> shapes) {
    ImportOptions o = new ImportOptions(prototxt).randomWeights(true).seed(seed);
    o.inputShapes().putAll(shapes);
    return new CaffeFrontend().importModel(o);
  }

  static List<String> opNames(Graph g) {
    List<String> r = new ArrayList<>();
    for (Operation op : g) if (!op.is("constant")) r.add(op.name());
    return r;
  }

  /**
   * Runs the core reference interpreter ({@code org.npuc.interp.Interpreter}, written on another
   * branch). Until it is merged the numeric tests are skipped with this reason, visibly.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Tensor> run(Graph g, Map<String, Tensor> inputs) {
    Class<?> c;
    try {
      c = Class.forName("org.npuc.interp.Interpreter");
    } catch (ClassNotFoundException e) {
      assumeTrue(false, "skipped: org.npuc.interp.Interpreter is not on this branch yet (merge main)");
      return null;
    }
    try {
      Constructor<?> k = c.getConstructor(Graph.class);
      Object interp = k.newInstance(g);
      Method run = c.getMethod("run", Map.class);
      return (Map<String, Tensor>) run.invoke(interp, inputs);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  static float maxAbsDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length, "element count");
    float m = 0;
    for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    return m;
  }

  static void assertClose(float[] expected, Tensor actual, float tol, String what) {
    float[] got = actual.floats();
    assertEquals(expected.length, got.length, what + ": element count");
    for (int i = 0; i < got.length; i++) {
      if (!(Math.abs(expected[i] - got[i]) <= tol)) {
        throw new AssertionError(what + ": element " + i + " expected " + expected[i] + " got " + got[i] + " (tolerance " + tol + ")");
      }
    }
  }

  static void assertShape(int[] expected, Tensor t, String what) {
    assertArrayEquals(expected, t.shape(), what + ": shape");
  }

  static Tensor tensor(int[] shape, float... data) {
    return Tensor.ofFloats(shape, data);
  }

  /** Deterministic pseudo-random data in [-1, 1). */
  static float[] data(int n, long seed) {
    java.util.Random r = new java.util.Random(seed);
    float[] f = new float[n];
    for (int i = 0; i < n; i++) f[i] = r.nextFloat() * 2 - 1;
    return f;
  }
}
