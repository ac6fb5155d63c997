package com.customervalue.features;

import org.apache.spark.sql.types.DataType;

/**
 * One documented feature column: the registry of customer_features is the list of these.
 *
 * @param name column name in customer_features
 * @param source the source it is computed from (e.g. support_tickets)
 * @param meaning one sentence: what it counts or measures, and over which window
 * @param type Spark type of the column
 * @param fill value for accounts with no events of the source before as_of (null = stays null)
 */
public record FeatureSpec(String name, String source, String meaning, DataType type, Object fill) {}
