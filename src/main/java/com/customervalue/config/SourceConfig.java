package com.customervalue.config;

import com.customervalue.sources.Source;
import java.time.ZoneId;
import java.util.Map;

/**
 * One source's settings, already checked against its contract.
 *
 * @param source which source of the contract
 * @param enabled false skips the source
 * @param path resolved location (input-root applied to relative paths)
 * @param format file format
 * @param options Spark reader options, passed through
 * @param columns every contract column -> the column (or nested field path) in the user's file
 * @param timestampFormat pattern of timestamp columns
 * @param dateFormat pattern of date columns
 * @param timeZone zone the source's local timestamps are written in
 * @param cancellationPrefix invoice numbers with this prefix are cancellations; empty = none
 * @param defaultStatus status of invoice lines without one
 * @param floatIds read ids written as floats ("17850.0") as integers ("17850")
 */
public record SourceConfig(
    Source source,
    boolean enabled,
    String path,
    SourceFormat format,
    Map<String, String> options,
    Map<String, String> columns,
    String timestampFormat,
    String dateFormat,
    ZoneId timeZone,
    String cancellationPrefix,
    String defaultStatus,
    boolean floatIds) {

  public SourceConfig {
    options = Map.copyOf(options);
    columns = Map.copyOf(columns);
  }

  /** The user's column for a contract column. */
  public String userColumn(String contractColumn) {
    return columns.get(contractColumn);
  }
}
