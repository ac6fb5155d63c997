package com.customervalue.warehouse;

import com.customervalue.sources.Source;

/** Names of the Delta tables under the warehouse root. */
public final class Tables {
  public static final String QUARANTINE = "quarantine";
  public static final String DATA_QUALITY = "data_quality";
  public static final String JOB_RUNS = "job_runs";
  public static final String IDENTITY_MATCHES = "identity_matches";

  private Tables() {}

  /** The bronze table of a source, e.g. {@code bronze_invoices}. */
  public static String bronze(Source source) {
    return "bronze_" + source.id();
  }
}
