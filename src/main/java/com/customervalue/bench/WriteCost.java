package com.customervalue.bench;

import static org.apache.spark.sql.functions.col;

import com.customervalue.config.AppConfig;
import com.customervalue.warehouse.DeltaTables;
import com.customervalue.warehouse.Lineage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Goal 5 of the benchmark: what a stage's table writes cost in Delta against a plain Parquet write
 * of the same rows, and how many commits the stage made per table. The versions of every Delta
 * table under the warehouse root are read before and after a stage; for each table the stage
 * changed, its rows of the run are cached (not timed) and written three times into a scratch
 * directory: plain Parquet, a first Delta write (the product's {@link DeltaTables#replace}, which
 * creates the table) and the same write again (a re-run of the run: Delta replaces the run's rows).
 */
final class WriteCost {
  private final SparkSession spark;
  private final Path root;
  private final String scratch;

  WriteCost(SparkSession spark, AppConfig app, String scratch) {
    this.spark = spark;
    this.root = new Path(app.warehouse().root());
    this.scratch = scratch;
  }

  /** Newest version of every Delta table directly under the warehouse root, by table name. */
  Map<String, Long> versions() {
    Map<String, Long> versions = new TreeMap<>();
    try {
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(root)) {
        return versions;
      }
      for (FileStatus dir : fs.listStatus(root)) {
        String path = dir.getPath().toString();
        if (dir.isDirectory() && fs.exists(new Path(dir.getPath(), "_delta_log"))) {
          versions.put(dir.getPath().getName(), DeltaTables.currentVersion(spark, path));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the warehouse root " + root, e);
    }
    return versions;
  }

  /** Commits a stage made per table: versions after minus before (a new table's first commit is version 0). */
  static Map<String, Long> commits(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> commits = new TreeMap<>();
    after.forEach((table, version) -> {
      long made = version - before.getOrDefault(table, -1L);
      if (made > 0) {
        commits.put(table, made);
      }
    });
    return commits;
  }

  /** The table's rows of this run (all rows when it has no run id column), marked for caching: the first count fills it. */
  Dataset<Row> runRows(String table, String runId) {
    Dataset<Row> rows = spark.read().format("delta").load(new Path(root, table).toString());
    if (Arrays.asList(rows.columns()).contains(Lineage.RUN_ID)) {
      rows = rows.where(col(Lineage.RUN_ID).equalTo(runId));
    }
    return rows.persist(StorageLevel.MEMORY_AND_DISK());
  }

  void parquet(Dataset<Row> rows, String table) {
    rows.write().mode(SaveMode.Overwrite).parquet(scratch + "/parquet/" + table);
  }

  /** The product's idempotent write: creates the table the first time, replaces the run's rows after. */
  void delta(Dataset<Row> rows, String table, String runId) {
    String path = scratch + "/delta/" + table;
    if (Arrays.asList(rows.columns()).contains(Lineage.RUN_ID)) {
      DeltaTables.replace(rows, path, List.of(), Lineage.RUN_ID, runId);
    } else {
      DeltaTables.replaceWhere(rows, path, List.of(), "true");
    }
  }

  /** Removes the scratch tables, so each stage's writes start from nothing. */
  void clear() {
    try {
      Path dir = new Path(scratch);
      dir.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(dir, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + scratch, e);
    }
  }
}
