package com.customervalue.warehouse;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The {@code quarantine} table: rows a stage could not accept, kept whole with the reason. */
public final class Quarantine {
  public static final String RUN_ID = "run_id";
  public static final String STAGE = "stage";
  public static final String SOURCE = "source";
  public static final String SOURCE_FILE = "source_file";
  public static final String REASON_CODE = "reason_code";
  public static final String COLUMN = "column_name";
  public static final String VALUE = "bad_value";
  public static final String REASON = "reason";
  public static final String RAW_RECORD = "raw_record";
  public static final String QUARANTINED_AT = "quarantined_at";

  /** The record could not be parsed at all (wrong number of fields, broken JSON). */
  public static final String MALFORMED_RECORD = "malformed_record";
  /** A required column is empty. */
  public static final String MISSING_REQUIRED = "missing_required";
  /** A value does not parse as its declared type. */
  public static final String BAD_VALUE = "bad_value";
  /** A value is not one of the column's allowed values. */
  public static final String NOT_ALLOWED = "not_allowed";
  /** A value parses but cannot be right: a number beyond its type or bounds, a date in the future. */
  public static final String OUT_OF_RANGE = "out_of_range";
  /** A text value holds bytes that are not UTF-8 (read as U+FFFD): characters were lost. */
  public static final String BAD_ENCODING = "bad_encoding";

  public static final StructType SCHEMA = new StructType()
      .add(RUN_ID, DataTypes.StringType, false, "Run that quarantined the row")
      .add(STAGE, DataTypes.StringType, false, "Stage that rejected it")
      .add(SOURCE, DataTypes.StringType, false, "Source it came from")
      .add(SOURCE_FILE, DataTypes.StringType, true, "File it came from")
      .add(REASON_CODE, DataTypes.StringType, false, "Why: ingest's malformed_record, missing_required, bad_value, out_of_range,"
          + " bad_encoding, not_allowed; or the name of the clean rule")
      .add(COLUMN, DataTypes.StringType, true, "Contract column at fault, when one is")
      .add(VALUE, DataTypes.StringType, true, "The offending value, when there is one")
      .add(REASON, DataTypes.StringType, false, "Why, in words")
      .add(RAW_RECORD, DataTypes.StringType, true, "The record as read")
      .add(QUARANTINED_AT, DataTypes.TimestampType, false, "When the run started");

  private Quarantine() {}
}
