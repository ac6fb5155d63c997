package com.customervalue.warehouse;

import com.customervalue.config.WarehouseSettings;
import com.customervalue.errors.Errors;
import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Checks, once per command and before any job, that the warehouse can be reached with the
 * credentials and endpoint the session has. Without it, wrong credentials surface inside Delta,
 * which logs each retry of its log read with a stack trace before the job fails; this check fails
 * first, with one line that names the warehouse and the bucket.
 *
 * <p>It probes the {@code job_runs} table, which every job writes, rather than the root itself:
 * an IAM policy scoped to {@code warehouse/*} (as in deploy/emr/iam-policy.json) allows the one
 * and may deny the other. A probe that finds nothing is fine (a first run); only a failure to ask
 * stops the command.
 */
public final class WarehouseAccess {
  private WarehouseAccess() {}

  /** Throws a {@link com.customervalue.errors.StorageException} when the warehouse cannot be reached. */
  public static void check(SparkSession spark, WarehouseSettings warehouse) {
    String probe = warehouse.tablePath(Tables.JOB_RUNS);
    Path path = new Path(probe);
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.exists(path);
    } catch (IOException | RuntimeException e) {
      throw Errors.warehouseUnavailable(warehouse.root(), probe, e);
    }
  }
}
