package com.customervalue.cli;

import static com.customervalue.testing.TableComparison.comparable;
import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.testing.ChildCli;
import com.customervalue.testing.ChildCli.Result;
import com.customervalue.testing.SparkExtension;
import com.customervalue.warehouse.Tables;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-runs and a killed run, as an unattended schedule meets them: the whole pipeline runs, runs
 * again with the same run id and is killed (SIGKILL, no shutdown hook runs) while it writes
 * customer_features, then runs once more. Every table must stay readable at its last committed
 * version, and every run must leave the same contents: each job replaces its run's rows.
 */
@ExtendWith(SparkExtension.class)
class InterruptedRunTest {
  private static final String RUN_ID = "rerun";
  private static final String KILLED_TABLE = "customer_features";

  private static Path config(Path dir, Path input, Path warehouse) throws IOException {
    return Files.writeString(dir.resolve("test.conf"), "customer-value {\n"
        + "  input-root = \"" + input + "\"\n"
        + "  warehouse.root = \"" + warehouse + "\"\n"
        + "  spark.default-master = \"local[2]\"\n"
        + "  spark.properties { \"spark.ui.enabled\" = \"false\", \"spark.sql.shuffle.partitions\" = \"2\","
        + " \"spark.driver.host\" = \"127.0.0.1\", \"spark.driver.bindAddress\" = \"127.0.0.1\","
        + " \"spark.sql.warehouse.dir\" = \"" + warehouse.resolve("_catalog") + "\" }\n"
        // A small sample: planted bad rows are a larger share, and one quick model keeps each run short.
        + "  ingest.max-quarantine-fraction = 0.2\n"
        + "  train { targets = [\"returned\"], classifiers = [\"logistic\"], compare-variants = [], folds = 2,"
        + " purge-overlapping-labels = false, text.enabled = false, feature-selection.enabled = false,"
        + " grid.logistic { regParam = [0.01], elasticNetParam = [0.0] } }\n"
        + "}\n");
  }

  @Test
  void aKilledRunLeavesEveryTableReadableAndTheNextRunWritesTheSameTables(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Path input = dir.resolve("sample");
    Path warehouse = dir.resolve("warehouse");
    String conf = config(dir, input, warehouse).toString();
    Result sample = ChildCli.run(dir, "sample", 5, "generate-sample", "--config", conf, "--customers", "200",
        "--years", "2");
    assertThat(sample.exit()).as(sample.err()).isZero();

    Result first = ChildCli.run(dir, "first", 12, "run", "--config", conf, "--run-id", RUN_ID);
    assertThat(first.exit()).as(first.err()).isZero();
    Map<String, Dataset<Row>> expected = contents(spark, warehouse);
    assertThat(expected).containsKeys("bronze_invoices", "silver_invoices", "keyed_invoices", KILLED_TABLE,
        "model_metrics", "customer_scores", "segment_insights", Tables.QUARANTINE, Tables.DATA_QUALITY);

    // The same run again, killed once customer_features has data files its log does not name yet.
    Path table = warehouse.resolve(KILLED_TABLE);
    long committed = DeltaTable.forPath(spark, table.toString()).history(1).select("version").first().getLong(0);
    Set<Path> filesBefore = dataFiles(table);
    ChildCli second = ChildCli.start(dir, "second", "run", "--config", conf, "--run-id", RUN_ID);
    Set<Path> uncommitted = Set.of();
    while (second.process().isAlive()) {
      Set<Path> now = dataFiles(table);
      now.removeAll(filesBefore);
      if (!now.isEmpty() && latestCommit(table) == committed) {
        second.process().destroyForcibly().waitFor();
        uncommitted = now;
        break;
      }
      Thread.sleep(20);
    }
    assertThat(uncommitted).as("the kill landed while customer_features was being written (second.err: %s)",
        dir.resolve("second.err")).isNotEmpty();
    assertThat(latestCommit(table)).as("the killed write never committed").isEqualTo(committed);
    assertThat(dataFiles(table)).as("its files are on disk, outside the table").containsAll(uncommitted);

    // Every table reads at its last commit, with the first run's contents: the jobs the killed run
    // finished replaced their rows with the same rows, and customer_features kept the first run's.
    assertSameContents(expected, contents(spark, warehouse), "after the kill");

    Result third = ChildCli.run(dir, "third", 12, "run", "--config", conf, "--run-id", RUN_ID);
    assertThat(third.exit()).as(third.err()).isZero();
    assertSameContents(expected, contents(spark, warehouse), "after the next run");
    assertThat(spark.read().format("delta").load(warehouse.resolve(Tables.JOB_RUNS).toString())
        .where("run_id = '" + RUN_ID + "' AND job = 'features' AND status = 'succeeded'").count())
        .as("job_runs keeps every finished attempt: the killed one never finished").isEqualTo(2);
  }

  /** Every Delta table under the warehouse but job_runs (a history, appended to), as comparable rows. */
  private static Map<String, Dataset<Row>> contents(SparkSession spark, Path warehouse) throws IOException {
    Map<String, Dataset<Row>> tables = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(warehouse)) {
      for (Path d : dirs.filter(p -> Files.isDirectory(p.resolve("_delta_log"))).toList()) {
        String name = d.getFileName().toString();
        if (name.equals(Tables.JOB_RUNS)) {
          continue;
        }
        Dataset<Row> rows = spark.read().format("delta").load(d.toString());
        if (name.equals("model_metrics")) {
          rows = rows.where("metric NOT LIKE '%seconds%'");   // wall time of the fits
        }
        // Collected now: a later run must not change what this snapshot compares.
        Dataset<Row> cmp = comparable(rows);
        tables.put(name, spark.createDataFrame(cmp.collectAsList(), cmp.schema()));
      }
    }
    return tables;
  }

  private static void assertSameContents(Map<String, Dataset<Row>> expected, Map<String, Dataset<Row>> actual,
      String when) {
    assertThat(actual.keySet()).as("tables %s", when).isEqualTo(expected.keySet());
    for (Map.Entry<String, Dataset<Row>> e : expected.entrySet()) {
      Dataset<Row> now = actual.get(e.getKey());
      assertThat(now.exceptAll(e.getValue()).count()).as("%s: rows of %s the first run did not write", when,
          e.getKey()).isZero();
      assertThat(e.getValue().exceptAll(now).count()).as("%s: rows of %s the first run wrote and are gone", when,
          e.getKey()).isZero();
    }
  }

  private static Set<Path> dataFiles(Path table) throws IOException {
    try (Stream<Path> files = Files.walk(table)) {
      return new HashSet<>(files.filter(p -> p.getFileName().toString().endsWith(".parquet")
          && !p.toString().contains("_delta_log")).toList());
    }
  }

  private static long latestCommit(Path table) throws IOException {
    try (Stream<Path> log = Files.list(table.resolve("_delta_log"))) {
      return log.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{20}\\.json"))
          .mapToLong(n -> Long.parseLong(n.substring(0, 20))).max().orElse(-1);
    }
  }
}
