package com.customervalue.sample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One generated file: its header line (null for JSON Lines), data lines, exact mess counts and, for
 * a source file, its well-formed rows with the account each belongs to (null for truth files).
 */
record SourceFile(String name, String header, List<String> lines, Map<String, Long> mess, Identities.Keyed keyed) {

  SourceFile(String name, String header, List<String> lines, Map<String, Long> mess) {
    this(name, header, lines, mess, null);
  }

  long rows() {
    return lines.size();
  }

  /** Counts of the email variants in one column of well-formed rows (empty cells skipped). */
  static void countEmailMess(List<MessyFile.Row> rows, int column, Map<String, Long> mess) {
    long mixed = 0;
    long padded = 0;
    long plus = 0;
    long googlemail = 0;
    long dots = 0;
    long alias = 0;
    for (MessyFile.Row row : rows) {
      String e = row.fields()[column];
      if (e.isEmpty()) {
        continue;
      }
      if (!e.equals(e.toLowerCase(Locale.ROOT))) {
        mixed++;
      }
      if (!e.equals(e.strip())) {
        padded++;
      }
      String norm = e.strip().toLowerCase(Locale.ROOT);
      int at = norm.lastIndexOf('@');
      if (norm.substring(0, at).contains("+")) {
        plus++;
      }
      if (norm.substring(at + 1).equals("googlemail.com")) {
        googlemail++;
      }
      if ((row.flags() & Emails.FLAG_GMAIL_DOTS) != 0) {
        dots++;
      }
      if ((row.flags() & Emails.FLAG_SUBDOMAIN_ALIAS) != 0) {
        alias++;
      }
    }
    mess.put("email_mixed_case", mixed);
    mess.put("email_padded", padded);
    mess.put("email_plus_tag", plus);
    mess.put("email_googlemail", googlemail);
    mess.put("email_gmail_dots", dots);
    mess.put("email_subdomain_alias", alias);
  }

  /** Malformed and duplicate counts of an assembled CSV, in a fixed order, then the file's own kinds. */
  static Map<String, Long> baseMess(MessyFile.Result result, boolean duplicates) {
    Map<String, Long> mess = new LinkedHashMap<>(result.malformed());
    if (duplicates) {
      mess.put("duplicates", result.duplicates());
    }
    return mess;
  }
}
