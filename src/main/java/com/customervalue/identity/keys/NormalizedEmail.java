package com.customervalue.identity.keys;

import java.io.Serializable;

/**
 * The outcome of normalising one raw e-mail value, shaped as plain nullable strings so that
 * a Spark UDF can return it as a struct and the caller can split valid from rejected rows
 * without losing either.
 *
 * <p>Either the value is valid, and {@code email}, {@code host} and {@code registrableDomain}
 * are set, or it is rejected, and only {@code rejectCode} (an {@link EmailRejectCode#code()})
 * and {@code rejectReason} are set. The reason quotes the raw value and nothing else.
 *
 * @param email the person key, e.g. {@code john@gmail.com}
 * @param host the lower-case ASCII domain after provider aliasing, e.g. {@code eng.acme.co.uk}
 * @param registrableDomain the registrable domain of {@code host}, e.g. {@code acme.co.uk}
 * @param rejectCode why the value was rejected
 * @param rejectReason a sentence naming the raw value
 */
public record NormalizedEmail(
    String email, String host, String registrableDomain, String rejectCode, String rejectReason)
    implements Serializable {

  public NormalizedEmail {
    boolean accepted = email != null && host != null && registrableDomain != null
        && rejectCode == null && rejectReason == null;
    boolean rejected = email == null && host == null && registrableDomain == null
        && rejectCode != null && rejectReason != null;
    if (!accepted && !rejected) {
      throw new IllegalArgumentException(
          "A normalised e-mail has either email, host and registrable domain, or a reject code"
              + " and reason (got: " + describe(email, host, registrableDomain, rejectCode) + ")");
    }
  }

  static NormalizedEmail accepted(String email, String host, String registrableDomain) {
    return new NormalizedEmail(email, host, registrableDomain, null, null);
  }

  static NormalizedEmail rejected(EmailRejectCode code, String reason) {
    return new NormalizedEmail(null, null, null, code.code(), reason);
  }

  /** True when the value became a person key. */
  public boolean valid() {
    return email != null;
  }

  /** Leaves out the address and the reason (which quotes the raw value): both are personal data. */
  @Override
  public String toString() {
    return valid()
        ? "NormalizedEmail[valid, host=" + host + ", registrableDomain=" + registrableDomain + "]"
        : "NormalizedEmail[rejected, rejectCode=" + rejectCode + "]";
  }

  private static String describe(String email, String host, String registrableDomain, String rejectCode) {
    return "email " + (email == null ? "null" : "set") + ", host " + host
        + ", registrableDomain " + registrableDomain + ", rejectCode " + rejectCode;
  }
}
