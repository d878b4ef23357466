package dev.perso.emv.cps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import org.junit.jupiter.api.Test;

class CardProfileTest {

  @Test
  void shippedExamplesLoad() {
    CardProfile vsdc = CardProfile.example("vsdc-example");
    assertThat(vsdc.applications()).extracting(a -> a.aid().toHex()).containsExactly("A0000000031010");
    assertThat(vsdc.secureChannel()).isEqualTo(new SecureChannelProfile(dev.perso.gp.ScpVersion.of(2, 0x55), 0x03, 0x00, "emv"));
    assertThat(vsdc.encryptionOf(0x8000)).isEqualTo(DgiEncryption.ENCRYPTED);
    assertThat(vsdc.encryptionOf(0x8201)).isEqualTo(DgiEncryption.ENCRYPTED_PADDED);
    assertThat(vsdc.encryptionOf(0x0101)).isEqualTo(DgiEncryption.PLAINTEXT);
    assertThat(vsdc.kcvDgis()).containsEntry(0x9000, 0x8000);
    assertThat(vsdc.dgiFormatBit()).isFalse();

    CardProfile mchip = CardProfile.example("mchip-example");
    ApplicationProfile app = mchip.applications().get(0);
    assertThat(app.target()).isEqualTo(ApplicationProfile.Target.SECURITY_DOMAIN);
    assertThat(app.securityDomainAid()).contains(Bytes.fromHex("A000000151000000"));
    assertThat(mchip.secureChannel().version()).isEqualTo(dev.perso.gp.ScpVersion.of(3, 0x70));
    assertThat(mchip.dgiFormatBit()).isTrue();
  }

  @Test
  void builderAndJsonDescribeTheSameProfile() {
    CardProfile built = CardProfile.builder("vsdc-example")
        .description(CardProfile.example("vsdc-example").description())
        .application(ApplicationProfile.application(Bytes.fromHex("A0000000031010"), "VSDC"))
        .secureChannel(new SecureChannelProfile(dev.perso.gp.ScpVersion.of(2, 0x55), 0x03, 0x00, "emv"))
        .dgi(0x8000, DgiEncryption.ENCRYPTED).dgi(0x8010, DgiEncryption.ENCRYPTED)
        .kcv(0x9000, 0x8000)
        .build();
    CardProfile example = CardProfile.example("vsdc-example");
    assertThat(built.applications()).isEqualTo(example.applications());
    assertThat(built.secureChannel()).isEqualTo(example.secureChannel());
    assertThat(built.encryptionOf(0x8010)).isEqualTo(example.encryptionOf(0x8010));
    CardProfile variant = example.newBuilder().dgiFormatBit(true).build();
    assertThat(variant.dgiFormatBit()).isTrue();
    assertThat(variant.dgiRules().dgis()).isEqualTo(example.dgiRules().dgis());
    assertThat(variant.dgiRules()).isEqualTo(example.dgiRules().toBuilder().dgiFormatBit(true).build());
  }

