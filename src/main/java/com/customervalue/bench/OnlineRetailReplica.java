package com.customervalue.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The UCI Online Retail file enlarged by replication: copy k (0-based) of every line, with customer ids
 * offset by k x {@link #ID_OFFSET} and invoice numbers suffixed {@code -k}, so each copy is a distinct set
 * of customers and invoices with the same history. Copy 0 is the file unchanged, so one copy is the
 * original. Every column stays text as read, so the copies keep the file's own conventions (float-style
 * ids, cancellation prefix, date format) and the example config reads them unchanged.
 */
public final class OnlineRetailReplica {
  /** Customer ids of the file are below 20,000; copies are this far apart. */
  public static final long ID_OFFSET = 1_000_000L;
  static final String INVOICE = "InvoiceNo";
  static final String CUSTOMER = "CustomerID";

  private OnlineRetailReplica() {}

  /** Reads the file (or folder) as text with its header, as the example config's reader options do. */
  public static Dataset<Row> read(SparkSession spark, String path) {
    return spark.read().option("header", "true").option("quote", "\"").option("escape", "\"")
        .option("inferSchema", "false").csv(path);
  }

  /** {@code copies} copies of the lines, copy 0 first; fails when an id would collide with another copy's. */
  public static Dataset<Row> replicate(Dataset<Row> lines, int copies) {
    if (copies < 1) {
      throw new IllegalArgumentException("copies must be at least 1, not " + copies);
    }
    if (copies > 1) {
      Row top = lines.agg(max(trim(col(CUSTOMER)).cast("double"))).first();
      if (!top.isNullAt(0) && top.getDouble(0) >= ID_OFFSET) {
        throw new IllegalArgumentException("customer id " + top.getDouble(0) + " is not below the copy offset "
            + ID_OFFSET + ": copies would share customers");
      }
    }
    List<Dataset<Row>> parts = new ArrayList<>();
    for (int k = 0; k < copies; k++) {
      parts.add(k == 0 ? lines : copy(lines, k));
    }
    // A union, not a cross join: each copy is its own scan and so its own task and output file.
    Dataset<Row> all = parts.get(0);
    for (int k = 1; k < parts.size(); k++) {
      all = all.union(parts.get(k));
    }
    return all;
  }

  private static Dataset<Row> copy(Dataset<Row> lines, int k) {
    Column id = trim(col(CUSTOMER));
    // Written back in the file's float style ("1017850.0"); a blank id stays blank (an unkeyed line).
    Column offsetId = when(id.isNull().or(id.equalTo("")), col(CUSTOMER))
        .otherwise(concat(id.cast("double").cast("long").plus(lit(k * ID_OFFSET)).cast("string"), lit(".0")));
    return lines
        .withColumn(INVOICE, concat(col(INVOICE), lit("-" + k)))
        .withColumn(CUSTOMER, offsetId);
  }

  /** Writes the lines as gzip CSV part files with a header, quoted as the original. */
  public static void write(Dataset<Row> lines, String folder) {
    lines.write().mode("overwrite").option("header", "true")
        // Spark trims values on write by default; the copies keep every value as the file has it.
        .option("ignoreLeadingWhiteSpace", "false").option("ignoreTrailingWhiteSpace", "false")
        .option("quote", "\"").option("escape", "\"").option("compression", "gzip").csv(folder);
  }
}
