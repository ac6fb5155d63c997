package com.customervalue.errors;

/** A source cannot be read as declared: missing path, missing column, empty required source. */
public final class SourceException extends CustomerValueException {
  private static final long serialVersionUID = 1L;

  SourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
