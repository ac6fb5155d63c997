package com.customervalue.ingest;

import com.customervalue.config.SourceConfig;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;

/**
 * A source opened for reading: the untyped frame and where each contract column is in it.
 *
 * @param config the source's settings
 * @param frame rows as read, before any parsing
 * @param fields contract column -> the column holding it; absent optional columns are not in the map
 * @param fieldTypes contract column -> Spark type of that column as read
 * @param corruptRecord the whole record when the reader could not split it, else null
 * @param rawRecord the record as read, for quarantine
 * @param sourceFile the file each row came from
 */
record RawSource(
    SourceConfig config,
    Dataset<Row> frame,
    Map<String, Column> fields,
    Map<String, DataType> fieldTypes,
    Column corruptRecord,
    Column rawRecord,
    Column sourceFile) {}
