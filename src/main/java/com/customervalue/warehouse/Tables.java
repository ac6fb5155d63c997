package com.customervalue.warehouse;

import com.customervalue.sources.Source;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;

/** Names of the Delta tables under the warehouse root. */
public final class Tables {
  public static final String QUARANTINE = "quarantine";
  public static final String DATA_QUALITY = "data_quality";
  public static final String JOB_RUNS = "job_runs";
  public static final String IDENTITY_MATCHES = "identity_matches";

  private Tables() {}

  /** A nullable column of a declared output schema, with the comment the BI catalog shows. */
  public static StructField field(String name, DataType type, String comment) {
    return new StructField(name, type, true, new MetadataBuilder().putString("comment", comment).build());
  }

  /** The bronze table of a source, e.g. {@code bronze_invoices}. */
  public static String bronze(Source source) {
    return "bronze_" + source.id();
  }
}
