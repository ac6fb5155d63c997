package com.customervalue.errors;

import java.util.Collection;
import java.util.List;

/** The one place user-facing errors are worded. */
public final class Errors {
  private Errors() {}

  public static ConfigException config(List<String> problems) {
    return new ConfigException(problems);
  }

  /**
   * The first line of an exception's message: Spark's analysis errors continue with the whole
   * query plan, which a user does not need to see.
   */
  public static String firstLine(Throwable e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  public static ConfigException config(String problem) {
    return new ConfigException(List.of(problem));
  }

  public static SourceException sourceUnreadable(String source, String path, String why, Throwable cause) {
    return new SourceException(
        "Cannot read source '" + source + "': " + why + " (path: " + path + ")", cause);
  }

  public static SourceException missingColumns(
      String source, Collection<String> missing, Collection<String> found) {
    String what = missing.size() == 1
        ? "required column " + missing.iterator().next() + " is missing"
        : "required columns " + String.join(", ", missing) + " are missing";
    return new SourceException(
        "Cannot read source '" + source + "': " + what + " (found: " + String.join(", ", found) + ")", null);
  }

  public static SourceException emptyRequiredSource(String source, String path) {
    return new SourceException(
        "Cannot read source '" + source + "': it is required but has no data rows (path: " + path + ")", null);
  }

  /** Several failed checks of one stage, reported together. */
  public static DataQualityException dataQualityFailed(String summary) {
    return new DataQualityException(summary);
  }

  public static DataQualityException dataQuality(String source, String check, String detail) {
    return new DataQualityException(
        "Data-quality check '" + check + "' failed for source '" + source + "': " + detail);
  }
}
