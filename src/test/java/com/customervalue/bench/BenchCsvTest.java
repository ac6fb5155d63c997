package com.customervalue.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCsvTest {
  @TempDir Path dir;

  private static BenchRow row(String stage, String note) {
    return new BenchRow("2026-11-23T06:00:00Z", 2, 23.5, "abc1234", "sample", "2000", stage, "stage", 4.0, 1000,
        512L * 1024 * 1024, 300, 700, 0, 64L * 1024 * 1024, 3.0, "3g", note);
  }

  @Test
  void writesTheHeaderOnceAndAppendsLaterRuns() throws Exception {
    Path file = dir.resolve("nested/results.csv");
    BenchCsv csv = new BenchCsv(file);
    csv.append(List.of(row("ingest", "")));
    csv.append(List.of(row("clean", ""), row("features", "")));

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).isEqualTo(String.join(",", BenchRow.COLUMNS));
    assertThat(lines.subList(1, 4)).extracting(l -> l.split(",")[6]).containsExactly("ingest", "clean", "features");
  }

  @Test
  void derivesRowsPerSecondTheShuffleTotalAndMebibytes() {
    List<String> values = row("ingest", "").values();
    assertThat(values).hasSameSizeAs(BenchRow.COLUMNS);
    assertThat(values.get(BenchRow.COLUMNS.indexOf("rows_per_second"))).isEqualTo("250");
    assertThat(values.get(BenchRow.COLUMNS.indexOf("shuffle_bytes"))).isEqualTo("1000");
    assertThat(values.get(BenchRow.COLUMNS.indexOf("peak_heap_mb"))).isEqualTo("512.0");
    assertThat(values.get(BenchRow.COLUMNS.indexOf("peak_execution_memory_mb"))).isEqualTo("64.0");
    assertThat(values.get(BenchRow.COLUMNS.indexOf("task_busy_seconds"))).isEqualTo("3.000");
    // 4 s of wall time, 3 of them with a task running.
    assertThat(values.get(BenchRow.COLUMNS.indexOf("no_task_share"))).isEqualTo("0.250");
  }

  @Test
  void busyTimeIsTheUnionOfTaskIntervals() {
    // Two overlapping tasks (0-10, 5-12), a gap, one inside another (20-30, 22-25), one touching (30-31).
    assertThat(StageMetrics.unionMillis(List.of(new long[] {20, 30}, new long[] {0, 10}, new long[] {5, 12},
        new long[] {22, 25}, new long[] {30, 31}))).isEqualTo(12 + 11);
    assertThat(StageMetrics.unionMillis(List.of())).isZero();
  }

  @Test
  void unknownRowsAndTimesAreMinusOneNotInfinity() {
    BenchRow session = new BenchRow("d", 2, 1, "c", "sample", "1", "session", "session_start", 0, -1, -1, 0, 0, 0, 0,
        -1, "3g", "");
    assertThat(session.rowsPerSecond()).isEqualTo(-1);
    assertThat(session.noTaskShare()).isEqualTo(-1);
    assertThat(session.values().get(BenchRow.COLUMNS.indexOf("peak_heap_mb"))).isEqualTo("-1");
  }

  @Test
  void quotesFieldsWithCommasQuotesAndLineBreaks() {
    assertThat(BenchCsv.field("roc_auc=0.75, log_loss=0.58")).isEqualTo("\"roc_auc=0.75, log_loss=0.58\"");
    assertThat(BenchCsv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(BenchCsv.field("two\nlines")).isEqualTo("\"two\nlines\"");
    assertThat(BenchCsv.field("plain")).isEqualTo("plain");
    assertThat(BenchCsv.field(null)).isEmpty();
  }

  @Test
  void refusesAFileWithAnotherHeader() throws Exception {
    Path file = dir.resolve("old.csv");
    Files.writeString(file, "stage,seconds\ningest,3\n");
    assertThatThrownBy(() -> new BenchCsv(file).append(List.of(row("ingest", ""))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("stage,seconds");
    assertThat(Files.readAllLines(file)).hasSize(2);
  }
}
