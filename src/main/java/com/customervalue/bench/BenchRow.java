package com.customervalue.bench;

import java.util.List;
import java.util.Locale;

/**
 * One line of the benchmark CSV.
 *
 * @param date when the run started, UTC, ISO-8601
 * @param cores processors the JVM sees
 * @param memoryGib the machine's physical memory, GiB
 * @param gitCommit the commit measured ({@code -dirty} when the work tree had changes)
 * @param mode {@code sample} (generated sample, size = accounts) or {@code online-retail} (size = copies)
 * @param size accounts or copies
 * @param stage the product stage the line is about (ingest, clean, ...), or {@code session} for Spark's start
 * @param measure {@code stage} (the stage itself), {@code scan} (read every input of the stage once and count),
 *     {@code scan_aggregate} (a group-by count/sum per customer over the stage's invoices input),
 *     {@code session_start}, or a peer step
 * @param wallSeconds elapsed seconds
 * @param inputRows rows of the stage's inputs (from the scan of the same run); -1 when not known
 * @param peakHeapBytes largest used heap while it ran; -1 when not measured
 * @param shuffleReadBytes shuffle bytes read by its tasks
 * @param shuffleWriteBytes shuffle bytes written by its tasks
 * @param spillBytes bytes its tasks spilled to disk
 * @param peakExecutionMemoryBytes the largest execution memory one of its tasks used
 * @param taskBusySeconds seconds during which at least one Spark task ran; the rest of the wall time is
 *     driver-side work (planning, scheduling, Delta's log, commits, the JVM); -1 when not measured
 * @param driverMemory the -Xmx the JVM ran with
 * @param note free text (e.g. ROC-AUC of a peer model)
 */
public record BenchRow(String date, int cores, double memoryGib, String gitCommit, String mode, String size,
    String stage, String measure, double wallSeconds, long inputRows, long peakHeapBytes, long shuffleReadBytes,
    long shuffleWriteBytes, long spillBytes, long peakExecutionMemoryBytes, double taskBusySeconds, String driverMemory,
    String note) {

  /** The CSV header; {@code jobs/bench/peer_pipeline.py} writes its rows by these names. */
  public static final List<String> COLUMNS = List.of("date", "cores", "memory_gib", "git_commit", "mode", "size",
      "stage", "measure", "wall_seconds", "input_rows", "rows_per_second", "peak_heap_mb", "shuffle_read_bytes",
      "shuffle_write_bytes", "shuffle_bytes", "spill_bytes", "peak_execution_memory_mb", "task_busy_seconds",
      "no_task_share", "driver_memory", "note");

  private static final double MIB = 1024.0 * 1024.0;

  /** Input rows per wall second; -1 when the rows or the time are not known. */
  public double rowsPerSecond() {
    return inputRows < 0 || wallSeconds <= 0 ? -1 : inputRows / wallSeconds;
  }

  /**
   * The share of the wall time during which no Spark task ran: the fixed overhead of running the work on
   * Spark rather than the work itself; -1 when not measured.
   */
  public double noTaskShare() {
    return taskBusySeconds < 0 || wallSeconds <= 0 ? -1 : Math.max(0, 1 - taskBusySeconds / wallSeconds);
  }

  /** The values in {@link #COLUMNS} order, as text. */
  public List<String> values() {
    return List.of(date, Integer.toString(cores), fixed(memoryGib, 1), gitCommit, mode, size, stage, measure,
        fixed(wallSeconds, 3), Long.toString(inputRows), fixed(rowsPerSecond(), 0), mib(peakHeapBytes),
        Long.toString(shuffleReadBytes), Long.toString(shuffleWriteBytes),
        Long.toString(shuffleReadBytes + shuffleWriteBytes), Long.toString(spillBytes), mib(peakExecutionMemoryBytes),
        fixed(taskBusySeconds, 3), fixed(noTaskShare(), 3), driverMemory, note);
  }

  private static String mib(long bytes) {
    return bytes < 0 ? "-1" : fixed(bytes / MIB, 1);
  }

  private static String fixed(double value, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }
}
