package com.customervalue.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Polls the JVM's used heap on a daemon thread and keeps the largest value since the last
 * {@link #reset()}. In local mode the driver and the executors share this JVM, so this is the heap the
 * whole stage needed (live data plus garbage not yet collected, bounded by -Xmx).
 */
public final class HeapSampler implements AutoCloseable {
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final AtomicLong peak = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  public HeapSampler(long intervalMillis) {
    thread = new Thread(() -> {
      while (running) {
        sample();
        try {
          Thread.sleep(intervalMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }, "bench-heap-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void sample() {
    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
  }

  /** Starts a new measurement from the heap used now. */
  public void reset() {
    peak.set(memory.getHeapMemoryUsage().getUsed());
  }

  /** The largest used heap since the last reset, in bytes (sampled once more now). */
  public long peakBytes() {
    sample();
    return peak.get();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
