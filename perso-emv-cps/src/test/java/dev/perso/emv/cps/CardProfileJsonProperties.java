package dev.perso.emv.cps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 12 §1: an application's own members (secureChannel, storeData, defaultDgi, dgis, kcv) with any JSON
 * value either load, giving the application rules its profile can personalize with, or fail with our
 * {@link ValidationException} naming the file and the application, never another exception.
 */
class CardProfileJsonProperties {
  private static final String HEAD = "{\"name\":\"p\",\"secureChannel\":{\"scp\":\"02\",\"i\":\"55\",\"securityLevel\":\"03\"},"
      + "\"dgis\":{\"8000\":\"encrypted\"},\"applications\":[{\"aid\":\"A0000000031010\"},"
      + "{\"aid\":\"A0000000041010\",\"target\":\"security-domain\",\"securityDomain\":\"A000000151535344\",";

  @Provide
  Arbitrary<String> values() {
    Arbitrary<String> scalars = Arbitraries.oneOf(
        Arbitraries.of("\"02\"", "\"03\"", "\"70\"", "\"55\"", "\"7\"", "\"zz\"", "\"\"", "true", "1", "null", "[]", "{}",
            "\"encrypted\"", "\"plaintext\"", "\"encrypted-padded\"", "\"kdf3\"", "\"emv\"", "\"8000\"", "\"AES_128\""),
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(6).map(s -> "\"" + s.replace("\\", "").replace("\"", "")
            + "\""));
    Arbitrary<String> keys = Arbitraries.of("scp", "i", "securityLevel", "keyVersion", "diversification", "dgiFormatBit",
        "8000", "8010", "9000", "keys", "method", "length", "keyAlgorithm", "x", "80000");
    Arbitrary<String> object = Arbitraries.maps(keys, scalars).ofMaxSize(5)
        .map(m -> "{" + String.join(",", m.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue())
            .toList()) + "}");
    return Arbitraries.oneOf(scalars, object);
  }

  @Provide
  Arbitrary<String> members() {
    return Arbitraries.of("secureChannel", "storeData", "defaultDgi", "dgis", "kcv", "secureChanel");
  }

  @Property(tries = 400)
  void anApplicationsOwnMembersLoadOrFailNamingTheFileAndApplication(@ForAll("members") String member,
      @ForAll("values") String value) {
    String json = HEAD + "\"" + member + "\":" + value + "}]}";
    CardProfile p;
    try {
      p = CardProfile.parse(json, "p.json");
    } catch (ValidationException expected) {
      assertThat(expected.field()).startsWith("p.json applications[1]");
      return;
    } catch (RuntimeException other) {
      fail("not our exception for " + json, other);
      return;
    }
    CardProfile rules = p.forApplication(Bytes.fromHex("A0000000041010"));
    assertThat(rules.secureChannel().version()).isNotNull();
    assertThat(p.forApplication(Bytes.fromHex("A0000000031010"))).isSameAs(p);
  }
}
