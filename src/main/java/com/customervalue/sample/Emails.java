package com.customervalue.sample;

import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Identity rules the truth file uses (so a pipeline's keys can be compared with it) and the
 * renderer that writes a contact's address with the planted variants.
 */
final class Emails {
  static final Set<String> FREE_MAIL = Set.of("gmail.com", "googlemail.com", "yahoo.com", "outlook.com", "hotmail.com");

  /** Flag on a rendered row: gmail local part written with moved dots. */
  static final int FLAG_GMAIL_DOTS = 1;
  /** Flag on a rendered row: company contact writing from a mail sub-domain. */
  static final int FLAG_SUBDOMAIN_ALIAS = 2;
  /** Flag on a marketing row: the address belongs to no customer. */
  static final int FLAG_NON_CUSTOMER = 4;
  /** Flag on an invoice row: a test transaction (no account, not eligible for matching). */
  static final int FLAG_TEST = 8;

  private static final String[] TAGS = {"orders", "print", "cv", "invoices", "3d", "work"};

  private Emails() {}

  /** Normalised person key: trimmed, lower-case, +tag dropped, gmail dots dropped, googlemail to gmail. */
  static String normalise(String email) {
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

  /** A rendered address and the flags of variants that a re-parse cannot see. */
  record Rendered(String text, int flags) {}

  /** Renders a contact's address for an invoice, ticket or marketing row. */
  static Rendered render(Population.Contact c, SplittableRandom r) {
    int flags = 0;
    String address = c.email();
    if (c.aliasEmail() != null && Streams.chance(r, MessRates.SUBDOMAIN_ALIAS_USE)) {
      address = c.aliasEmail();
      flags |= FLAG_SUBDOMAIN_ALIAS;
    }
    int at = address.indexOf('@');
    String local = address.substring(0, at);
    String domain = address.substring(at + 1);
    if (domain.equals("gmail.com") || domain.equals("googlemail.com")) {
      if (Streams.chance(r, MessRates.GOOGLEMAIL_SWAP)) {
        domain = domain.equals("gmail.com") ? "googlemail.com" : "gmail.com";
      }
      if (Streams.chance(r, MessRates.GMAIL_DOTS)) {
        local = moveDots(local, r);
        flags |= FLAG_GMAIL_DOTS;
      }
    }
    if (Streams.chance(r, MessRates.EMAIL_PLUS_TAG)) {
      local = local + "+" + Streams.pick(r, TAGS);
    }
    String text = local + "@" + domain;
    if (Streams.chance(r, MessRates.EMAIL_MIXED_CASE)) {
      text = mixCase(text, r);
    }
    if (Streams.chance(r, MessRates.EMAIL_PADDED)) {
      text = pad(text, r);
    }
    return new Rendered(text, flags);
  }

  /** Renders the CRM copy of an address: only case and padding vary. */
  static String renderCrm(String email, SplittableRandom r) {
    String text = email;
    if (Streams.chance(r, MessRates.CRM_EMAIL_MIXED_CASE)) {
      text = mixCase(text, r);
    }
    if (Streams.chance(r, MessRates.CRM_EMAIL_PADDED)) {
      text = pad(text, r);
    }
    return text;
  }

  /** Same gmail mailbox, different dots: drops them all, or adds one when there is none. */
  static String moveDots(String local, SplittableRandom r) {
    if (local.indexOf('.') >= 0) {
      return local.replace(".", "");
    }
    int pos = 1 + r.nextInt(local.length() - 1);
    return local.substring(0, pos) + "." + local.substring(pos);
  }

  private static String mixCase(String text, SplittableRandom r) {
    if (Streams.chance(r, 0.3)) {
      return text.toUpperCase(Locale.ROOT);
    }
    // Capitalise the first letter of every dot/at-separated part: "Jane.Doe@Acme-Robotics.Com".
    StringBuilder sb = new StringBuilder(text.length());
    boolean start = true;
    for (char ch : text.toCharArray()) {
      sb.append(start ? Character.toUpperCase(ch) : ch);
      start = ch == '.' || ch == '@' || ch == '-' || ch == '_';
    }
    return sb.toString();
  }

  private static String pad(String text, SplittableRandom r) {
    return switch (r.nextInt(3)) {
      case 0 -> " " + text;
      case 1 -> text + " ";
      default -> "  " + text + " ";
    };
  }
}
