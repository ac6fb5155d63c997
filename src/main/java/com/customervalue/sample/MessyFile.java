package com.customervalue.sample;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Turns a file's well-formed rows into its final lines: exact duplicates and malformed rows are
 * inserted right after the row they copy, each malformed row carries exactly one problem, and the
 * counts of both are exact.
 */
final class MessyFile {

  /** Kinds of malformed rows, named as in the manifest. */
  enum Malformed {
    WRONG_FIELD_COUNT("wrong_field_count"),
    BAD_DATE("bad_date"),
    BAD_NUMBER("bad_number"),
    MISSING_REQUIRED("missing_required"),
    BAD_JSON("bad_json");

    final String key;

    Malformed(String key) {
      this.key = key;
    }
  }

  /**
   * A well-formed row, the flags of its planted variants ({@link Emails} flags) and the key of the
   * account it belongs to (null for test transactions, non-customers and rows without a customer).
   */
  record Row(String[] fields, int flags, String account) {
    Row(String... fields) {
      this(fields, 0, null);
    }

    Row(String[] fields, int flags) {
      this(fields, flags, null);
    }
  }

  /** Where a CSV file's dates, numbers and required fields sit, and its bad values. */
  record CsvLayout(String[] header, int[] dateColumns, String[] badDates, int[] numberColumns, int[] requiredColumns,
                   List<Malformed> kinds, double duplicateRate) {}

  /**
   * The final file: every data line, the well-formed rows among them (duplicates included) with their
   * lines at the same index, and the mess counts.
   */
  record Result(List<String> lines, List<Row> wellFormed, List<String> wellFormedLines, Map<String, Long> malformed,
                long duplicates) {}

  static final String[] BAD_NUMBERS = {"two", "many", "12.5.0", "1O", "abc"};

  private MessyFile() {}

  /**
   * Malformed rows of the {@code kind}-th of {@code kinds} kinds for a file of {@code n}
   * well-formed rows: the file's total is dealt over its kinds, the first kinds taking the remainder.
   */
  static int malformedCount(int n, int kinds, int kind) {
    if (n == 0) {
      return 0;
    }
    long total = Math.min(n, Math.max(MessRates.MALFORMED_MIN_PER_FILE, Math.round(MessRates.MALFORMED * n)));
    return (int) (total / kinds + (kind < total % kinds ? 1 : 0));
  }

  static Result csv(CsvLayout layout, List<Row> rows, SplittableRandom r) {
    int n = rows.size();
    boolean[] duplicate = new boolean[n];
    for (int i : Streams.sample(r, n, (int) Math.round(layout.duplicateRate() * n))) {
      duplicate[i] = true;
    }
    List<List<String>> extra = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      extra.add(null);
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    for (int index = 0; index < layout.kinds().size(); index++) {
      Malformed kind = layout.kinds().get(index);
      int k = malformedCount(n, layout.kinds().size(), index);
      for (int i : Streams.sample(r, n, k)) {
        String line = corrupt(layout, kind, rows.get(i).fields(), r);
        if (extra.get(i) == null) {
          extra.set(i, new ArrayList<>(2));
        }
        extra.get(i).add(line);
      }
      counts.put(kind.key, (long) k);
    }
    List<String> lines = new ArrayList<>(n + n / 50 + 16);
    List<Row> wellFormed = new ArrayList<>(n + n / 50);
    List<String> wellFormedLines = new ArrayList<>(n + n / 50);
    for (int i = 0; i < n; i++) {
      Row row = rows.get(i);
      String line = Text.csv(row.fields());
      lines.add(line);
      wellFormed.add(row);
      wellFormedLines.add(line);
      if (duplicate[i]) {
        lines.add(line);
        wellFormed.add(row);
        wellFormedLines.add(line);
      }
      if (extra.get(i) != null) {
        lines.addAll(extra.get(i));
      }
    }
    return new Result(lines, wellFormed, wellFormedLines, counts, countDuplicates(lines));
  }

  /** Lines equal to an earlier line. */
  static long countDuplicates(List<String> lines) {
    Set<String> seen = new HashSet<>(lines.size() * 2);
    long dups = 0;
    for (String line : lines) {
      if (!seen.add(line)) {
        dups++;
      }
    }
    return dups;
  }

  private static String corrupt(CsvLayout layout, Malformed kind, String[] fields, SplittableRandom r) {
    String[] f = fields.clone();
    switch (kind) {
      case WRONG_FIELD_COUNT -> {
        int drop = r.nextInt(f.length);
        String[] shorter = new String[f.length - 1];
        for (int i = 0, j = 0; i < f.length; i++) {
          if (i != drop) {
            shorter[j++] = f[i];
          }
        }
        return Text.csv(shorter);
      }
      case BAD_DATE -> f[pick(layout.dateColumns(), r)] = Streams.pick(r, layout.badDates());
      case BAD_NUMBER -> f[pick(layout.numberColumns(), r)] = Streams.pick(r, BAD_NUMBERS);
      case MISSING_REQUIRED -> f[pick(layout.requiredColumns(), r)] = "";
      default -> throw new IllegalArgumentException("Cannot plant " + kind.key + " in a CSV file");
    }
    return Text.csv(f);
  }

  private static int pick(int[] columns, SplittableRandom r) {
    return columns[r.nextInt(columns.length)];
  }
}
