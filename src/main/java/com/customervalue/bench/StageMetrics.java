package com.customervalue.bench;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Sums Spark's task metrics over one measurement at a time. Measurements never overlap, and each ends by
 * draining the (asynchronous) listener bus, so every task that ends between {@link #begin} and
 * {@link #end} belongs to that measurement, whichever thread submitted its job (Delta and MLlib submit
 * some from their own thread pools, which a job-group or local-property label would miss).
 */
public final class StageMetrics extends SparkListener {
  /** What the tasks of one measurement did. Bytes are summed; peak execution memory is the largest of one task. */
  public record Totals(long shuffleReadBytes, long shuffleWriteBytes, long spillBytes, long peakExecutionMemory,
      long tasks) {}

  private final AtomicLong shuffleRead = new AtomicLong();
  private final AtomicLong shuffleWrite = new AtomicLong();
  private final AtomicLong spill = new AtomicLong();
  private final AtomicLong peakExecution = new AtomicLong();
  private final AtomicLong tasks = new AtomicLong();
  private final SparkContext context;

  private StageMetrics(SparkContext context) {
    this.context = context;
  }

  /** Registers a listener on the context and returns it. */
  public static StageMetrics register(SparkContext context) {
    StageMetrics metrics = new StageMetrics(context);
    context.addSparkListener(metrics);
    return metrics;
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd event) {
    TaskMetrics m = event.taskMetrics();
    if (m == null) {
      return;
    }
    shuffleRead.addAndGet(m.shuffleReadMetrics().totalBytesRead());
    shuffleWrite.addAndGet(m.shuffleWriteMetrics().bytesWritten());
    spill.addAndGet(m.diskBytesSpilled());
    peakExecution.accumulateAndGet(m.peakExecutionMemory(), Math::max);
    tasks.incrementAndGet();
  }

  /** Starts a measurement: what ended before it is delivered and forgotten. */
  public void begin() {
    drain();
    shuffleRead.set(0);
    shuffleWrite.set(0);
    spill.set(0);
    peakExecution.set(0);
    tasks.set(0);
  }

  /** Ends a measurement: its totals once every event posted so far has been delivered. */
  public Totals end() {
    drain();
    return new Totals(shuffleRead.get(), shuffleWrite.get(), spill.get(), peakExecution.get(), tasks.get());
  }

  /**
   * Waits until the listener bus has delivered every event posted so far. Spark has no public way to do
   * this; {@code LiveListenerBus.waitUntilEmpty} (Scala {@code private[spark]}, public in bytecode) is what
   * Spark's own tests use for exactly this.
   */
  private void drain() {
    try {
      context.listenerBus().waitUntilEmpty(60_000);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Spark's listener bus did not drain within 60 s: the measurement's"
          + " task metrics would be incomplete", e);
    }
  }
}
