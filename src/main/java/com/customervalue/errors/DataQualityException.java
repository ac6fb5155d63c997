package com.customervalue.errors;

/** A data-quality check declared at level error failed; the run stops. */
public final class DataQualityException extends CustomerValueException {
  private static final long serialVersionUID = 1L;

  DataQualityException(String message) {
    super(message);
  }
}
