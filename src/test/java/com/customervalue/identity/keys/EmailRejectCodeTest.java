package com.customervalue.identity.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EmailRejectCodeTest {

  @Test
  void codesAreTheStableStringsStoredInTables() {
    assertThat(Arrays.stream(EmailRejectCode.values()).map(EmailRejectCode::code))
        .containsExactly(
            "empty",
            "no_at_sign",
            "several_at_signs",
            "empty_local_part",
            "invalid_local_part",
            "invalid_domain",
            "ip_domain",
            "no_public_suffix");
  }
}
