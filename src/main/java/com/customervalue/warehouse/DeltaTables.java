package com.customervalue.warehouse;

import com.customervalue.errors.Errors;
import io.delta.exceptions.DeltaConcurrentModificationException;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import scala.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotent Delta writes: a run's rows are replaced, never appended twice. Two runs writing one
 * table at once are told apart by Delta's optimistic concurrency: the second commit to touch the
 * same rows fails with a conflict, and as every write here replaces a run's (or a date's) rows
 * whole, it is safe to try again on the new version: the table ends with one writer's rows.
 */
public final class DeltaTables {
  /** Attempts of a conflicting write before the job fails: two clashing writers settle in two. */
  static final int ATTEMPTS = 4;

  private static final Pattern SAFE_LITERAL = Pattern.compile("[A-Za-z0-9_.:\\-]*");
  private static final Logger log = LoggerFactory.getLogger(DeltaTables.class);

  private DeltaTables() {}

  /**
   * Runs {@code write}, an idempotent write of the table at {@code path}, again when another writer
   * committed a conflicting change to the table meanwhile (Delta's
   * {@link DeltaConcurrentModificationException}); after {@link #ATTEMPTS} conflicts the job fails
   * with a message that says so. Only for writes that replace whole runs, dates or tables: an
   * append retried after a conflict could add its rows twice.
   */
  public static void retryingConflicts(String path, Runnable write) {
    for (int attempt = 1; ; attempt++) {
      try {
        write.run();
        return;
      } catch (RuntimeException e) {
        DeltaConcurrentModificationException conflict = conflictIn(e);
        if (conflict == null) {
          throw e;
        }
        if (attempt == ATTEMPTS) {
          throw Errors.concurrentWrites(path, ATTEMPTS, conflict);
        }
        log.warn("{}: another writer committed first ({}); writing again on the new version (attempt {} of {})",
            path, conflict.getClass().getSimpleName(), attempt + 1, ATTEMPTS);
        try {
          Thread.sleep(200L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /**
   * The table's newest committed version, as lineage records it. Reads the log's listing only:
   * {@code DeltaTable.history(1)} answers the same but plans and runs a query over the commit
   * files, about a second per table on a laptop, paid for every input of every job.
   */
  public static long currentVersion(SparkSession spark, String path) {
    return DeltaLog.forTable(spark, path).update(false, Option.empty(), Option.empty()).version();
  }

  private static DeltaConcurrentModificationException conflictIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DeltaConcurrentModificationException conflict) {
        return conflict;
      }
    }
    return null;
  }

  /**
   * Replaces the rows matching {@code column = value AND ...} with {@code rows} in one Delta
   * transaction; creates the table on first use. Readers see either the old or the new rows.
   *
   * @param equalities alternating column, value pairs; values must be plain identifiers
   */
  public static void replace(Dataset<Row> rows, String path, List<String> partitionBy, String... equalities) {
    replaceWhere(rows, path, partitionBy, condition(equalities));
  }

  /**
   * Replaces the rows matching the SQL {@code condition} with {@code rows} in one Delta
   * transaction, again on a conflict with another writer (see {@link #retryingConflicts}).
   */
  public static void replaceWhere(Dataset<Row> rows, String path, List<String> partitionBy, String condition) {
    retryingConflicts(path, () -> rows.write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .option("replaceWhere", condition)
        .option("mergeSchema", "true")
        .partitionBy(partitionBy.toArray(String[]::new))
        .save(path));
  }

  /** Builds {@code a = 'x' AND b = 'y'}; refuses values that would need quoting. */
  static String condition(String... equalities) {
    if (equalities.length == 0 || equalities.length % 2 != 0) {
      throw new IllegalArgumentException("expected column, value pairs");
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < equalities.length; i += 2) {
      String value = equalities[i + 1];
      if (!SAFE_LITERAL.matcher(value).matches()) {
        throw new IllegalArgumentException("value '" + value + "' of " + equalities[i] + " is not a plain identifier");
      }
      if (sb.length() > 0) {
        sb.append(" AND ");
      }
      sb.append('`').append(equalities[i]).append("` = '").append(value).append('\'');
    }
    return sb.toString();
  }
}
