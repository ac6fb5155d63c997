package com.customervalue.identity;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The {@code identity_matches} table: per source and run, how rows found their account. */
public final class IdentityMatches {
  public static final String RUN_ID = "run_id";
  public static final String SOURCE = "source";
  public static final String ROWS = "rows";
  public static final String BY_CUSTOMER_ID = "matched_by_customer_id";
  public static final String BY_EMAIL = "matched_by_email";
  public static final String BY_DOMAIN = "matched_by_domain";
  public static final String KEYED_UNKNOWN = "keyed_not_matched";
  public static final String UNKEYED = "unkeyed";
  public static final String MATCH_RATE = "match_rate";
  public static final String RECORDED_AT = "recorded_at";

  public static final StructType SCHEMA = new StructType()
      .add(RUN_ID, DataTypes.StringType, false, "Run")
      .add(SOURCE, DataTypes.StringType, false, "Source")
      .add(ROWS, DataTypes.LongType, false, "Silver rows of the source")
      .add(BY_CUSTOMER_ID, DataTypes.LongType, false, "Rows matched to a known account by customer id")
      .add(BY_EMAIL, DataTypes.LongType, false, "Rows matched to a known account by e-mail")
      .add(BY_DOMAIN, DataTypes.LongType, false, "Rows matched to a known account by web domain")
      .add(KEYED_UNKNOWN, DataTypes.LongType, false, "Rows with a key that is no known account")
      .add(UNKEYED, DataTypes.LongType, false, "Rows without any usable key")
      .add(MATCH_RATE, DataTypes.DoubleType, false, "Matched rows / rows")
      .add(RECORDED_AT, DataTypes.TimestampType, false, "When the run started");

  private IdentityMatches() {}
}
