package com.customervalue.features;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The features of one source. {@link #compute} sees the source's keyed rows of the run and the
 * snapshot grid, and returns one row per ({@code account_key}, {@code as_of}) for the accounts
 * with events before that as_of, with exactly the columns of {@link #specs()}. It may use only
 * events strictly before {@link Snapshots#AS_OF_TS}.
 */
public interface FeatureFamily {
  /** The source, e.g. {@code support_tickets}; also the name in logs. */
  String source();

  /** The registry entries of the columns {@link #compute} returns, in column order. */
  List<FeatureSpec> specs();

  /**
   * @param rows the source's rows (keyed_&lt;source&gt; for the run; press releases: silver rows)
   * @param snapshots the grid, see {@link Snapshots}
   * @param accounts (account_key, as_of) of the population, for families that need every account
   *     (press releases: company-wide events related to each account's last purchase)
   */
  Dataset<Row> compute(Dataset<Row> rows, Dataset<Row> snapshots, Dataset<Row> accounts, FeatureSettings settings);
}
