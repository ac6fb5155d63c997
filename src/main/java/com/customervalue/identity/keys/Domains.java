package com.customervalue.identity.keys;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import java.net.IDN;
import java.security.CodeSource;
import java.util.Locale;
import java.util.Optional;

/**
 * Cuts web sites, host names and e-mail domains down to the registrable domain, the part a
 * company actually buys ({@code acme.co.uk}), so that {@code www.acme.co.uk},
 * {@code shop.acme.co.uk} and {@code ann@eng.acme.co.uk} meet on one account key.
 *
 * <p>The public suffix list is the one bundled with Guava, ICANN and private sections both:
 * {@code github.io} counts as a suffix, so {@code foo.github.io} is its own registrable domain
 * rather than everybody on GitHub Pages sharing {@code github.io}. Upgrading Guava refreshes
 * the list. Domain names are compared in lower-case ASCII: internationalised names are
 * converted with {@link IDN#toASCII(String)} (IDNA 2003, so {@code faß.de} becomes
 * {@code fass.de}).
 */
public final class Domains {
  static {
    requireMatchingSuffixData();
  }

  private Domains() {}

  /**
   * The registrable domain (Guava's {@link InternetDomainName#topPrivateDomain()}) of a host
   * name, e-mail domain or URL; empty when there is none: a public suffix itself
   * ({@code co.uk}, {@code github.io}), a name under no suffix ({@code localhost}), an IP
   * address, or a value that is not a host at all.
   */
  public static Optional<String> registrable(String hostOrUrl) {
    return host(hostOrUrl).flatMap(Domains::registrableOfHost);
  }

  /**
   * The host of a URL or bare host: scheme, userinfo, port, path, query and fragment removed,
   * trailing dot removed, lower-case ASCII (IDN to punycode), a leading {@code www.} kept
   * ({@link #registrable(String)} drops it anyway). IP addresses are returned as such, IPv6 in
   * brackets. Empty when unparseable.
   */
  public static Optional<String> host(String hostOrUrl) {
    if (hostOrUrl == null) {
      return Optional.empty();
    }
    String s = Chars.clean(hostOrUrl);
    int schemeEnd = s.indexOf("://");
    if (schemeEnd > 0 && isScheme(s.substring(0, schemeEnd))) {
      s = s.substring(schemeEnd + 3);
    } else if (s.startsWith("//")) {
      s = s.substring(2);
    }
    String authority = s.substring(0, endOfAuthority(s));
    authority = authority.substring(authority.lastIndexOf('@') + 1);
    if (authority.startsWith("[")) {
      return ipv6Literal(authority);
    }
    int colon = authority.indexOf(':');
    if (colon >= 0) {
      if (authority.indexOf(':', colon + 1) >= 0) {
        // Several colons: only a bare IPv6 address makes sense, there is no port to cut.
        return InetAddresses.isInetAddress(authority)
            ? Optional.of("[" + authority.toLowerCase(Locale.ROOT) + "]")
            : Optional.empty();
      }
      if (!isPort(authority.substring(colon + 1))) {
        return Optional.empty();
      }
      authority = authority.substring(0, colon);
    }
    String ascii = asciiName(authority);
    if (ascii == null) {
      return Optional.empty();
    }
    if (InetAddresses.isInetAddress(ascii) || InternetDomainName.isValid(ascii)) {
      return Optional.of(ascii);
    }
    return Optional.empty();
  }

  /**
   * Lower-case ASCII form of a domain name with one trailing dot removed; null when IDNA
   * cannot convert it (empty or over-long labels, prohibited code points). The result is not
   * yet checked to be a valid host name.
   */
  static String asciiName(String name) {
    if (name.isEmpty()) {
      return null;
    }
    String ascii;
    try {
      ascii = IDN.toASCII(name).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException notIdna) {
      return null;
    }
    // After IDNA, so that an ideographic full stop at the end counts as a trailing dot too.
    if (ascii.endsWith(".")) {
      ascii = ascii.substring(0, ascii.length() - 1);
    }
    return ascii.isEmpty() ? null : ascii;
  }

  /** Registrable domain of a host already in the form {@link #host(String)} returns. */
  static Optional<String> registrableOfHost(String asciiHost) {
    if (!InternetDomainName.isValid(asciiHost)) {
      return Optional.empty(); // IP addresses and bracketed IPv6 literals end here
    }
    InternetDomainName name = InternetDomainName.from(asciiHost);
    return name.isUnderPublicSuffix()
        ? Optional.of(name.topPrivateDomain().toString())
        : Optional.empty();
  }

  /**
   * Spark's spark-network-common jar carries an unrelocated copy of the suffix data of an older
   * Guava ({@code com.google.thirdparty.publicsuffix}). When that jar precedes Guava on the class
   * path (tests, local runs), every suffix lookup dies with a {@link LinkageError} such as
   * {@code NoSuchFieldError: EXACT}; fail once, naming the cause and the fix. The shaded jar
   * relocates Guava and its suffix data, so it is not affected.
   */
  private static void requireMatchingSuffixData() {
    try {
      InternetDomainName.from("example.com").isUnderPublicSuffix();
    } catch (LinkageError e) {
      throw new IllegalStateException(
          "Cannot look up public suffixes: an older copy of Guava's public suffix data is first on the"
              + " class path (" + suffixDataLocation() + "); put com.google.guava:guava before the Spark"
              + " dependencies in pom.xml so that it comes first", e);
    }
  }

  private static String suffixDataLocation() {
    try {
      CodeSource source = Class.forName("com.google.thirdparty.publicsuffix.PublicSuffixPatterns")
          .getProtectionDomain().getCodeSource();
      return source == null ? "location unknown" : String.valueOf(source.getLocation());
    } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
      return "location unknown";
    }
  }

  private static Optional<String> ipv6Literal(String authority) {
    int close = authority.indexOf(']');
    if (close < 0) {
      return Optional.empty();
    }
    String address = authority.substring(1, close);
    String rest = authority.substring(close + 1);
    boolean portOk = rest.isEmpty() || (rest.startsWith(":") && isPort(rest.substring(1)));
    if (!portOk || !InetAddresses.isInetAddress(address)) {
      return Optional.empty();
    }
    return Optional.of("[" + address.toLowerCase(Locale.ROOT) + "]");
  }

  private static int endOfAuthority(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '/' || c == '?' || c == '#' || c == '\\') {
        return i;
      }
    }
    return s.length();
  }

  /** RFC 3986 scheme: a letter, then letters, digits, '+', '-' or '.'. */
  private static boolean isScheme(String s) {
    if (s.isEmpty() || !isAsciiLetter(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
        return false;
      }
    }
    return true;
  }

  /** Digits only; an empty port ({@code acme.com:}) is allowed, as in RFC 3986. */
  private static boolean isPort(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return s.length() <= 5;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
