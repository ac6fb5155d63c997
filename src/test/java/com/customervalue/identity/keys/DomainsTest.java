package com.customervalue.identity.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DomainsTest {

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # input                                  | registrable domain (blank: none)
      https://www.Acme.com/about?x=1#y         | acme.com
      http://shop.acme.co.uk:8080/x            | acme.co.uk
      acme.com                                 | acme.com
      www.acme.com.au                          | acme.com.au
      //cdn.acme.io/x                          | acme.io
      user:pw@acme.com                         | acme.com
      https://user:pw@www.acme.com:443/        | acme.com
      HTTPS://WWW.ACME.COM                     | acme.com
      ACME.COM                                 | acme.com
      ~  acme.com  ~                           | acme.com
      acme.com.                                | acme.com
      acme.com:8080                            | acme.com
      acme.com/path/to?q=1                     | acme.com
      acme.com?q=1                             | acme.com
      acme.com#top                             | acme.com
      eng.acme.co.uk                           | acme.co.uk
      a.b.c.acme.co.uk                         | acme.co.uk
      ftp://files.acme.de                      | acme.de
      www.bücher.de/path                       | xn--bcher-kva.de
      https://WWW.Bücher.DE/                   | xn--bcher-kva.de
      www.xn--bcher-kva.de                     | xn--bcher-kva.de
      acme。com                                 | acme.com
      # e-mail addresses and mailto links: the part after the '@' is the host
      ann@eng.acme.co.uk                       | acme.co.uk
      mailto:ann@acme.com?subject=Hi           | acme.com
      # private-section suffixes: github.io is a suffix, so each site is its own domain
      foo.github.io                            | foo.github.io
      bar.foo.github.io                        | foo.github.io
      https://foo.github.io/repo               | foo.github.io
      github.io                                |
      # public suffixes, single labels, IP addresses and junk have none
      co.uk                                    |
      com.au                                   |
      .co.uk                                   |
      localhost                                |
      http://localhost:8080/                   |
      acme                                     |
      192.168.0.1                              |
      http://192.168.0.1:8080/x                |
      http://[2001:db8::1]:8080/               |
      acme com                                 |
      acme..com                                |
      -acme.com                                |
      acme.com:http                            |
      http://                                  |
      ://acme.com                              |
      """)
  void registrableDomain(String input, String expected) {
    assertThat(Domains.registrable(input)).isEqualTo(Optional.ofNullable(expected));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      # input                                  | host (blank: unparseable)
      https://www.Acme.com/about?x=1#y         | www.acme.com
      http://shop.acme.co.uk:8080/x            | shop.acme.co.uk
      //cdn.acme.io/x                          | cdn.acme.io
      user:pw@acme.com                         | acme.com
      https://user:p%40ss@acme.com/            | acme.com
      www.bücher.de/path                       | www.xn--bcher-kva.de
      acme.com.                                | acme.com
      acme.com:                                | acme.com
      https://acme.com\\evil.com               | acme.com
      localhost                                | localhost
      co.uk                                    | co.uk
      192.168.0.1                              | 192.168.0.1
      http://192.168.0.1:8080/x                | 192.168.0.1
      http://[2001:DB8::1]:8080/               | [2001:db8::1]
      [::1]                                    | [::1]
      2001:db8::1                              | [2001:db8::1]
      acme..com                                |
      acme.com..                               |
      -acme.com                                |
      acme.com:port                            |
      acme.com:123456                          |
      [::1                                     |
      [::1]x                                   |
      [acme.com]                               |
      acme_corp.com                            | acme_corp.com
      """)
  void host(String input, String expected) {
    assertThat(Domains.host(input)).isEqualTo(Optional.ofNullable(expected));
  }

  static Stream<Arguments> unicodeBlanks() {
    return Stream.of(
        Arguments.of("\u00A0acme.com\u00A0"),
        Arguments.of("\u3000www.acme.com\u3000"),
        Arguments.of("\uFEFFhttps://acme.com/\u200B"),
        Arguments.of("\tacme.com\n"));
  }

  @ParameterizedTest
  @MethodSource("unicodeBlanks")
  void stripsUnicodeBlanks(String input) {
    assertThat(Domains.registrable(input)).contains("acme.com");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {" ", "\u00A0\u3000", "\u200B"})
  void blankHasNeitherHostNorDomain(String input) {
    assertThat(Domains.host(input)).isEmpty();
    assertThat(Domains.registrable(input)).isEmpty();
  }

  @Test
  void unicodeAndPunycodeSpellingsMeet() {
    assertThat(Domains.registrable("Bücher.DE")).isEqualTo(Domains.registrable("xn--bcher-kva.de"));
    assertThat(Domains.registrable("bu\u0308cher.de")).contains("xn--bcher-kva.de");
  }
}
