package com.customervalue.identity.keys;

import static com.customervalue.identity.keys.EmailRejectCode.EMPTY;
import static com.customervalue.identity.keys.EmailRejectCode.EMPTY_LOCAL_PART;
import static com.customervalue.identity.keys.EmailRejectCode.INVALID_DOMAIN;
import static com.customervalue.identity.keys.EmailRejectCode.INVALID_LOCAL_PART;
import static com.customervalue.identity.keys.EmailRejectCode.IP_DOMAIN;
import static com.customervalue.identity.keys.EmailRejectCode.NO_AT_SIGN;
import static com.customervalue.identity.keys.EmailRejectCode.NO_PUBLIC_SUFFIX;
import static com.customervalue.identity.keys.EmailRejectCode.SEVERAL_AT_SIGNS;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a raw e-mail value into the person key, so that the same mailbox written by different
 * systems ({@code "Ann Lee" <Ann@Acme.com>}, {@code ann+orders@acme.com },
 * {@code mailto:ann@acme.com}) matches across sources.
 *
 * <p>The key is meant for matching, not for sending mail: it lower-cases the local part, drops
 * {@code +tags} and applies provider rules such as Gmail ignoring dots, all of which a mail
 * server may treat differently. Values that cannot be a mailbox at a public domain are rejected
 * with an {@link EmailRejectCode} rather than guessed at; the method never throws.
 */
public final class EmailNormalizer {

  /**
   * How one mail provider treats its addresses: every alias domain is rewritten to the
   * canonical one, and dots in the local part are dropped when the provider ignores them.
   */
  private record ProviderRule(String canonicalDomain, Set<String> domains, boolean ignoresDots) {}

  /** The provider table; adding a provider is one line. */
  private static final List<ProviderRule> PROVIDERS = List.of(
      new ProviderRule("gmail.com", Set.of("gmail.com", "googlemail.com"), true));

  private static final Map<String, ProviderRule> PROVIDER_BY_DOMAIN = indexByDomain(PROVIDERS);

  /** RFC 5322 atext besides letters and digits. */
  private static final String ATEXT_SYMBOLS = "!#$%&'*+-/=?^_`{|}~";

  /** Wrapper pairs removed when they enclose the whole value (CSV and mail-client artefacts). */
  private static final String[][] ENCLOSING_PAIRS = {
      {"\"", "\""}, {"'", "'"}, {"`", "`"}, {"\u201C", "\u201D"}, {"\u2018", "\u2019"}, {"\u00AB", "\u00BB"}
  };

  /** Enough for nested wrappers such as {@code '<mailto:ann@acme.com>'}; bounds the loop. */
  private static final int MAX_UNWRAP_ROUNDS = 5;

  private static final String MAILTO = "mailto:";

  private EmailNormalizer() {}

  /** Normalises one raw value; never throws. Null and blank values are rejected as {@code empty}. */
  public static NormalizedEmail normalize(String raw) {
    if (raw == null) {
      return NormalizedEmail.rejected(EMPTY, "The e-mail value is missing (null)");
    }
    String cleaned = Chars.clean(raw);
    if (cleaned.isEmpty()) {
      return reject(EMPTY, raw, "is blank");
    }
    String address = unwrap(cleaned);
    if (address.isEmpty()) {
      return reject(EMPTY, raw, "contains no address");
    }

    int at = -1;
    int atSigns = 0;
    boolean inQuotes = false;
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      if (inQuotes && c == '\\') {
        i++; // quoted pair: the next character is literal, even a quote
      } else if (c == '"') {
        inQuotes = !inQuotes;
      } else if (c == '@' && !inQuotes) {
        at = i;
        atSigns++;
      }
    }
    if (inQuotes) {
      return reject(INVALID_LOCAL_PART, raw, "has a quote that is never closed");
    }
    if (atSigns == 0) {
      return reject(NO_AT_SIGN, raw, "has no '@'");
    }
    if (atSigns > 1) {
      return reject(SEVERAL_AT_SIGNS, raw,
          "has " + atSigns + " '@' signs outside quotes; an address has one");
    }

