package com.customervalue.warehouse;

/** Columns every bronze row carries to say where it came from. */
public final class Lineage {
  /** The run that wrote the row; bronze tables are partitioned by it. */
  public static final String RUN_ID = "_run_id";
  /** The file the row was read from. */
  public static final String SOURCE_FILE = "_source_file";
  /** When the ingest run started (the same instant for every row of a run). */
  public static final String INGESTED_AT = "_ingested_at";

  private Lineage() {}
}
