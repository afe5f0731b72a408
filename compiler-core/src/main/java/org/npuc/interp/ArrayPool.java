package org.npuc.interp;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Float arrays of dead intermediate values, handed out again as the outputs of later ops, so an
 * interpreter run keeps rewriting the same few buffers, which stay in the caches, instead of
 * streaming fresh heap through them (a new array's cache lines come from memory; on MTCNN det3
 * every op's output is a new 8-270 KB array). An {@link Interpreter} owns a pool and activates it
 * on its thread for the duration of a run; it returns an array once no live value refers to it and
 * it is no graph constant, input or output. Outside a run {@link #floats} is plain {@code new}.
 */
public final class ArrayPool {
  /** Arrays kept for reuse, at most this many floats (64 MiB) per pool. */
  static final long MAX_POOLED = 16L << 20;

  private static final ThreadLocal<ArrayPool> ACTIVE = new ThreadLocal<>();

  private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
  private long pooled;

  /** A zeroed {@code float[n]}: a recycled one while a run with a pool is active on this thread. */
  public static float[] floats(int n) {
    ArrayPool p = ACTIVE.get();
    if (p != null) {
      ArrayDeque<float[]> q = p.free.get(n);
      float[] a = q == null ? null : q.poll();
      if (a != null) {
        p.pooled -= n;
        Arrays.fill(a, 0f);
        return a;
      }
    }
    return new float[n];
  }

  /** Makes this pool the one {@link #floats} draws from on this thread; returns the one it replaces. */
  ArrayPool activate() {
    ArrayPool before = ACTIVE.get();
    ACTIVE.set(this);
    return before;
  }

  /** Restores the pool {@link #activate} replaced (null for none). */
  static void restore(ArrayPool before) {
    if (before == null) ACTIVE.remove();
    else ACTIVE.set(before);
  }

  /** Takes back an array that nothing refers to any more. */
  void give(float[] a) {
    if (a.length == 0 || pooled + a.length > MAX_POOLED) return;
    free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
    pooled += a.length;
  }

  /** Floats held for reuse (for tests). */
  long pooledFloats() {
    return pooled;
  }
}
