package com.customervalue.sources;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** The types a source column can be declared with, and the Spark type each is stored as. */
public enum FieldType {
  STRING(DataTypes.StringType, "text"),
  INTEGER(DataTypes.IntegerType, "an integer"),
  DECIMAL(DataTypes.createDecimalType(18, 2), "a decimal number"),
  DOUBLE(DataTypes.DoubleType, "a number"),
  DATE(DataTypes.DateType, "a date"),
  TIMESTAMP(DataTypes.TimestampType, "a timestamp");

  private final DataType sparkType;
  private final String description;

  FieldType(DataType sparkType, String description) {
    this.sparkType = sparkType;
    this.description = description;
  }

  public DataType sparkType() {
    return sparkType;
  }

  /** How an error message names what a value should have been, e.g. "an integer". */
  public String description() {
    return description;
  }
}
