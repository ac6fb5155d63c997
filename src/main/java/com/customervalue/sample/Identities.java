package com.customervalue.sample;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code truth/identities.csv}: every identifier written in a well-formed row of a source file, as
 * written but stripped, and the key of the account it belongs to; and per source file how many
 * distinct well-formed, non-test rows there are ({@code eligible_rows}) and how many of them reach an
 * account through that file ({@code matchable_rows}).
 */
final class Identities {
  static final String NAME = "truth/identities.csv";
  static final String[] HEADER = {"kind", "value", "account_key"};

  static final String CUSTOMER_ID = "customer_id";
  static final String EMAIL = "email";
  static final String HOSTNAME = "hostname";
  static final String SITE_DOMAIN = "site_domain";

  /**
   * Where a file's identifiers sit: {@code kinds[i]} in column {@code columns[i]}. A row's match key is
   * its first non-empty identifier in this order (invoices: Customer ID, else Email).
   */
  record Columns(String[] kinds, int[] columns) {
    static final Columns NONE = new Columns(new String[0], new int[0]);

    static Columns of(String kind, int column) {
      return new Columns(new String[] {kind}, new int[] {column});
    }
  }

  /** A source file's well-formed rows (duplicates included) and their lines at the same index. */
  record Keyed(Columns columns, List<MessyFile.Row> rows, List<String> lines) {
    Keyed {
      if (rows.size() != lines.size()) {
        throw new IllegalArgumentException("rows and lines differ: " + rows.size() + " vs " + lines.size());
      }
    }

    static Keyed of(Columns columns, MessyFile.Result result) {
      return new Keyed(columns, result.wellFormed(), result.wellFormedLines());
    }
  }

  /** Distinct well-formed non-test rows of a file, and those whose match key is in the identities. */
  record Counts(long eligible, long matchable) {}

  /** The identities file and the counts per source file, in the order of the files. */
  record Result(SourceFile file, Map<String, Counts> counts) {}

  private Identities() {}

  /**
   * Collects the identities of every keyed file.
   *
   * @throws IllegalStateException when one value would belong to two accounts, or a value written for
   *                               no account (a non-customer, a test order) also belongs to one
   */
  static Result build(List<SourceFile> files) {
    Map<String, TreeMap<String, String>> byKind = new TreeMap<>();
    for (SourceFile f : files) {
      Keyed k = f.keyed();
      if (k == null) {
        continue;
      }
      for (MessyFile.Row row : k.rows()) {
        if (row.account() == null || (row.flags() & Emails.FLAG_TEST) != 0) {
          continue;
        }
        for (int c = 0; c < k.columns().kinds().length; c++) {
          String value = row.fields()[k.columns().columns()[c]].strip();
          if (value.isEmpty()) {
            continue;
          }
          String kind = k.columns().kinds()[c];
          String before = byKind.computeIfAbsent(kind, x -> new TreeMap<>()).putIfAbsent(value, row.account());
          if (before != null && !before.equals(row.account())) {
            throw new IllegalStateException("Identity " + kind + " '" + value + "' maps to two accounts: " + before
                + " and " + row.account() + " (in " + f.name() + ")");
          }
        }
      }
    }
    Map<String, Counts> counts = new LinkedHashMap<>();
    for (SourceFile f : files) {
      Keyed k = f.keyed();
      if (k == null) {
        continue;
      }
      Set<String> seen = new HashSet<>(k.lines().size() * 2);
      long eligible = 0;
      long matchable = 0;
      for (int i = 0; i < k.rows().size(); i++) {
        MessyFile.Row row = k.rows().get(i);
        if ((row.flags() & Emails.FLAG_TEST) != 0 || !seen.add(k.lines().get(i))) {
          continue;
        }
        eligible++;
        String[] match = matchKey(k.columns(), row);
        Map<String, String> values = match == null ? null : byKind.get(match[0]);
        String key = values == null ? null : values.get(match[1]);
        if (key != null && row.account() == null) {
          throw new IllegalStateException("Identity " + match[0] + " '" + match[1] + "' is written for no account in "
              + f.name() + " but maps to " + key);
        }
        matchable += key != null ? 1 : 0;
      }
      counts.put(f.name(), new Counts(eligible, matchable));
    }
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, TreeMap<String, String>> kind : byKind.entrySet()) {
      for (Map.Entry<String, String> e : kind.getValue().entrySet()) {
        lines.add(Text.csv(kind.getKey(), e.getKey(), e.getValue()));
      }
    }
    return new Result(new SourceFile(NAME, Text.csv(HEADER), lines, new LinkedHashMap<>()), counts);
  }

  /** The row's first non-empty identifier as {kind, stripped value}, or null when it has none. */
  private static String[] matchKey(Columns columns, MessyFile.Row row) {
    for (int c = 0; c < columns.kinds().length; c++) {
      String value = row.fields()[columns.columns()[c]].strip();
      if (!value.isEmpty()) {
        return new String[] {columns.kinds()[c], value};
      }
    }
    return null;
  }
}
