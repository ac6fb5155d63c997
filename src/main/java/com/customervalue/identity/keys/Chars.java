package com.customervalue.identity.keys;

/**
 * Invisible and blank characters that spreadsheets, web forms and copy-paste leave around
 * identifiers. Kept in one place so e-mails and domains are cleaned the same way.
 */
final class Chars {
  private Chars() {}

  /**
   * Removed wherever they appear: they are never part of a real address, and IDNA (RFC 3454,
   * table B.1) maps them to nothing in domain names as well.
   */
  static boolean isInvisible(int cp) {
    return cp == 0x200B // zero-width space
        || cp == 0x2060 // word joiner
        || cp == 0xFEFF // zero-width no-break space / byte-order mark
        || cp == 0x00AD; // soft hyphen
  }

  /** Stripped at the ends: any Unicode white space, space separator, control or format character. */
  static boolean isBlank(int cp) {
    int type = Character.getType(cp);
    return Character.isWhitespace(cp)
        || Character.isSpaceChar(cp)
        || type == Character.CONTROL
        || type == Character.FORMAT;
  }

  /** The value with invisible characters removed and blank ones stripped from both ends. */
  static String clean(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int next = i + Character.charCount(cp);
      if (isInvisible(cp)) {
        if (out == null) {
          out = new StringBuilder(s.length()).append(s, 0, i);
        }
      } else if (out != null) {
        out.appendCodePoint(cp);
      }
      i = next;
    }
    String visible = out == null ? s : out.toString();
    int start = 0;
    int end = visible.length();
    while (start < end && isBlank(visible.codePointAt(start))) {
      start += Character.charCount(visible.codePointAt(start));
    }
    while (end > start && isBlank(visible.codePointBefore(end))) {
      end -= Character.charCount(visible.codePointBefore(end));
    }
    return visible.substring(start, end);
  }
}
