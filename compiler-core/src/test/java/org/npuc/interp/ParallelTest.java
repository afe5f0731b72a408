package org.npuc.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {
  @Test
  void runsEveryIndexExactlyOnce() {
    for (int n : new int[] {0, 1, 2, 3, 17, 1000}) {
      for (boolean parallel : new boolean[] {false, true}) {
        AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(n, 1));
        Parallel.forRange(n, parallel, runs::incrementAndGet);
        for (int i = 0; i < n; i++) assertEquals(1, runs.get(i), "n=" + n + " parallel=" + parallel + " index " + i);
      }
    }
  }

  @Test
  void nestedLoopsRunInnerIndicesInline() {
    AtomicIntegerArray runs = new AtomicIntegerArray(8 * 50);
    Parallel.forRange(8, true, i -> Parallel.forRange(50, true, j -> runs.incrementAndGet(i * 50 + j)));
    for (int k = 0; k < runs.length(); k++) assertEquals(1, runs.get(k), "index " + k);
  }

  @Test
  void rethrowsTheBodysExceptionAndStaysUsable() {
    IllegalArgumentException boom = new IllegalArgumentException("boom");
    IllegalArgumentException got =
        assertThrows(IllegalArgumentException.class, () -> Parallel.forRange(64, true, i -> {
          if (i == 40) throw boom;
        }));
    assertSame(boom, got);
    AtomicIntegerArray runs = new AtomicIntegerArray(64);
    Parallel.forRange(64, true, runs::incrementAndGet);
    for (int i = 0; i < 64; i++) assertEquals(1, runs.get(i));
  }

  @Test
  void concurrentCallersEachGetAllTheirIndices() throws Exception {
    int threads = 4;
    int loops = 200;
    AtomicIntegerArray runs = new AtomicIntegerArray(threads * 100);
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * 100;
      ts.add(new Thread(() -> {
        for (int l = 0; l < loops; l++) Parallel.forRange(100, true, i -> runs.incrementAndGet(base + i));
      }));
    }
    for (Thread t : ts) t.start();
    for (Thread t : ts) t.join();
    for (int k = 0; k < runs.length(); k++) assertEquals(loops, runs.get(k), "index " + k);
  }
}
