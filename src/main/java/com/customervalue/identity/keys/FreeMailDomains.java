package com.customervalue.identity.keys;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The set of free-mail provider domains: an address at one of them identifies a person, never
 * a company, so it must not become an account key ({@code ann@gmail.com} and
 * {@code bob@gmail.com} are not one customer).
 *
 * <p>The shipped list (resource {@code com/customervalue/identity/free-email-domains.txt})
 * can be extended from config with {@link #with(Collection)}. Instances are immutable and
 * serializable, so a Spark UDF can capture one directly; the shipped list is read once per JVM.
 */
public final class FreeMailDomains implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Class-path location of the shipped list: '#' comments, one lower-case domain per line. */
  static final String RESOURCE = "/com/customervalue/identity/free-email-domains.txt";

  private final Set<String> domains;

  private FreeMailDomains(Set<String> domains) {
    this.domains = Set.copyOf(domains);
  }

  /** The list shipped in the jar, loaded on first use and then shared. */
  public static FreeMailDomains shipped() {
    return Shipped.INSTANCE;
  }

  /** Holder idiom: the resource is read once, lazily and thread-safely, by class initialisation. */
  private static final class Shipped {
    static final FreeMailDomains INSTANCE = load(RESOURCE);
  }

  static FreeMailDomains load(String resource) {
    InputStream in = FreeMailDomains.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException(
          "Cannot load the free-mail domain list: resource '" + resource + "' is not on the class path");
    }
    Set<String> domains = new HashSet<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        String domain = line.strip().toLowerCase(Locale.ROOT);
        if (!domain.isEmpty() && !domain.startsWith("#")) {
          domains.add(domain);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot load the free-mail domain list from resource '" + resource + "'", e);
    }
    return new FreeMailDomains(domains);
  }

  /**
   * This list plus extra domains from config. Values are trimmed, lower-cased and converted to
   * ASCII (IDN), with a trailing dot removed.
   *
   * @throws IllegalArgumentException naming the value when one is not a domain name, so a typo
   *     in config fails the run before Spark starts instead of silently never matching
   */
  public FreeMailDomains with(Collection<String> extra) {
    Objects.requireNonNull(extra, "extra free-mail domains");
    Set<String> all = new HashSet<>(domains);
    for (String value : extra) {
      all.add(configDomain(value));
    }
    return new FreeMailDomains(all);
  }

  private static String configDomain(String value) {
    String ascii = value == null ? null : Domains.asciiName(Chars.clean(value));
    if (ascii == null || InetAddresses.isInetAddress(ascii) || !InternetDomainName.isValid(ascii)) {
      throw new IllegalArgumentException(
          "Cannot use '" + value + "' as a free-mail domain: it is not a domain name"
              + " such as mail.example.com");
    }
    return ascii;
  }

  /**
   * True when the domain, or its registrable domain, is a free-mail provider. Parents between
   * the two count as well, because the list holds sub-domains such as {@code yahoo.com.is}
   * whose registrable domain ({@code com.is}) is not on it. Parents above the registrable
   * domain never count: the list holds a few public suffixes ({@code net.ua},
   * {@code dyndns.org}) that must not turn every company under them into free mail.
   * Case-insensitive; accepts a URL or an address too, via {@link Domains#host(String)}.
   */
  public boolean isFreeMail(String domain) {
    Optional<String> host = Domains.host(domain);
    if (host.isEmpty()) {
      return false;
    }
    String name = host.get();
    if (domains.contains(name)) {
      return true;
    }
    if (!InternetDomainName.isValid(name)) {
      return false; // an IP address
    }
    InternetDomainName candidate = InternetDomainName.from(name);
    if (!candidate.isUnderPublicSuffix()) {
      return false;
    }
    InternetDomainName registrable = candidate.topPrivateDomain();
    while (!candidate.equals(registrable)) {
      candidate = candidate.parent();
      if (domains.contains(candidate.toString())) {
        return true;
      }
    }
    return false;
  }

  /** Number of domains on the list. */
  public int size() {
    return domains.size();
  }

  @Override
  public String toString() {
    return "FreeMailDomains[" + domains.size() + " domains]";
  }
}
