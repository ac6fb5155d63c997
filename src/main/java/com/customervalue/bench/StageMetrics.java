package com.customervalue.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
  /**
   * What the tasks of one measurement did. Bytes are summed; peak execution memory is the largest of one task;
   * {@code taskBusyMillis} is the time at least one task was running (the union of their run intervals), so the
   * rest of the wall time is driver-side work: planning, scheduling, Delta's log and commits.
   */
  public record Totals(long shuffleReadBytes, long shuffleWriteBytes, long spillBytes, long peakExecutionMemory,
      long tasks, long taskBusyMillis) {
    /** No tasks: for rows that time no Spark work of their own. */
    public static final Totals NONE = new Totals(0, 0, 0, 0, 0, 0);
  }

  private final AtomicLong shuffleRead = new AtomicLong();
  private final AtomicLong shuffleWrite = new AtomicLong();
  private final AtomicLong spill = new AtomicLong();
  private final AtomicLong peakExecution = new AtomicLong();
  private final AtomicLong tasks = new AtomicLong();
  /** Launch and finish times (ms) of the measurement's tasks; the listener bus delivers events on one thread. */
  private final List<long[]> intervals = new ArrayList<>();
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
    var info = event.taskInfo();
    if (info != null && info.finishTime() > 0) {
      synchronized (intervals) {
        intervals.add(new long[] {info.launchTime(), info.finishTime()});
      }
    }
  }

  /** Starts a measurement: what ended before it is delivered and forgotten. */
  public void begin() {
    drain();
    shuffleRead.set(0);
    shuffleWrite.set(0);
    spill.set(0);
    peakExecution.set(0);
    tasks.set(0);
    synchronized (intervals) {
      intervals.clear();
    }
  }

  /** Ends a measurement: its totals once every event posted so far has been delivered. */
  public Totals end() {
    drain();
    long busy;
    synchronized (intervals) {
      busy = unionMillis(intervals);
    }
    return new Totals(shuffleRead.get(), shuffleWrite.get(), spill.get(), peakExecution.get(), tasks.get(), busy);
  }

  /** Length of the union of [start, end] intervals, in their unit. */
  static long unionMillis(List<long[]> intervals) {
    List<long[]> sorted = new ArrayList<>(intervals);
    sorted.sort(Comparator.comparingLong(i -> i[0]));
    long total = 0;
    long start = Long.MIN_VALUE;
    long end = Long.MIN_VALUE;
    for (long[] i : sorted) {
      if (i[0] > end) {
        total += end - start;
        start = i[0];
        end = i[1];
      } else {
        end = Math.max(end, i[1]);
      }
    }
    return total + (end - start);
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
