package com.customervalue.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Appends benchmark rows to a CSV file (RFC 4180 quoting), writing the header when the file is new or
 * empty, so runs on different days and commits accumulate in one file. A file whose header differs is
 * refused rather than mixed with columns it does not have.
 */
public final class BenchCsv {
  private final Path file;

  public BenchCsv(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** Appends the rows, with the header first when the file has none. */
  public void append(List<BenchRow> rows) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      StringBuilder text = new StringBuilder();
      String header = line(BenchRow.COLUMNS);
      if (!Files.exists(file) || Files.size(file) == 0) {
        text.append(header).append('\n');
      } else {
        String existing;
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
          existing = lines.findFirst().orElse("");
        }
        if (!existing.equals(header)) {
          throw new IllegalStateException("Cannot append to " + file + ": its header is '" + existing
              + "', not '" + header + "' (move the old file aside)");
        }
      }
      for (BenchRow row : rows) {
        text.append(line(row.values())).append('\n');
      }
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write benchmark results to " + file + ": " + e.getMessage(), e);
    }
  }

  static String line(List<String> values) {
    return values.stream().map(BenchCsv::field).collect(Collectors.joining(","));
  }

  /** Quotes a field that holds a comma, quote or line break, doubling its quotes. */
  static String field(String value) {
    if (value == null) {
      return "";
    }
    if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
      return "\"" + value.replace("\"", "\"\"") + "\"";
    }
    return value;
  }
}
