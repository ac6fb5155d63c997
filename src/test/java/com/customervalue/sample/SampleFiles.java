package com.customervalue.sample;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Independent re-parsing of the sample files for tests: RFC 4180 CSV, a tiny JSON parser, row checks. */
final class SampleFiles {
  static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT)
      .withResolverStyle(ResolverStyle.STRICT);
  static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT)
      .withResolverStyle(ResolverStyle.STRICT);
  static final DateTimeFormatter COMPACT = DateTimeFormatter.ofPattern("uuuuMMdd", Locale.ROOT)
      .withResolverStyle(ResolverStyle.STRICT);
  static final Set<String> FREE_MAIL = Set.of("gmail.com", "googlemail.com", "yahoo.com", "outlook.com", "hotmail.com");

  private SampleFiles() {}

  /** Records of a CSV file, header first. */
  static List<List<String>> csv(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        any = true;
      } else if (c == ',') {
        record.add(field.toString());
        field.setLength(0);
        any = true;
      } else if (c == '\n') {
        record.add(field.toString());
        records.add(record);
        record = new ArrayList<>();
        field.setLength(0);
        any = false;
      } else {
        field.append(c);
        any = true;
      }
    }
    if (any) {
      record.add(field.toString());
      records.add(record);
    }
    return records;
  }

  /** Column checks of one CSV file, as the design's ingestion declares them. */
  record Layout(List<String> header, int[] required, int[] dates, DateTimeFormatter dateFormat, int[] numbers) {}

  /** The one problem of a record, or null when it is well-formed. */
  static String problem(Layout layout, List<String> r) {
    if (r.size() != layout.header().size()) {
      return "wrong_field_count";
    }
    for (int c : layout.required()) {
      if (r.get(c).isEmpty()) {
        return "missing_required";
      }
    }
    for (int c : layout.dates()) {
      try {
        layout.dateFormat().parse(r.get(c));
      } catch (RuntimeException e) {
        return "bad_date";
      }
    }
    for (int c : layout.numbers()) {
      if (!r.get(c).isEmpty() && !isNumber(r.get(c))) {
        return "bad_number";
      }
    }
    return null;
  }

  static boolean isNumber(String s) {
    try {
      new BigDecimal(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  static boolean isInstant(Object o) {
    if (!(o instanceof String s)) {
      return false;
    }
    try {
      Instant.parse(s);
      return s.endsWith("Z");
    } catch (RuntimeException e) {
      return false;
    }
  }

  static LocalDateTime dateTime(String s) {
    return LocalDateTime.parse(s, DATE_TIME);
  }

  static LocalDate date(String s) {
    return LocalDate.parse(s, DATE);
  }

  /** The normalised person key (same rules as the design's identity stage). */
  static String personKey(String email) {
    String e = email.strip().toLowerCase(Locale.ROOT);
    int at = e.lastIndexOf('@');
    String local = e.substring(0, at);
    String domain = e.substring(at + 1);
    int plus = local.indexOf('+');
    if (plus >= 0) {
      local = local.substring(0, plus);
    }
    if (domain.equals("gmail.com") || domain.equals("googlemail.com")) {
      local = local.replace(".", "");
      domain = "gmail.com";
    }
    return local + "@" + domain;
  }

  static String domainOf(String email) {
    String e = email.strip().toLowerCase(Locale.ROOT);
    return e.substring(e.lastIndexOf('@') + 1);
  }

  /** Registrable domain for the suffixes the sample uses (.co.uk is the only two-label suffix). */
  static String registrable(String host) {
    String[] labels = host.split("\\.");
    int keep = host.endsWith(".co.uk") ? 3 : 2;
    return String.join(".", java.util.Arrays.copyOfRange(labels, Math.max(0, labels.length - keep), labels.length));
  }

  /** Account key of an email: the company domain for corporate mail, else the person key. */
  static String accountKey(String email) {
    String domain = domainOf(email);
    return FREE_MAIL.contains(domain) ? personKey(email) : registrable(domain);
  }

  static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
    double p1 = Math.toRadians(lat1);
    double p2 = Math.toRadians(lat2);
    double a = Math.pow(Math.sin((p2 - p1) / 2), 2)
        + Math.cos(p1) * Math.cos(p2) * Math.pow(Math.sin(Math.toRadians(lon2 - lon1) / 2), 2);
    return 2 * 6371.0 * Math.asin(Math.sqrt(a));
  }

  /** ROC-AUC with ties counted half, by pairwise comparison on sorted scores. */
  static double auc(List<double[]> scoreLabel) {
    List<double[]> s = new ArrayList<>(scoreLabel);
    s.sort((x, y) -> Double.compare(x[0], y[0]));
    double pos = 0;
    double neg = 0;
    double wins = 0;
    int i = 0;
    while (i < s.size()) {
      int j = i;
      double p = 0;
      double n = 0;
      while (j < s.size() && s.get(j)[0] == s.get(i)[0]) {
        if (s.get(j)[1] > 0.5) {
          p++;
        } else {
          n++;
        }
        j++;
      }
      wins += p * neg + 0.5 * p * n;
      pos += p;
      neg += n;
      i = j;
    }
    return wins / (pos * neg);
  }

  /** A minimal strict JSON parser: objects (insertion ordered), arrays, strings, numbers, true/false/null. */
  static Object json(String text) {
    JsonParser p = new JsonParser(text);
    p.ws();
    Object v = p.value();
    p.ws();
    if (p.i != text.length()) {
      throw new IllegalArgumentException("trailing characters at " + p.i);
    }
    return v;
  }

  private static final class JsonParser {
    final String s;
    int i;

    JsonParser(String s) {
      this.s = s;
    }

    void ws() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    char peek() {
      if (i >= s.length()) {
        throw new IllegalArgumentException("unexpected end");
      }
      return s.charAt(i);
    }

    void expect(char c) {
      if (peek() != c) {
        throw new IllegalArgumentException("expected " + c + " at " + i);
      }
      i++;
    }

    Object value() {
      char c = peek();
      if (c == '{') {
        i++;
        Map<String, Object> m = new LinkedHashMap<>();
        ws();
        if (peek() == '}') {
          i++;
          return m;
        }
        while (true) {
          ws();
          String k = string();
          ws();
          expect(':');
          ws();
          m.put(k, value());
          ws();
          if (peek() == ',') {
            i++;
          } else {
            expect('}');
            return m;
          }
        }
      }
      if (c == '[') {
        i++;
        List<Object> l = new ArrayList<>();
        ws();
        if (peek() == ']') {
          i++;
          return l;
        }
        while (true) {
          ws();
          l.add(value());
          ws();
          if (peek() == ',') {
            i++;
          } else {
            expect(']');
            return l;
          }
        }
      }
      if (c == '"') {
        return string();
      }
      if (s.startsWith("true", i)) {
        i += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("false", i)) {
        i += 5;
        return Boolean.FALSE;
      }
      if (s.startsWith("null", i)) {
        i += 4;
        return null;
      }
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
      if (start == i) {
        throw new IllegalArgumentException("unexpected " + c + " at " + i);
      }
      return new BigDecimal(s.substring(start, i));
    }

    String string() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        char c = peek();
        i++;
        if (c == '"') {
          return sb.toString();
        }
        if (c == '\\') {
          char e = peek();
          i++;
          switch (e) {
            case 'n' -> sb.append('\n');
            case 't' -> sb.append('\t');
            case 'r' -> sb.append('\r');
            case 'u' -> {
              sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
              i += 4;
            }
            default -> sb.append(e);
          }
        } else {
          sb.append(c);
        }
      }
    }
  }
}
