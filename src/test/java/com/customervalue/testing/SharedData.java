package com.customervalue.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The public data sets in ../shared/data, read in place (never copied into the repo). */
public final class SharedData {
  private SharedData() {}

  /** A file under the shared data folder; fails loudly when the folder is not beside the checkout. */
  public static Path path(String relative) {
    Path root = Path.of(System.getProperty("shared.data.dir", "../shared/data")).toAbsolutePath().normalize();
    Path file = root.resolve(relative);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("Test data " + file + " is missing: these tests need ../shared/data beside the"
          + " checkout (set -Dshared.data.dir to point elsewhere)");
    }
    return file;
  }
}
