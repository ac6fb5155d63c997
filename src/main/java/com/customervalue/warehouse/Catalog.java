package com.customervalue.warehouse;

import com.customervalue.config.WarehouseSettings;
import com.customervalue.errors.CustomerValueException;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes output tables visible to SQL users and BI tools: registers them in the configured database
 * of the session catalog (Spark's built-in catalog locally, the Hive metastore or AWS Glue on EMR)
 * as external Delta tables at their warehouse location, and writes Delta's symlink manifest for
 * Athena/Presto when configured. Only the tables in {@link #BI_TABLES} are registered: bronze,
 * silver, keyed and quarantine tables hold raw records and stay out of the BI database.
 */
public final class Catalog {
  /** The output tables a BI tool reads, in the order a user meets them. */
  public static final List<String> BI_TABLES = List.of("customer_scores", "feature_drift", "segment_insights",
      "customer_features", "feature_registry", "model_metrics", "feature_importance", "model_predictions",
      Tables.IDENTITY_MATCHES, Tables.DATA_QUALITY, Tables.JOB_RUNS);

  private static final Logger log = LoggerFactory.getLogger(Catalog.class);

  private Catalog() {}

  /**
   * Registers {@code table} (a name from {@link #BI_TABLES}) and writes its symlink manifest, as the
   * warehouse settings ask. Called by a job after it wrote the table.
   */
  public static void publish(SparkSession spark, WarehouseSettings warehouse, String table) {
    if (!BI_TABLES.contains(table)) {
      throw new IllegalArgumentException("'" + table + "' is not a BI table (BI tables: " + BI_TABLES + ")");
    }
    String path = warehouse.tablePath(table);
    if (warehouse.register()) {
      register(spark, warehouse.database(), table, path);
    }
    if (warehouse.symlinkManifest()) {
      DeltaTable.forPath(spark, path).generate("symlink_format_manifest");
      log.info("catalog: wrote the symlink manifest of {}", table);
    }
  }

  /**
   * Registers every BI table that exists under the warehouse root, e.g. when a new session starts
   * with Spark's built-in catalog, which forgets tables when the session ends.
   *
   * @return the tables registered, qualified with the database
   */
  public static List<String> registerAll(SparkSession spark, WarehouseSettings warehouse) {
    List<String> registered = new ArrayList<>();
    for (String table : BI_TABLES) {
      String path = warehouse.tablePath(table);
      if (DeltaTable.isDeltaTable(spark, path)) {
        register(spark, warehouse.database(), table, path);
        registered.add(warehouse.database() + "." + table);
      }
    }
    return registered;
  }

  /**
   * Creates {@code database.table} as an external Delta table at {@code path}, or points an existing
   * entry that names another location (an earlier warehouse) at this one. Dropping an external
   * table removes only the catalog entry, never the data.
   */
  static void register(SparkSession spark, String database, String table, String path) {
    String location = qualified(spark, path);
    String name = "`" + database + "`.`" + table + "`";
    spark.sql("CREATE DATABASE IF NOT EXISTS `" + database + "`");
    if (spark.catalog().tableExists(database, table)) {
      Row detail = spark.sql("DESCRIBE DETAIL " + name).select("location").first();
      if (location.equals(qualified(spark, detail.getString(0)))) {
        return;
      }
      log.info("catalog: {} pointed at {}; pointing it at {}", name, detail.getString(0), location);
      spark.sql("DROP TABLE " + name);
    }
    spark.sql("CREATE TABLE " + name + " USING delta LOCATION '" + location.replace("\\", "\\\\").replace("'", "\\'")
        + "'");
    log.info("catalog: registered {} at {}", name, location);
  }

  /** The fully qualified form of a path (file:/abs/path or s3a://bucket/key), so locations compare equal. */
  public static String qualified(SparkSession spark, String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.makeQualified(p).toString().replaceAll("/+$", "");
    } catch (IOException e) {
      throw new CustomerValueException("catalog: cannot resolve the table location " + path + ": " + e.getMessage(), e);
    }
  }
}
