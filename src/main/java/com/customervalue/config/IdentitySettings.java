package com.customervalue.config;

import java.util.List;

/**
 * Settings of the {@code identity} job.
 *
 * @param extraFreeMailDomains free-mail domains beyond the shipped list
 * @param hashKeyEnv environment variable holding the HMAC key (never the key itself)
 */
public record IdentitySettings(List<String> extraFreeMailDomains, String hashKeyEnv) {
  public IdentitySettings {
    extraFreeMailDomains = List.copyOf(extraFreeMailDomains);
  }
}
