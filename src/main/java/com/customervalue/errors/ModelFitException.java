package com.customervalue.errors;

/**
 * A statistical model could not be fitted to the data of a snapshot (too few customers, no
 * convergence, a non-finite likelihood, parameters outside the model's range). The run stops rather
 * than write columns of NaN.
 */
public final class ModelFitException extends CustomerValueException {
  private static final long serialVersionUID = 1L;

  ModelFitException(String message) {
    super(message);
  }
}
