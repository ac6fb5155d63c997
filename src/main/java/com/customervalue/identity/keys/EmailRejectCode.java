package com.customervalue.identity.keys;

import java.util.Locale;

/**
 * Why a raw e-mail value did not become a person key. The codes are stable strings because
 * they are stored in the quarantine and data-quality tables and counted per source; add new
 * ones rather than renaming.
 */
public enum EmailRejectCode {
  /** Null, blank, or nothing left after removing wrappers such as {@code <>} or {@code mailto:}. */
  EMPTY,
  /** No {@code @} outside a quoted local part. */
  NO_AT_SIGN,
  /** More than one {@code @} outside a quoted local part, e.g. two addresses in one cell. */
  SEVERAL_AT_SIGNS,
  /** Nothing before the {@code @}. */
  EMPTY_LOCAL_PART,
  /** Dots in the wrong place, a character not allowed without quotes, or broken quoting. */
  INVALID_LOCAL_PART,
  /** Nothing after the {@code @}, or not a syntactically valid host name. */
  INVALID_DOMAIN,
  /** An IP address or address literal instead of a domain name. */
  IP_DOMAIN,
  /** A valid host name that is not under a public suffix: {@code localhost}, {@code co.uk}. */
  NO_PUBLIC_SUFFIX;

  /** The value written to tables: the constant's name in lower snake case. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
