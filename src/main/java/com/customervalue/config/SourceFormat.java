package com.customervalue.config;

/** File formats a source can be read from; compression follows the file extension. */
public enum SourceFormat {
  CSV, JSON, PARQUET;

  /** The Spark data source name. */
  public String sparkName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
