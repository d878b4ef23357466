package dev.perso.samples.cli;

import static dev.perso.samples.cli.BridgedCards.VSDC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perso.core.Bytes;
import dev.perso.devices.pcsc.VpcdBridge;
import dev.perso.devices.testing.Pcscd;
import dev.perso.emv.card.VirtualEmvCard;
import dev.perso.gp.CapFile;
import dev.perso.gp.CardLifeCycle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * GlobalPlatform card management end to end with the SDK's own CLI: a VirtualEmvCard bridged through a real
 * pcscd + vsmartcard-vpcd ({@link Pcscd}) is inspected (cplc, status), gets a CAP loaded and an applet
 * installed, its ISD keys rotated from the transport KMC to an issuer KMC (PUT KEY), is SECURED, and is
 * reopened with the new keys only. Keys come from owner-only files.
 */
@Tag("pcscd")
@ExtendWith(Pcscd.class)
@Timeout(90)
class PcscGpManagementIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ISSUER_HEX = "505152535455565758595A5B5C5D5E5F";

  /** A minimal CAP (format 2.1, JCVM §6): package A0000000626F6E75 with applet A0000000626F6E7501. */
  static byte[] cap() {
    Map<CapFile.Component, Bytes> m = new EnumMap<>(CapFile.Component.class);
    m.put(CapFile.Component.HEADER, Bytes.fromHex("010012DECAFFED010204000108A0000000626F6E75"));
    m.put(CapFile.Component.DIRECTORY, Bytes.fromHex("02001F" + "0012001F000D000B000200030004000900040000" + "0005"
        + "000000000000" + "010100"));
    m.put(CapFile.Component.APPLET, Bytes.fromHex("03000D0109A0000000626F6E75010013"));
    m.put(CapFile.Component.IMPORT, Bytes.fromHex("04000B01020107A0000000620101"));
    m.put(CapFile.Component.CONSTANT_POOL, Bytes.fromHex("0500020000"));
    m.put(CapFile.Component.CLASS, Bytes.fromHex("060003A00000"));
    m.put(CapFile.Component.METHOD, Bytes.fromHex("07000400011880"));
    m.put(CapFile.Component.STATIC_FIELD, Bytes.fromHex("080009000000000000000000"));
    m.put(CapFile.Component.REF_LOCATION, Bytes.fromHex("09000400000000"));
    m.put(CapFile.Component.DESCRIPTOR, Bytes.fromHex("0B00050000000000"));
    return CapFile.write("com/example/bonus", m);
  }

  static Path keyFile(Path dir, String name, String hex) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, hex);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  static JsonNode ok(String... args) throws Exception {
    CliRun r = CliRun.of(args);
    assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.err()).isZero();
    assertThat(r.out()).doesNotContain(BridgedCards.KMC_HEX).doesNotContain(ISSUER_HEX);
    return java.util.List.of(args).contains("--json") ? JSON.readTree(r.out()) : null;
  }

  @Test
  void statusLoadInstallRotateSecureAndReopenWithTheNewKeys(@TempDir Path dir) throws Exception {
    String transport = "file:" + keyFile(dir, "transport.kmc", BridgedCards.KMC_HEX);
    String issuer = "file:" + keyFile(dir, "issuer.kmc", ISSUER_HEX);
    Path capFile = dir.resolve("bonus.cap");
    Files.write(capFile, cap());
    JsonNode inspect = ok("gp", "cap", "inspect", "--json", capFile.toString());
    assertThat(inspect.get("packageAid").asText()).isEqualTo("A0000000626F6E75");
    assertThat(inspect.get("components").toString()).contains("Header 18", "RefLocation 4");

    VirtualEmvCard card = BridgedCards.card(VSDC, 31);
    VpcdBridge slot = BridgedCards.insert(card, Pcscd.PORT_A, Pcscd.READER_A);
    try {
      String r = Pcscd.READER_A;
      assertThat(ok("gp", "cplc", "--json", "--reader", r).get("ic_fabricator").asText()).isEqualTo("4790");
      JsonNode status = ok("gp", "status", "--json", "--reader", r, "--key", transport, "--method", "emv");
      assertThat(status.get("cardLifeCycle").asText()).isEqualTo("INITIALIZED");
      assertThat(status.get("keyVersion").asText()).isEqualTo("01");
      assertThat(status.get("applications").toString()).contains("A0000000031010");

      assertThat(ok("gp", "load", "--json", "--reader", r, "--key", transport, "--method", "emv", "--hash", "sha-256",
          capFile.toString()).get("blocks").asInt()).isEqualTo(1);
      ok("gp", "install", "--reader", r, "--key", transport, "--method", "emv", "--package", "A0000000626F6E75",
          "--applet", "A0000000626F6E7501", "--instance", "A0000000626F6E750101");
      JsonNode rotated = ok("gp", "put-key", "--json", "--reader", r, "--key", transport, "--method", "emv",
          "--new-key", issuer, "--new-method", "emv", "--new-kvn", "02");
      assertThat(rotated.get("newKeyVersion").asText()).isEqualTo("02");
      assertThat(rotated.get("kcvs")).hasSize(3);

      // nothing that can lock or terminate goes out without --allow-locking
      CliRun refused = CliRun.of("gp", "set-status", "--reader", r, "--key", issuer, "--method", "emv", "--kvn", "02",
          "--card", "TERMINATED");
      assertThat(refused.exitCode()).isEqualTo(2);
      assertThat(refused.errors()).contains("--allow-locking");

      ok("gp", "set-status", "--reader", r, "--key", issuer, "--method", "emv", "--kvn", "02", "--card", "SECURED");
      JsonNode after = ok("gp", "status", "--json", "--reader", r, "--key", issuer, "--method", "emv", "--kvn", "02");
      assertThat(after.get("cardLifeCycle").asText()).isEqualTo("SECURED");
      assertThat(after.get("keyVersion").asText()).isEqualTo("02");
      assertThat(after.get("applications").toString()).contains("A0000000626F6E750101");
      // the transport keys no longer open the card
      CliRun old = CliRun.of("gp", "status", "--reader", r, "--key", transport, "--method", "emv");
      assertThat(old.exitCode()).isNotZero();
      ok("gp", "delete", "--reader", r, "--key", issuer, "--method", "emv", "--kvn", "02", "--related",
          "A0000000626F6E75");
    } finally {
      BridgedCards.remove(slot, Pcscd.READER_A);
    }
    assertThat(card.isd().cardLifeCycle()).isEqualTo(CardLifeCycle.SECURED);
    assertThat(card.isd().keyVersions()).containsExactly(0x02);
    assertThat(card.isd().loadFiles()).doesNotContain(Bytes.fromHex("A0000000626F6E75"));
  }
}
