package com.customervalue.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.config.AppConfig;
import com.customervalue.config.ConfigLoader;
import com.customervalue.testing.SparkExtension;
import com.customervalue.warehouse.DeltaTables;
import com.customervalue.warehouse.Lineage;
import io.delta.tables.DeltaTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class WriteCostTest {
  @TempDir Path dir;

  private Dataset<Row> rows(SparkSession spark, String runId, int n) {
    return spark.range(n).selectExpr("id", "'" + runId + "' AS " + Lineage.RUN_ID);
  }

  @Test
  void currentVersionFollowsEveryCommitAsHistoryDoes(SparkSession spark) {
    String path = dir.resolve("t").toString();
    DeltaTables.replace(rows(spark, "a", 3), path, List.of(), Lineage.RUN_ID, "a");
    assertThat(DeltaTables.currentVersion(spark, path)).isZero();
    DeltaTables.replace(rows(spark, "b", 2), path, List.of(), Lineage.RUN_ID, "b");
    DeltaTables.replace(rows(spark, "b", 4), path, List.of(), Lineage.RUN_ID, "b");
    long fromHistory = DeltaTable.forPath(spark, path).history(1).select("version").first().getLong(0);
    assertThat(DeltaTables.currentVersion(spark, path)).isEqualTo(2).isEqualTo(fromHistory);
  }

  @Test
  void countsTheCommitsAStageMadePerTableAndWritesTheRunsRowsThreeWays(SparkSession spark) throws Exception {
    Path warehouse = dir.resolve("warehouse");
    AppConfig app = ConfigLoader.loadFromString("customer-value.warehouse.root = \"" + warehouse + "\"\n");
    WriteCost cost = new WriteCost(spark, app, dir.resolve("scratch").toUri().toString());
    assertThat(cost.versions()).as("no warehouse yet").isEmpty();

    DeltaTables.replace(rows(spark, "old", 5), warehouse.resolve("kept").toString(), List.of(), Lineage.RUN_ID, "old");
    Files.createDirectories(warehouse.resolve("not_a_table"));
    Map<String, Long> before = cost.versions();
    assertThat(before).containsExactly(Map.entry("kept", 0L));

    // A "stage": two commits to a new table, none to the old one.
    String created = warehouse.resolve("created").toString();
    DeltaTables.replace(rows(spark, "r1", 3), created, List.of(), Lineage.RUN_ID, "r1");
    DeltaTables.replace(rows(spark, "r1", 4), created, List.of(), Lineage.RUN_ID, "r1");
    Map<String, Long> commits = WriteCost.commits(before, cost.versions());
    assertThat(commits).containsExactly(Map.entry("created", 2L));

    Dataset<Row> run = cost.runRows("created", "r1");
    try {
      assertThat(run.count()).isEqualTo(4);
      cost.parquet(run, "created");
      cost.delta(run, "created", "r1");
      cost.delta(run, "created", "r1");
      String scratch = dir.resolve("scratch").toString();
      assertThat(spark.read().parquet(scratch + "/parquet/created").count()).isEqualTo(4);
      assertThat(spark.read().format("delta").load(scratch + "/delta/created").count())
          .as("the second Delta write replaces the run's rows").isEqualTo(4);
      assertThat(DeltaTables.currentVersion(spark, scratch + "/delta/created")).isEqualTo(1);
    } finally {
      run.unpersist();
    }
    cost.clear();
    assertThat(dir.resolve("scratch")).doesNotExist();
  }
}
