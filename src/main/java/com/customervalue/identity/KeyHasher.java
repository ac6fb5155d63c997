package com.customervalue.identity;

import com.customervalue.errors.CustomerValueException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 of e-mails and account keys, for every column the BI tool sees. The key comes from
 * an environment variable (never a config file) and never appears in logs or {@link #toString()}.
 */
public final class KeyHasher implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String ALGORITHM = "HmacSHA256";
  /** Below this length a key is too easy to guess, so hashed e-mails could be reversed by trial. */
  public static final int MIN_KEY_LENGTH = 16;

  private final byte[] key;
  private transient Mac mac;

  private KeyHasher(byte[] key) {
    this.key = key.clone();
  }

  /** A hasher with the key in {@code env[variable]}; fails with what to set when it is missing or short. */
  public static KeyHasher fromEnvironment(String variable, Map<String, String> env) {
    String value = env.get(variable);
    if (value == null || value.isBlank()) {
      throw new CustomerValueException("identity: the environment variable " + variable + " is not set; it holds the"
          + " HMAC key for the e-mail hashes the BI tool sees (at least " + MIN_KEY_LENGTH + " characters, the same"
          + " for every run so hashes stay comparable)");
    }
    return of(variable, value);
  }

  /** A hasher with an explicit key; {@code origin} names where it came from, for the error message. */
  public static KeyHasher of(String origin, String key) {
    if (key.length() < MIN_KEY_LENGTH) {
      throw new CustomerValueException("identity: the key in " + origin + " has " + key.length()
          + " characters; at least " + MIN_KEY_LENGTH + " are needed");
    }
    return new KeyHasher(key.getBytes(StandardCharsets.UTF_8));
  }

  /** Lower-case hex HMAC-SHA256 of the value's UTF-8 bytes; null for null. */
  public String hash(String value) {
    if (value == null) {
      return null;
    }
    try {
      if (mac == null) {
        mac = Mac.getInstance(ALGORITHM);
        mac.init(new SecretKeySpec(key, ALGORITHM));
      }
      return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "KeyHasher[HmacSHA256, key hidden]";
  }
}
