package com.customervalue.identity.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class NormalizedEmailTest {

  @Test
  void acceptedCarriesTheKeyAndNoRejection() {
    NormalizedEmail accepted = NormalizedEmail.accepted("ann@eng.acme.co.uk", "eng.acme.co.uk", "acme.co.uk");

    assertThat(accepted.valid()).isTrue();
    assertThat(accepted.rejectCode()).isNull();
    assertThat(accepted.rejectReason()).isNull();
  }

  @Test
  void rejectedCarriesOnlyCodeAndReason() {
    NormalizedEmail rejected = NormalizedEmail.rejected(EmailRejectCode.NO_AT_SIGN, "'ann' has no '@'");

    assertThat(rejected.valid()).isFalse();
    assertThat(rejected.rejectCode()).isEqualTo("no_at_sign");
    assertThat(rejected.rejectReason()).isEqualTo("'ann' has no '@'");
    assertThat(rejected.email()).isNull();
    assertThat(rejected.host()).isNull();
    assertThat(rejected.registrableDomain()).isNull();
  }

  @Test
  void refusesHalfValidStates() {
    assertThatThrownBy(() -> new NormalizedEmail("ann@acme.com", "acme.com", "acme.com", "empty", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new NormalizedEmail("ann@acme.com", null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new NormalizedEmail(null, null, null, "empty", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new NormalizedEmail(null, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("ann");
  }

  @Test
  void toStringLeavesOutPersonalData() {
    NormalizedEmail accepted = EmailNormalizer.normalize("ann.lee@acme.com");
    NormalizedEmail rejected = EmailNormalizer.normalize("ann.lee@localhost");

    assertThat(accepted.toString()).doesNotContain("ann").contains("acme.com");
    assertThat(rejected.toString()).doesNotContain("ann").contains("no_public_suffix");
  }

  @Test
  void survivesJavaSerialization() throws Exception {
    NormalizedEmail accepted = EmailNormalizer.normalize("Ann Lee <ann+x@eng.acme.co.uk>");
    NormalizedEmail rejected = EmailNormalizer.normalize("ann@");

    assertThat(roundTrip(accepted)).isEqualTo(accepted);
    assertThat(roundTrip(rejected)).isEqualTo(rejected);
  }

  static Object roundTrip(Object value) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return in.readObject();
    }
  }
}