  /** Issue 12 §1: each application may have its own secure channel and DGI table; the JSON and the builder agree. */
  @Test
  void anApplicationsOwnSecureChannelAndDgiRulesReplaceTheCardsForThatApplication() {
    CardProfile card = CardProfile.example("two-app-example");
    Bytes debit = Bytes.fromHex("A0000000031010");
    Bytes credit = Bytes.fromHex("A0000000041010");
    assertThat(card.forApplication(debit)).isSameAs(card);
    CardProfile own = card.forApplication(credit);
    assertThat(own.name()).isEqualTo("two-app-example");
    assertThat(own.applications()).extracting(ApplicationProfile::aid).containsExactly(credit);
    assertThat(own.secureChannel()).isEqualTo(new SecureChannelProfile(dev.perso.gp.ScpVersion.of(3, 0x70), 0x03, 0x30, "kdf3"));
    assertThat(own.dgiFormatBit()).isTrue();
    assertThat(own.encryptionOf(0x8010)).isEqualTo(DgiEncryption.ENCRYPTED_PAD_IF_NEEDED);
    // its dgis table replaces the card's whole: 8201 is plaintext (the default) for it, not the card's rule
    assertThat(own.encryptionOf(0x8201)).isEqualTo(DgiEncryption.PLAINTEXT);
    assertThat(card.encryptionOf(0x8201)).isEqualTo(DgiEncryption.ENCRYPTED_PADDED);
    // a member it leaves out is the card's: the KCV DGI 9000 of the keys in 8000
    assertThat(own.kcvDgis()).containsEntry(0x9000, 0x8000);
    assertThatThrownBy(() -> card.forApplication(Bytes.fromHex("A0000000651010")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("A0000000651010");

    CardProfile built = CardProfile.builder("two-app-example").description(card.description())
        .secureChannel(card.secureChannel()).dgiRules(card.dgiRules())
        .application(ApplicationProfile.application(debit, "VSDC"))
        .application(ApplicationProfile.viaSecurityDomain(credit, "M/Chip", Bytes.fromHex("A000000151535344"))
            .withSecureChannel(new SecureChannelProfile(dev.perso.gp.ScpVersion.of(3, 0x70), 0x03, 0x30, "kdf3"))
            .withDgiRules(card.dgiRules().toBuilder().dgiFormatBit(true).clearDgis()
                .dgi(0x8000, DgiEncryption.ENCRYPTED).dgi(0x8010, DgiEncryption.ENCRYPTED_PAD_IF_NEEDED).build()))
        .build();
    assertThat(built.applications()).isEqualTo(card.applications());
    assertThat(built.forApplication(credit).dgiRules()).isEqualTo(own.dgiRules());
    // newBuilder keeps the applications' own rules
    assertThat(card.newBuilder().build().forApplication(credit).secureChannel()).isEqualTo(own.secureChannel());
  }

  /** Issue 12 §1: an application's own members are as strict as the card's, errors naming the file and path. */
  @Test
  void anApplicationsOwnMembersAreStrictAndNameFileAndPath() {
    String head = "{\"name\":\"x\",\"secureChannel\":{\"scp\":\"02\",\"i\":\"55\",\"securityLevel\":\"03\"},"
        + "\"applications\":[{\"aid\":\"A0000000031010\"},{\"aid\":\"A0000000041010\",";
    String sc = "\"secureChannel\":{\"scp\":\"03\",\"i\":\"70\",\"securityLevel\":\"03\"";
    assertThat(CardProfile.parse(head + sc + "}}]}", "a.json").forApplication(Bytes.fromHex("A0000000041010"))
        .secureChannel().version()).isEqualTo(dev.perso.gp.ScpVersion.of(3, 0x70));
    assertThatThrownBy(() -> CardProfile.parse(head + sc + ",\"keyVerison\":\"30\"}}]}", "a.json"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("a.json applications[1] secureChannel keyVerison").hasMessageContaining("unknown field");
    assertThatThrownBy(() -> CardProfile.parse(head + sc.replace("\"70\"", "\"7\"") + "}}]}", "a.json"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("a.json applications[1] secureChannel");
    assertThatThrownBy(() -> CardProfile.parse(head + sc + ",\"diversification\":\"kdf4\"}}]}", "a.json"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("a.json applications[1] secureChannel diversification");
    assertThatThrownBy(() -> CardProfile.parse(head + "\"dgis\":{\"8000\":\"secret\"}}]}", "a.json"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("a.json applications[1] dgis.8000");
    assertThatThrownBy(() -> CardProfile.parse(head + "\"dgis\":{\"80000\":\"encrypted\"}}]}", "a.json"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("a.json applications[1] dgis.80000");
    assertThatThrownBy(() -> CardProfile.parse(head + "\"storeData\":{\"dgiFormatbit\":true}}]}", "a.json"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("a.json applications[1] storeData dgiFormatbit");
    assertThatThrownBy(() -> CardProfile.parse(head + "\"storeData\":{\"dgiFormatBit\":\"yes\"}}]}", "a.json"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("a.json applications[1] storeData.dgiFormatBit");
    assertThatThrownBy(() -> CardProfile.parse(head + "\"kcv\":{\"9000\":{\"keys\":\"8000\",\"methd\":\"x\"}}}]}",
        "a.json")).isInstanceOf(ValidationException.class).hasMessageContaining("a.json applications[1] kcv.9000 methd");
    assertThatThrownBy(() -> CardProfile.parse(head + "\"defaultDgi\":\"clear\"}]}", "a.json"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("a.json applications[1] defaultDgi");
    assertThatThrownBy(() -> CardProfile.parse(head + "\"secureChannel\":[]}]}", "a.json"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("a.json applications[1] secureChannel");
  }

  /** Issue 12 §1: misspelt members at any depth fail when the profile loads, naming the file and the path. */
  @Test
  void misspeltMembersAtAnyDepthFailAtLoadNamingFileAndPath() {
    String base = "{\"name\":\"x\",\"applications\":[{\"aid\":\"A0000000031010\"}],"
        + "\"secureChannel\":{\"scp\":\"02\",\"i\":\"55\",\"securityLevel\":\"03\"}";
    assertThatThrownBy(() -> CardProfile.parse(base.replace("\"securityLevel\"", "\"keyVerison\":\"01\",\"securityLevel\"") + "}",
        "p.json")).isInstanceOf(ValidationException.class).hasMessageContaining("p.json secureChannel keyVerison")
        .hasMessageContaining("unknown field");
    assertThatThrownBy(() -> CardProfile.parse(base.replace("{\"aid\"", "{\"traget\":\"application\",\"aid\"") + "}",
        "p.json")).hasMessageContaining("p.json applications[0] traget");
    assertThatThrownBy(() -> CardProfile.parse(base + ",\"storeData\":{\"dgiFormatbit\":true}}", "p.json"))
        .hasMessageContaining("p.json storeData dgiFormatbit");
    assertThatThrownBy(() -> CardProfile.parse(base + ",\"postCommands\":[{\"apdu\":\"80F00000\",\"sw \":\"9000\"}]}",
        "p.json")).hasMessageContaining("p.json postCommands[0] sw ");
    assertThatThrownBy(() -> CardProfile.parse(base.replace("\"03\"}", "\"03\",\"diversification\":\"emv-cps2\"}") + "}",
        "p.json")).hasMessageContaining("p.json secureChannel diversification").hasMessageContaining("emv-cps2");
    assertThatThrownBy(() -> CardProfile.parse(base + ",\"dgis\":{\"8000\":true}}", "p.json"))
        .hasMessageContaining("p.json dgis.8000").hasMessageContaining("string");
    // every shipped example still loads
    assertThat(CardProfile.example("vsdc-example").secureChannel().diversification()).isEqualTo("emv");
    assertThat(CardProfile.example("mchip-example").secureChannel().diversification()).isEqualTo("kdf3");
  }

  @Test
  void badProfilesNameTheField() {
    String base = "{\"name\":\"x\",\"applications\":[{\"aid\":\"A0000000031010\"}],"
        + "\"secureChannel\":{\"scp\":\"02\",\"i\":\"55\",\"securityLevel\":\"03\"}";
    assertThat(CardProfile.parse(base + "}", "x.json").secureChannel().diversification()).isEqualTo("none");
    assertThatThrownBy(() -> CardProfile.parse(base + ",\"dgis\":{\"8000\":\"secret\"}}", "x.json"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("x.json dgis.8000");
    assertThatThrownBy(() -> CardProfile.parse(base + ",\"dgi\":{}}", "x.json"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("unknown field");
    assertThatThrownBy(() -> CardProfile.parse(base.replace("\"02\"", "\"04\"") + "}", "x.json"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("scp");
    assertThatThrownBy(() -> CardProfile.parse(base + ",\"preCommands\":[{\"apdu\":\"80F0\"}]}", "x.json"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("preCommands[0] apdu");
    assertThatThrownBy(() -> CardProfile.parse("{\"name\":", "x.json"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> CardProfile.example("nope")).hasMessageContaining("no example named 'nope'");
  }

  /** Issue 12 §1: the security level is resolved against the protocol when the profile loads, not at a card. */
  @Test
  void aSecurityLevelTheProtocolDoesNotOfferFailsAtLoadNamingFileAndPath() {
    // GP Card Spec 2.3.1 §E.5.2.3: SCP02 has no R-ENCRYPTION, so P1 33 is not an SCP02 level
    String scp02 = "{\"name\":\"x\",\"secureChannel\":{\"scp\":\"02\",\"i\":\"55\",\"securityLevel\":\"33\"},"
        + "\"applications\":[{\"aid\":\"A0000000031010\"}]}";
    assertThatThrownBy(() -> CardProfile.parse(scp02, "p.json")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("p.json secureChannel securityLevel").hasMessageContaining("R-ENCRYPTION");
    assertThat(CardProfile.parse(scp02.replace("\"33\"", "\"13\""), "p.json").secureChannel().securityLevel())
        .isEqualTo(0x13);
  }

  @Test
  void aSecureChannelProfileIsOneTypedVersionWithItsLevelKeyVersionAndDiversification() {
    SecureChannelProfile sc = SecureChannelProfile.of(dev.perso.gp.ScpVersion.of(3, 0x70), 0x33, 0x30, "kdf3");
    assertThat(sc.version().blockSize()).isEqualTo(16);
    assertThat(sc.withKeyVersion(0x31).keyVersion()).isEqualTo(0x31);
    assertThat(sc.withDiversification("none").diversification()).isEqualTo("none");
    assertThat(sc).hasToString("SCP03 i=70 level=33 KVN=30 diversification=kdf3");
    assertThatThrownBy(() -> sc.withDiversification("kdf4")).isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("diversification"));
  }
}
