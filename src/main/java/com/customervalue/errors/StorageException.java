package com.customervalue.errors;

/**
 * The warehouse or another storage location cannot be reached: the store denies access, the bucket
 * does not exist, the endpoint does not answer. Found before a job starts, so nothing is written.
 */
public final class StorageException extends CustomerValueException {
  private static final long serialVersionUID = 1L;

  StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
