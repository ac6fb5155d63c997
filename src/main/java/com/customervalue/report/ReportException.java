package com.customervalue.report;

import com.customervalue.errors.CustomerValueException;
import java.util.Collection;

/**
 * The report cannot be built from what it was given: a notebook that is not in Databricks source
 * format, a bad chart directive, a chart naming a column its query does not return. The factory
 * methods are the one place these messages are worded.
 */
public final class ReportException extends CustomerValueException {
  private static final long serialVersionUID = 1L;

  private ReportException(String message, Throwable cause) {
    super(message, cause);
  }

  static ReportException notANotebook(String notebook, String firstLine) {
    return new ReportException("Cannot read notebook '" + notebook + "': the first non-empty line must be '"
        + Notebook.HEADER + "' (found: '" + firstLine + "')", null);
  }

  static ReportException badChart(String notebook, int cell, int line, String problem) {
    return new ReportException("Cannot read notebook '" + notebook + "': cell " + cell + " (line " + line
        + ") has a bad chart directive: " + problem, null);
  }

  static ReportException noStatement(String notebook, int cell, int line) {
    return new ReportException("Cannot read notebook '" + notebook + "': cell " + cell + " (line " + line
        + ") has no SQL statement, only a chart directive, title or semicolon", null);
  }

  static ReportException unsupportedMagic(String notebook, int cell, int line, String magic) {
    return new ReportException("Cannot read notebook '" + notebook + "': cell " + cell + " (line " + line
        + ") is a '" + magic + "' cell; only SQL and %md cells can be rendered", null);
  }

  static ReportException missingColumn(String column, String role, Collection<String> found) {
    return new ReportException("Cannot draw chart: " + role + " column '" + column
        + "' is not in the result (found: " + String.join(", ", found) + ")", null);
  }

  static ReportException notNumeric(String column, Object value, int row) {
    return new ReportException("Cannot draw chart: column '" + column + "' holds the non-numeric value '"
        + value + "' (" + value.getClass().getSimpleName() + ") in row " + row, null);
  }

  static ReportException chartFailed(String notebook, int cell, ReportException cause) {
    return new ReportException("Cannot render notebook '" + notebook + "' cell " + cell + ": "
        + cause.getMessage(), cause);
  }

  static ReportException cannotEncode(String what, Throwable cause) {
    return new ReportException("Cannot encode " + what + " as PNG: " + cause.getMessage(), cause);
  }
}
