package com.customervalue.identity.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class FreeMailDomainsTest {

  @Test
  void shippedListIsLargeAndLoadedOnce() {
    assertThat(FreeMailDomains.shipped().size()).isGreaterThan(10_000);
    assertThat(FreeMailDomains.shipped()).isSameAs(FreeMailDomains.shipped());
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # domain                  | free mail
      gmail.com                 | true
      GMAIL.COM                 | true
      Gmail.Com.                | true
      ~  gmail.com  ~           | true
      googlemail.com            | true
      outlook.com               | true
      hotmail.com               | true
      yahoo.com                 | true
      # a sub-domain counts through its registrable domain
      mail.yahoo.com            | true
      eu.mail.yahoo.com         | true
      # listed sub-domains whose registrable domain is not listed
      yahoo.com.is              | true
      smtp.yahoo.com.is         | true
      com.is                    | false
      # a listed sub-domain does not make its parent free mail
      plus.google.com           | true
      google.com                | false
      # a listed public suffix matches only itself, never companies under it
      net.ua                    | true
      acme.net.ua               | false
      # companies and junk
      acme.com                  | false
      eng.acme.co.uk            | false
      gmail.acme.com            | false
      localhost                 | false
      192.168.0.1               | false
      not a domain              | false
      # e-mail addresses and URLs are reduced to their host
      ann@gmail.com             | true
      https://www.gmail.com/x   | true
      """)
  void recognisesFreeMail(String domain, boolean expected) {
    assertThat(FreeMailDomains.shipped().isFreeMail(domain)).isEqualTo(expected);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   ", "\u00A0"})
  void blankIsNotFreeMail(String domain) {
    assertThat(FreeMailDomains.shipped().isFreeMail(domain)).isFalse();
  }

  @Test
  void configExtendsTheListWithoutChangingTheOriginal() {
    FreeMailDomains shipped = FreeMailDomains.shipped();
    FreeMailDomains extended = shipped.with(List.of("acme-staff-mail.com"));

    assertThat(extended.isFreeMail("acme-staff-mail.com")).isTrue();
    assertThat(extended.isFreeMail("eu.acme-staff-mail.com")).isTrue();
    assertThat(extended.isFreeMail("gmail.com")).isTrue();
    assertThat(extended.size()).isEqualTo(shipped.size() + 1);
    assertThat(shipped.isFreeMail("acme-staff-mail.com")).isFalse();
  }

  @Test
  void configValuesAreTrimmedLowerCasedAndConvertedToAscii() {
    FreeMailDomains extended = FreeMailDomains.shipped()
        .with(List.of("  ACME-Staff-Mail.COM.  ", "\u00A0Bücher-Post.DE", "gmail.com"));

    assertThat(extended.isFreeMail("acme-staff-mail.com")).isTrue();
    assertThat(extended.isFreeMail("bücher-post.de")).isTrue();
    assertThat(extended.isFreeMail("xn--bcher-post-9db.de")).isTrue();
    assertThat(extended.size()).isEqualTo(FreeMailDomains.shipped().size() + 2);
  }

  @Test
  void rejectsConfigValuesThatAreNotDomainNames() {
    FreeMailDomains shipped = FreeMailDomains.shipped();

    assertThatThrownBy(() -> shipped.with(List.of("acme mail.com")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'acme mail.com'");
    assertThatThrownBy(() -> shipped.with(List.of("  ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'  '");
    assertThatThrownBy(() -> shipped.with(Arrays.asList("ok.com", null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'null'");
    assertThatThrownBy(() -> shipped.with(List.of("10.0.0.1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'10.0.0.1'");
  }

  @Test
  void survivesJavaSerialization() throws Exception {
    FreeMailDomains extended = FreeMailDomains.shipped().with(List.of("acme-staff-mail.com"));

    FreeMailDomains copy = (FreeMailDomains) NormalizedEmailTest.roundTrip(extended);

    assertThat(copy.size()).isEqualTo(extended.size());
    assertThat(copy.isFreeMail("acme-staff-mail.com")).isTrue();
    assertThat(copy.isFreeMail("mail.yahoo.com")).isTrue();
  }

  @Test
  void missingResourceFailsWithItsName() {
    assertThatThrownBy(() -> FreeMailDomains.load("/no/such/list.txt"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("/no/such/list.txt");
  }
}
