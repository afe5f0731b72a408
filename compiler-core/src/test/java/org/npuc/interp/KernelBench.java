package org.npuc.interp;

import java.util.Random;

/**
 * A manual benchmark of the GEMM and convolution kernels (not a test; surefire skips it). Run
 * after {@code mvn -pl compiler-core test-compile}:
 * {@code java -cp compiler-core/target/classes:compiler-core/target/test-classes org.npuc.interp.KernelBench}.
 * Prints the best of several runs in GFLOPS (wall clock, all cores).
 */
public final class KernelBench {
  private KernelBench() {}

  public static void main(String[] args) {
    gemm(512, 512, 512);
    gemm(64, 3136, 576);
    gemm(1, 1000, 1024);
    conv("resnet 3x3 64->64 56x56", 64, 56, 64, 3, 1, 1, 1);
    conv("mobilenet 3x3/2 3->32 224x224", 3, 224, 32, 3, 2, 1, 1);
    conv("pointwise 1x1 32->64 112x112", 32, 112, 64, 1, 1, 0, 1);
    conv("depthwise 3x3 32 112x112", 32, 112, 32, 3, 1, 1, 32);
    conv("deep 3x3 512->512 7x7", 512, 7, 512, 3, 1, 1, 1);
  }

  private static float[] random(int n) {
    Random r = new Random(1);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = r.nextFloat();
    return a;
  }

  private static void gemm(int m, int n, int k) {
    float[] a = random(m * k);
    float[] b = random(k * n);
    float[] c = new float[m * n];
    long best = Long.MAX_VALUE;
    for (int it = 0; it < 30; it++) {
      long t0 = System.nanoTime();
      Gemm.multiply(m, n, k, a, 0, k, 1, Gemm.matrix(b, 0, n, 1), c, 0, n, false);
      best = Math.min(best, System.nanoTime() - t0);
    }
    System.out.printf("gemm %dx%dx%d: %.2f ms, %.2f GFLOPS%n", m, n, k, best / 1e6, 2.0 * m * n * k / best);
  }

  private static void conv(String name, int c, int hw, int o, int k, int s, int p, int group) {
    var g = new ConvKernels.Geometry(k, k, s, s, 1, 1, p, p, p, p);
    int out = (hw + 2 * p - k) / s + 1;
    float[] x = random(c * hw * hw);
    float[] w = random(o * (c / group) * k * k);
    float[] y = new float[o * out * out];
    long best = Long.MAX_VALUE;
    for (int it = 0; it < 20; it++) {
      long t0 = System.nanoTime();
      ConvKernels.conv2d(x, new int[] {1, c, hw, hw}, w, o, null, g, group, y, out, out);
      best = Math.min(best, System.nanoTime() - t0);
    }
    double flops = 2.0 * o * out * out * (c / group) * k * k;
    System.out.printf("conv %s: %.2f ms, %.2f GFLOPS%n", name, best / 1e6, flops / best);
  }
}