    String rawLocal = address.substring(0, at);
    if (rawLocal.isEmpty()) {
      return reject(EMPTY_LOCAL_PART, raw, "has nothing before the '@'");
    }
    LocalPart local = localPart(rawLocal, raw);
    if (local.rejection() != null) {
      return local.rejection();
    }
    return withDomain(local, address.substring(at + 1), raw);
  }

  /**
   * A normalised local part, {@code quoted} when it had to keep its quotes; or, when
   * {@code rejection} is set, the reason there is none.
   */
  private record LocalPart(String text, boolean quoted, NormalizedEmail rejection) {
    static LocalPart of(String text, boolean quoted) {
      return new LocalPart(text, quoted, null);
    }

    static LocalPart rejected(String raw, EmailRejectCode code, String what) {
      return new LocalPart(null, false, reject(code, raw, what));
    }
  }

  private static LocalPart localPart(String rawLocal, String raw) {
    String local = Normalizer.normalize(
        Normalizer.normalize(rawLocal, Normalizer.Form.NFC).toLowerCase(Locale.ROOT), Normalizer.Form.NFC);

    if (local.charAt(0) == '"') {
      StringBuilder content = new StringBuilder();
      int i = 1;
      while (i < local.length() && local.charAt(i) != '"') {
        char c = local.charAt(i);
        if (c == '\\') {
          i++;
          if (i == local.length()) {
            return LocalPart.rejected(raw, INVALID_LOCAL_PART, "has a quote that is never closed");
          }
          c = local.charAt(i);
        }
        if (Character.getType(c) == Character.CONTROL) {
          return LocalPart.rejected(raw, INVALID_LOCAL_PART,
              "has a control character in its quoted local part");
        }
        content.append(c);
        i++;
      }
      if (i != local.length() - 1) {
        return LocalPart.rejected(raw, INVALID_LOCAL_PART,
            "has text next to the quoted local part; quote all of it or none");
      }
      if (content.length() == 0) {
        return LocalPart.rejected(raw, EMPTY_LOCAL_PART, "has an empty quoted local part");
      }
      String text = content.toString();
      // "john.doe"@x and john.doe@x are the same mailbox (RFC 5321 4.1.2): give them one key.
      if (dotAtomProblem(text) == null) {
        return LocalPart.of(stripTag(text), false);
      }
      return LocalPart.of("\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"", true);
    }

    String problem = dotAtomProblem(local);
    if (problem != null) {
      return LocalPart.rejected(raw, INVALID_LOCAL_PART, problem);
    }
    return LocalPart.of(stripTag(local), false);
  }

  /**
   * Drops a sub-address ({@code ann+orders} to {@code ann}) from the first '+'. Kept when
   * nothing would remain ({@code +foo}) or the rest would end in a dot ({@code ann.+x}),
   * because neither is a usable mailbox name.
   */
  private static String stripTag(String local) {
    int plus = local.indexOf('+');
    if (plus > 0 && local.charAt(plus - 1) != '.') {
      return local.substring(0, plus);
    }
    return local;
  }

  /** Why the text is not an RFC 5322/6531 dot-atom, as the end of a reason sentence; null when it is one. */
  private static String dotAtomProblem(String local) {
    for (int i = 0; i < local.length(); ) {
      int cp = local.codePointAt(i);
      if (!isAtomChar(cp) && cp != '.') {
        return String.format(Locale.ROOT,
            "has a character that is not allowed in an unquoted local part (U+%04X)", cp);
      }
      i += Character.charCount(cp);
    }
    if (local.startsWith(".") || local.endsWith(".")) {
      return "has a local part that starts or ends with a dot";
    }
    if (local.contains("..")) {
      return "has two dots in a row in the local part";
    }
    return null;
  }

  private static boolean isAtomChar(int cp) {
    if (cp < 0x80) {
      return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')
          || ATEXT_SYMBOLS.indexOf(cp) >= 0;
    }
    // RFC 6531 allows any UTF-8 beyond ASCII; refuse only what is invisible or not a character.
    int type = Character.getType(cp);
    return !Character.isWhitespace(cp) && !Character.isSpaceChar(cp)
        && type != Character.CONTROL && type != Character.FORMAT && type != Character.UNASSIGNED
        && type != Character.PRIVATE_USE && type != Character.SURROGATE;
  }

  private static NormalizedEmail withDomain(LocalPart local, String rawDomain, String raw) {
    if (rawDomain.isEmpty()) {
      return reject(INVALID_DOMAIN, raw, "has no domain after the '@'");
    }
    if (rawDomain.startsWith("[") && rawDomain.endsWith("]")) {
      return reject(IP_DOMAIN, raw, "has an IP address literal instead of a domain name");
    }
    String domain = Domains.asciiName(rawDomain);
    if (domain == null) {
      return reject(INVALID_DOMAIN, raw, "has a domain that is not a valid host name");
    }
    if (InetAddresses.isInetAddress(domain)) {
      return reject(IP_DOMAIN, raw, "has an IP address instead of a domain name");
    }
    if (!InternetDomainName.isValid(domain)) {
      return reject(INVALID_DOMAIN, raw, "has a domain that is not a valid host name");
    }
    if (!InternetDomainName.from(domain).isUnderPublicSuffix()) {
      return reject(NO_PUBLIC_SUFFIX, raw,
          "has a domain that is not under a public suffix such as .com or .co.uk");
    }

    String text = local.text();
    String host = domain;
    ProviderRule provider = PROVIDER_BY_DOMAIN.get(domain);
    if (provider != null) {
      host = provider.canonicalDomain();
      if (provider.ignoresDots() && !local.quoted()) {
        text = text.replace(".", "");
      }
    }
    String registrable = InternetDomainName.from(host).topPrivateDomain().toString();
    return NormalizedEmail.accepted(text + "@" + host, host, registrable);
  }

  /**
   * Peels wrappers until none is left: surrounding quotes, a {@code mailto:} prefix (and its
   * {@code ?subject=} part), and the display form {@code Name <address>}.
   */
  private static String unwrap(String value) {
    String s = value;
    for (int round = 0; round < MAX_UNWRAP_ROUNDS; round++) {
      String next = Chars.clean(unwrapOnce(s));
      if (next.equals(s)) {
        break;
      }
      s = next;
    }
    return s;
  }

  private static String unwrapOnce(String s) {
    if (s.regionMatches(true, 0, MAILTO, 0, MAILTO.length())) {
      String rest = s.substring(MAILTO.length());
      int query = rest.indexOf('?', Math.max(0, rest.lastIndexOf('@')));
      return query >= 0 ? rest.substring(0, query) : rest;
    }
    for (String[] pair : ENCLOSING_PAIRS) {
      String open = pair[0];
      String close = pair[1];
      if (s.length() >= open.length() + close.length() && s.startsWith(open) && s.endsWith(close)) {
        String inner = s.substring(open.length(), s.length() - close.length());
        // "john doe"@x.com does not end in a quote; "a"@"b" has quotes inside: neither is wrapped.
        if (!open.equals("\"") || inner.indexOf('"') < 0) {
          return inner;
        }
      }
    }
    String displayed = displayedAddress(s);
    return displayed != null ? displayed : s;
  }

  /**
   * The address in {@code Name <address>} or {@code <address>}: the text after the only '<'
   * outside quotes, when the value ends with the matching '>'. Null when the value is not in
   * that form, including several bracketed addresses, which must not silently pick one.
   */
  private static String displayedAddress(String s) {
    if (!s.endsWith(">")) {
      return null;
    }
    int open = -1;
    boolean inQuotes = false;
    for (int i = 0; i < s.length() - 1; i++) {
      char c = s.charAt(i);
      if (inQuotes) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inQuotes = false;
        }
      } else if (c == '"') {
        inQuotes = true;
      } else if (c == '<') {
        if (open >= 0) {
          return null;
        }
        open = i;
      } else if (c == '>') {
        return null;
      }
    }
    return open < 0 || inQuotes ? null : s.substring(open + 1, s.length() - 1);
  }

  private static NormalizedEmail reject(EmailRejectCode code, String raw, String what) {
    return NormalizedEmail.rejected(code, "'" + raw + "' " + what);
  }

  private static Map<String, ProviderRule> indexByDomain(List<ProviderRule> rules) {
    Map<String, ProviderRule> byDomain = new HashMap<>();
    for (ProviderRule rule : rules) {
      for (String domain : rule.domains()) {
        if (byDomain.put(domain, rule) != null) {
          throw new IllegalStateException("Provider domain '" + domain + "' appears in two provider rules");
        }
      }
    }
    return Map.copyOf(byDomain);
  }
}
