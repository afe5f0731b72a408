package org.npuc.interp;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The kernels' parallel for-loop: indices {@code [0, n)} shared between the calling thread and
 * a few daemon workers that spin for a short while after each loop before they park. An
 * interpreter run issues dozens of parallel loops of 5-50 µs each (every convolution stage, every
 * pooling); on the common fork-join pool each of them first wakes a parked worker, which on a
 * virtual machine costs about as much as the loop itself (LeNet ran faster on one thread than on
 * two). Workers that are still spinning pick the next loop up within a microsecond, as OpenCV's
 * pool does. Workers park after {@link #SPIN_NANOS} without work, so an idle process burns nothing.
 *
 * <p>One loop at a time: a loop issued while another runs (from a body, or from another thread)
 * runs on its own thread, in order, so nesting never deadlocks. The spin time is set with
 * {@code -Dnpuc.spinMicros} (0: workers park at once).
 */
public final class Parallel {
  private static final int WORKERS = Math.max(0, Math.min(Runtime.getRuntime().availableProcessors(), 16) - 1);
  private static final long SPIN_NANOS = Long.getLong("npuc.spinMicros", 200) * 1000L;
  private static final AtomicBoolean BUSY = new AtomicBoolean();
  private static final Worker[] POOL = new Worker[WORKERS];
  private static volatile Loop current;
  private static volatile boolean started;

  private Parallel() {}

  /**
   * Runs {@code body} for every index in {@code [0, n)}; on the workers too when {@code parallel}
   * and the pool is free, else in order on this thread. The first exception of a body is rethrown
   * here once every started index has finished; indices not yet started are then skipped.
   */
  public static void forRange(int n, boolean parallel, IntConsumer body) {
    if (!parallel || n <= 1 || WORKERS == 0 || !BUSY.compareAndSet(false, true)) {
      for (int i = 0; i < n; i++) body.accept(i);
      return;
    }
    try {
      Loop loop = new Loop(body, n);
      current = loop;
      wakeWorkers();
      loop.work();
      loop.awaitDone();
      loop.rethrow();
    } finally {
      current = null; // the loop's body holds the op's arrays
      BUSY.set(false);
    }
  }

  private static void wakeWorkers() {
    if (!started) startWorkers();
    for (Worker w : POOL) {
      if (w.parked) {
        w.parked = false;
        LockSupport.unpark(w);
      }
    }
  }

  /** Starts the workers on the first parallel loop (a process that never runs a kernel has none). */
  private static synchronized void startWorkers() {
    if (started) return;
    for (int i = 0; i < WORKERS; i++) {
      POOL[i] = new Worker(i);
      POOL[i].start();
    }
    started = true;
  }

  /** One parallel loop: the next index to claim and the count of indices finished. */
  private static final class Loop {
    final IntConsumer body;
    final int n;
    final int grain;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger done = new AtomicInteger();
    volatile Throwable error;

    Loop(IntConsumer body, int n) {
      this.body = body;
      this.n = n;
      // Indices are claimed in runs of consecutive indices, about two per thread: every claim is
      // an atomic update of a line both cores write (64 single claims cost 15 µs, more than the
      // pooling they handed out), and threads writing neighbouring indices of one output share
      // its cache lines (Winograd's 64-channel input transform ran 1.5x slower in runs of 8).
      this.grain = Math.max(1, n / (2 * (WORKERS + 1)));
    }

    void work() {
      for (int from = next.getAndAdd(grain); from < n; from = next.getAndAdd(grain)) {
        int to = Math.min(n, from + grain);
        try {
          for (int i = from; i < to && error == null; i++) body.accept(i);
        } catch (Throwable t) {
          if (error == null) error = t;
        } finally {
          done.addAndGet(to - from);
        }
      }
    }

    void awaitDone() {
      for (int spins = 0; done.get() < n; spins++) {
        // A worker holding the last index may have been descheduled: let it run.
        if ((spins & 0xff) == 0xff) Thread.yield();
        else Thread.onSpinWait();
      }
    }

    void rethrow() {
      Throwable t = error;
      if (t instanceof RuntimeException r) throw r;
      if (t instanceof Error e) throw e;
      if (t != null) throw new IllegalStateException(t);
    }
  }

  /** A daemon thread that works on each new loop, spinning between loops, then parking. */
  private static final class Worker extends Thread {
    volatile boolean parked;

    Worker(int index) {
      super("npuc-kernel-" + index);
      setDaemon(true);
    }

    @Override
    public void run() {
      Loop seen = null;
      while (true) {
        Loop loop = current;
        if (loop != seen) {
          seen = loop;
          if (loop != null) loop.work();
          continue;
        }
        long until = System.nanoTime() + SPIN_NANOS;
        while ((loop = current) == seen && System.nanoTime() < until) Thread.onSpinWait();
        if (loop != seen) continue;
        // Announce the park, then look once more: a caller that published a loop after this
        // look sees the flag and unparks (both are volatile, so one of the two sees the other).
        parked = true;
        if (current == seen) LockSupport.park(this);
        parked = false;
      }
    }
  }
}
