package com.customervalue.identity.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class EmailNormalizerTest {

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # raw                                | email                          | host               | registrable
      Ann@Acme.com                         | ann@acme.com                   | acme.com           | acme.com
      ANN@ACME.COM                         | ann@acme.com                   | acme.com           | acme.com
      # display forms, angle brackets, mailto, wrapping quotes
      Ann Lee <Ann@Acme.com>               | ann@acme.com                   | acme.com           | acme.com
      <ann@acme.com>                       | ann@acme.com                   | acme.com           | acme.com
      < ann@acme.com >                     | ann@acme.com                   | acme.com           | acme.com
      "Lee, Ann" <ann@acme.com>            | ann@acme.com                   | acme.com           | acme.com
      "Ann <Sales>" <ann@acme.com>         | ann@acme.com                   | acme.com           | acme.com
      bob@acme.com <ann@acme.com>          | ann@acme.com                   | acme.com           | acme.com
      mailto:ann@acme.com                  | ann@acme.com                   | acme.com           | acme.com
      MAILTO:Ann@Acme.com?subject=Hi&x=1   | ann@acme.com                   | acme.com           | acme.com
      <mailto:ann@acme.com>                | ann@acme.com                   | acme.com           | acme.com
      "ann@acme.com"                       | ann@acme.com                   | acme.com           | acme.com
      `ann@acme.com`                       | ann@acme.com                   | acme.com           | acme.com
      "<ann@acme.com>"                     | ann@acme.com                   | acme.com           | acme.com
      # +tags: stripped from the first '+' when something usable remains
      ann+orders@acme.com                  | ann@acme.com                   | acme.com           | acme.com
      ann+orders+2024@acme.com             | ann@acme.com                   | acme.com           | acme.com
      ann.lee+cv@acme.com                  | ann.lee@acme.com               | acme.com           | acme.com
      +foo@acme.com                        | +foo@acme.com                  | acme.com           | acme.com
      ann.+x@acme.com                      | ann.+x@acme.com                | acme.com           | acme.com
      # Gmail: tag first, then dots; googlemail is gmail
      J.o.h.n+news@GoogleMail.com          | john@gmail.com                 | gmail.com          | gmail.com
      john.smith@gmail.com                 | johnsmith@gmail.com            | gmail.com          | gmail.com
      JOHN.SMITH@GMAIL.COM.                | johnsmith@gmail.com            | gmail.com          | gmail.com
      "j.o.h.n"@gmail.com                  | john@gmail.com                 | gmail.com          | gmail.com
      +x.y@gmail.com                       | +xy@gmail.com                  | gmail.com          | gmail.com
      "john doe"@gmail.com                 | "john doe"@gmail.com           | gmail.com          | gmail.com
      john.smith@gmail.co.uk               | john.smith@gmail.co.uk         | gmail.co.uk        | gmail.co.uk
      john.smith@mail.gmail.com            | john.smith@mail.gmail.com      | mail.gmail.com     | gmail.com
      # quoted local parts: unquoted when a plain dot-atom, else kept quoted and lower-cased
      "John.Doe"@acme.com                  | john.doe@acme.com              | acme.com           | acme.com
      "john+news"@acme.com                 | john@acme.com                  | acme.com           | acme.com
      "John Doe"@acme.com                  | "john doe"@acme.com            | acme.com           | acme.com
      "john\\ doe"@acme.com                | "john doe"@acme.com            | acme.com           | acme.com
      "John\\"Doe"@acme.com                | "john\\"doe"@acme.com          | acme.com           | acme.com
      "a@b"@acme.com                       | "a@b"@acme.com                 | acme.com           | acme.com
      "john..doe"@acme.com                 | "john..doe"@acme.com           | acme.com           | acme.com
      "Ann Lee" <"Ann Lee"@acme.com>       | "ann lee"@acme.com             | acme.com           | acme.com
      # sub-domains and multi-label public suffixes
      ann@eng.acme.co.uk                   | ann@eng.acme.co.uk             | eng.acme.co.uk     | acme.co.uk
      ann@mail.acme.com.au                 | ann@mail.acme.com.au           | mail.acme.com.au   | acme.com.au
      ann@acme.com.au                      | ann@acme.com.au                | acme.com.au        | acme.com.au
      ann@foo.github.io                    | ann@foo.github.io              | foo.github.io      | foo.github.io
      # IDN: unicode and punycode spellings give one key
      ann@bücher.de                        | ann@xn--bcher-kva.de           | xn--bcher-kva.de   | xn--bcher-kva.de
      ann@Bücher.DE                        | ann@xn--bcher-kva.de           | xn--bcher-kva.de   | xn--bcher-kva.de
      ann@xn--bcher-kva.de                 | ann@xn--bcher-kva.de           | xn--bcher-kva.de   | xn--bcher-kva.de
      ann@XN--BCHER-KVA.DE                 | ann@xn--bcher-kva.de           | xn--bcher-kva.de   | xn--bcher-kva.de
      ann@shop.bücher.de                   | ann@shop.xn--bcher-kva.de      | shop.xn--bcher-kva.de | xn--bcher-kva.de
      ann@acme。com                         | ann@acme.com                   | acme.com           | acme.com
      # unicode local parts (RFC 6531) are kept, lower-cased
      ÅSA@acme.se                          | åsa@acme.se                    | acme.se            | acme.se
      Ünal.Öz@acme.de                      | ünal.öz@acme.de                | acme.de            | acme.de
      # trailing dot, allowed symbols, numeric and underscore labels
      ann@acme.com.                        | ann@acme.com                   | acme.com           | acme.com
      ann_lee-99@acme-corp.com             | ann_lee-99@acme-corp.com       | acme-corp.com      | acme-corp.com
      o'brien@acme.ie                      | o'brien@acme.ie                | acme.ie            | acme.ie
      {ann}/#!$%&*=?^@acme.com             | {ann}/#!$%&*=?^@acme.com       | acme.com           | acme.com
      ann@123.acme.com                     | ann@123.acme.com               | 123.acme.com       | acme.com
      """)
  void normalisesValidAddresses(String raw, String email, String host, String registrable) {
    NormalizedEmail result = EmailNormalizer.normalize(raw);

    assertThat(result.valid()).as("valid").isTrue();
    assertThat(result.email()).isEqualTo(email);
    assertThat(result.host()).isEqualTo(host);
    assertThat(result.registrableDomain()).isEqualTo(registrable);
    assertThat(result.rejectCode()).isNull();
    assertThat(result.rejectReason()).isNull();
    assertThat(EmailNormalizer.normalize(result.email()).email()).as("idempotent").isEqualTo(email);
  }

  static Stream<Arguments> invisibleAndUnicodeInput() {
    return Stream.of(
        Arguments.of("  ann@acme.com  ", "ann@acme.com"),
        Arguments.of("\tann@acme.com\r\n", "ann@acme.com"),
        Arguments.of("\u00A0ann@acme.com\u00A0", "ann@acme.com"),
        Arguments.of("\u3000ann@acme.com\u3000", "ann@acme.com"),
        Arguments.of("\uFEFFann@acme.com", "ann@acme.com"),
        Arguments.of("ann@acme.com\u200B", "ann@acme.com"),
        Arguments.of("\u200E\u202Fann@acme.com\u2060", "ann@acme.com"),
        Arguments.of("an\u200Bn@ac\u00ADme.com", "ann@acme.com"),
        Arguments.of("\u00A0Ann Lee\u00A0<\u00A0Ann@Acme.com\u00A0>\u00A0", "ann@acme.com"),
        Arguments.of("'ann@acme.com'", "ann@acme.com"),
        Arguments.of("\u201Cann@acme.com\u201D", "ann@acme.com"),
        Arguments.of("'<mailto:ann@acme.com>'", "ann@acme.com"),
        // NFC: a decomposed o + combining diaeresis is the same person as the composed ö
        Arguments.of("Jo\u0308rg@acme.de", "j\u00F6rg@acme.de"),
        Arguments.of("J\u00D6RG@acme.de", "j\u00F6rg@acme.de"),
        Arguments.of("ann@b\u00FCcher.de", "ann@xn--bcher-kva.de"),
        Arguments.of("ann@bu\u0308cher.de", "ann@xn--bcher-kva.de"),
        Arguments.of("ann@\uFF41\uFF43\uFF4D\uFF45.com", "ann@acme.com"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("invisibleAndUnicodeInput")
  void trimsUnicodeBlanksAndNormalisesUnicode(String raw, String email) {
    assertThat(EmailNormalizer.normalize(raw).email()).isEqualTo(email);
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # raw                                | code
      ~~                                   | empty
      ~   ~                                | empty
      <>                                   | empty
      Ann Lee <>                           | empty
      mailto:                              | empty
      ""                                   | empty
      ann.acme.com                         | no_at_sign
      Ann Lee                              | no_at_sign
      "ann@acme.com                        | invalid_local_part
      ann@bob@acme.com                     | several_at_signs
      ann@acme.com; bob@acme.com           | several_at_signs
      ann@acme.com, bob@acme.com           | several_at_signs
      <a@acme.com> <b@acme.com>            | several_at_signs
      "a@b"@c@acme.com                     | several_at_signs
      @acme.com                            | empty_local_part
      ""@acme.com                          | empty_local_part
      .ann@acme.com                        | invalid_local_part
      ann.@acme.com                        | invalid_local_part
      ann..lee@acme.com                    | invalid_local_part
      ann..lee@gmail.com                   | invalid_local_part
      ann lee@acme.com                     | invalid_local_part
      ann,lee@acme.com                     | invalid_local_part
      ann<lee@acme.com                     | invalid_local_part
      ann(x)@acme.com                      | invalid_local_part
      ann"lee"@acme.com                    | invalid_local_part
      "ann"lee@acme.com                    | invalid_local_part
      "ann"."lee"@acme.com                 | invalid_local_part
      ann\\@acme.com                       | invalid_local_part
      Ann Lee <ann@acme.com                | invalid_local_part
      ann@                                 | invalid_domain
      Ann <ann@>                           | invalid_domain
      ann@acme..com                        | invalid_domain
      ann@.acme.com                        | invalid_domain
      ann@acme.com..                       | invalid_domain
      ann@-acme.com                        | invalid_domain
      ann@acme-.com                        | invalid_domain
      ann@acme .com                        | invalid_domain
      ann@acme.com>                        | invalid_domain
      ann@acme.com (work)                  | invalid_domain
      ann@acme.123                         | invalid_domain
      ann@[1.2.3.4                         | invalid_domain
      ann@[1.2.3.4]                        | ip_domain
      ann@[IPv6:2001:db8::1]               | ip_domain
      ann@192.168.0.1                      | ip_domain
      ann@192.168.0.1.                     | ip_domain
      ann@::1                              | ip_domain
      ann@localhost                        | no_public_suffix
      ann@co.uk                            | no_public_suffix
      ann@com.au                           | no_public_suffix
      ann@acme                             | no_public_suffix
      ann@github.io                        | no_public_suffix
      ann@acme.invalid                     | no_public_suffix
      """)
  void rejectsWithCodeAndAReasonNamingTheValue(String raw, String code) {
    NormalizedEmail result = EmailNormalizer.normalize(raw);

    assertThat(result.valid()).as("valid").isFalse();
    assertThat(result.rejectCode()).isEqualTo(code);
    assertThat(result.rejectReason()).startsWith("'" + raw + "' ");
    assertThat(result.email()).isNull();
    assertThat(result.host()).isNull();
    assertThat(result.registrableDomain()).isNull();
  }

  static Stream<Arguments> invisibleRejects() {
    return Stream.of(
        Arguments.of("\u00A0\u3000\u200B\uFEFF", "empty"),
        Arguments.of("ann\u00A0lee@acme.com", "invalid_local_part"),
        Arguments.of("ann\u200Dlee@acme.com", "invalid_local_part"),
        Arguments.of("ann\u0001@acme.com", "invalid_local_part"),
        Arguments.of("\"ann\u0001\"@acme.com", "invalid_local_part"),
        Arguments.of("ann@ac\u200Eme.com", "invalid_domain"),
        Arguments.of("ann@" + "a".repeat(64) + ".com", "invalid_domain"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("invisibleRejects")
  void rejectsInvisibleCharactersInsideTheAddress(String raw, String code) {
    NormalizedEmail result = EmailNormalizer.normalize(raw);

    assertThat(result.rejectCode()).isEqualTo(code);
    assertThat(result.rejectReason()).contains(raw);
  }

  @Test
  void rejectsNullAsEmpty() {
    NormalizedEmail result = EmailNormalizer.normalize(null);

    assertThat(result.valid()).isFalse();
    assertThat(result.rejectCode()).isEqualTo("empty");
    assertThat(result.rejectReason()).isEqualTo("The e-mail value is missing (null)");
  }

  @Test
  void reasonsAreSentencesAboutTheRawValue() {
    assertThat(EmailNormalizer.normalize("ann.acme.com").rejectReason())
        .isEqualTo("'ann.acme.com' has no '@'");
    assertThat(EmailNormalizer.normalize(" ann.acme.com ").rejectReason())
        .isEqualTo("' ann.acme.com ' has no '@'");
    assertThat(EmailNormalizer.normalize("ann@bob@acme.com").rejectReason())
        .isEqualTo("'ann@bob@acme.com' has 2 '@' signs outside quotes; an address has one");
    assertThat(EmailNormalizer.normalize("ann lee@acme.com").rejectReason())
        .isEqualTo("'ann lee@acme.com' has a character that is not allowed in an unquoted local part"
            + " (U+0020)");
    assertThat(EmailNormalizer.normalize("ann..lee@acme.com").rejectReason())
        .isEqualTo("'ann..lee@acme.com' has two dots in a row in the local part");
    assertThat(EmailNormalizer.normalize("ann@co.uk").rejectReason())
        .isEqualTo("'ann@co.uk' has a domain that is not under a public suffix such as .com or .co.uk");
    assertThat(EmailNormalizer.normalize("   ").rejectReason()).isEqualTo("'   ' is blank");
  }

  /** One example per code, so a new code cannot be added without a way to reach it. */
  private static final Map<EmailRejectCode, String> EXAMPLES = Map.of(
      EmailRejectCode.EMPTY, " ",
      EmailRejectCode.NO_AT_SIGN, "ann",
      EmailRejectCode.SEVERAL_AT_SIGNS, "a@b@c.com",
      EmailRejectCode.EMPTY_LOCAL_PART, "@acme.com",
      EmailRejectCode.INVALID_LOCAL_PART, "a..b@acme.com",
      EmailRejectCode.INVALID_DOMAIN, "ann@acme..com",
      EmailRejectCode.IP_DOMAIN, "ann@[10.0.0.1]",
      EmailRejectCode.NO_PUBLIC_SUFFIX, "ann@localhost");

  @ParameterizedTest
  @EnumSource(EmailRejectCode.class)
  void everyRejectCodeIsReachable(EmailRejectCode code) {
    assertThat(EXAMPLES).containsKey(code);
    assertThat(EmailNormalizer.normalize(EXAMPLES.get(code)).rejectCode()).isEqualTo(code.code());
  }

  @Test
  void providerAliasesAndDotRulesApplyToTheExactProviderDomainOnly() {
    NormalizedEmail alias = EmailNormalizer.normalize("Ann.Lee@googlemail.com");
    NormalizedEmail subdomain = EmailNormalizer.normalize("ann.lee@eu.googlemail.com");

    assertThat(alias.email()).isEqualTo("annlee@gmail.com");
    assertThat(alias.host()).isEqualTo("gmail.com");
    assertThat(subdomain.email()).isEqualTo("ann.lee@eu.googlemail.com");
    assertThat(subdomain.registrableDomain()).isEqualTo("googlemail.com");
  }

  @Test
  void neverThrowsAndKeepsTheResultInvariantOnArbitraryInput() {
    String alphabet = "aZ09.@+\"\\<>()[]:;, '`\u00A0\u200B\u3000\u00FC\u0308\u3002-_!/?#mailto";
    String[] fragments = {"acme.com", "gmail.com", "co.uk", "mailto:", "\"x y\"", "xn--", "[1.2.3.4]"};
    SplittableRandom random = new SplittableRandom(20240611L);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder raw = new StringBuilder();
      int length = random.nextInt(24);
      for (int j = 0; j < length; j++) {
        if (random.nextInt(6) == 0) {
          raw.append(fragments[random.nextInt(fragments.length)]);
        } else {
          raw.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      String value = raw.toString();
      assertThatCode(() -> {
        NormalizedEmail result = EmailNormalizer.normalize(value);
        if (result.valid()) {
          assertThat(EmailNormalizer.normalize(result.email()).email()).isEqualTo(result.email());
        } else {
          assertThat(result.rejectReason()).contains("'" + value + "'");
        }
      }).as("input '%s'", value).doesNotThrowAnyException();
    }
  }
}
