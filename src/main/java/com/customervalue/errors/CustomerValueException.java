package com.customervalue.errors;

/**
 * A failure the user can act on: bad config, bad input, a broken data-quality rule. The CLI prints
 * its message without a stack trace. Built through {@link Errors} so messages read alike.
 */
public class CustomerValueException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CustomerValueException(String message) {
    super(message);
  }

  public CustomerValueException(String message, Throwable cause) {
    super(message, cause);
  }
}
