package dev.perso.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Command encodings of GP Card Specification 2.3.1 ch. 11 and the answers' parsers, with public vectors. */
class GpCommandsTest {
  static String header(CommandApdu c) {
    return String.format("%02X%02X%02X%02X", c.cla(), c.ins(), c.p1(), c.p2());
  }

  @Test
  void installForInstallAndMakeSelectableFollowsTable11_43() {
    // GPPro issue #402 (SSD install under C-MAC, notes §3): the plain data before the 8-byte MAC
    CommandApdu c = GpCommands.installAndMakeSelectable(Bytes.fromHex("A0000001515350"),
        Bytes.fromHex("A000000151535041"), Bytes.fromHex("0101010101"), Bytes.fromHex("800000"), Bytes.fromHex("81020370"));
    assertThat(header(c)).isEqualTo("80E60C00");
    assertThat(c.data().toHex()).isEqualTo("07A0000001515350" + "08A000000151535041" + "050101010101" + "03800000"
        + "06C90481020370" + "00");
    // COMPUTED from the public Empty CAP (notes §3): no parameters still sends C9 00 (the field is mandatory)
    CommandApdu e = GpCommands.installAndMakeSelectable(Bytes.fromHex("0102030405"), Bytes.fromHex("0102030405060708"),
        Bytes.fromHex("0102030405060708"), Privilege.encode(EnumSet.noneOf(Privilege.class)), Bytes.empty());
    assertThat(c.ne()).isEqualTo(256);
    assertThat(e.data().toHex()).isEqualTo("050102030405" + "080102030405060708" + "080102030405060708" + "03000000"
        + "02C900" + "00");
  }

  @Test
  void installForLoadLoadDeleteSetAndGetStatusAndGetData() {
    // §11.5.2.3.1 Table 11-42; COMPUTED vector of notes §8 (Empty CAP to the ISD, no hash)
    CommandApdu forLoad = GpCommands.installForLoad(Bytes.fromHex("0102030405"), GpOptions.ISD_AID, Bytes.empty());
    assertThat(header(forLoad) + forLoad.data().toHex()).isEqualTo("80E60200" + "050102030405" + "08A000000151000000"
        + "000000");
    // §11.6.2: P1 80 last block, P2 block number
    assertThat(header(GpCommands.load(3, true, Bytes.fromHex("C4")))).isEqualTo("80E88003");
    assertThat(header(GpCommands.load(0, false, Bytes.fromHex("C4")))).isEqualTo("80E80000");
    // §11.2.2 Table 11-22/23; notes §4 COMPUTED 80E4008007 4F050102030405
    CommandApdu del = GpCommands.delete(Bytes.fromHex("0102030405"), true);
    assertThat(header(del) + del.data().toHex()).isEqualTo("80E40080" + "4F050102030405");
    assertThat(GpCommands.delete(Bytes.fromHex("0102030405"), false).p2()).isZero();
    // §11.10.2: P1 80 the card, P2 the state (Table 11-6); P1 40 an application with its AID
    assertThat(GpCommands.setCardStatus(CardLifeCycle.SECURED).encode().toHex()).isEqualTo("80F0800F");
    CommandApdu lock = GpCommands.setApplicationStatus(Bytes.fromHex("A0000000031010"), 0x83);
    assertThat(header(lock) + lock.data().toHex()).isEqualTo("80F04083A0000000031010");
    // §11.4.2: 4F 00 for all, P2 02 TLV / 03 next; GPPro issue #402 84F22002 ... then 84F22003
    assertThat(GpCommands.getStatus(StatusScope.LOAD_FILES, false, true).encode().toHex()).isEqualTo("80F220024F4F0000"
        .replace("4F4F", "02" + "4F"));
    assertThat(header(GpCommands.getStatus(StatusScope.LOAD_FILES, true, true))).isEqualTo("80F22003");
    assertThat(header(GpCommands.getStatus(StatusScope.APPLICATIONS, false, false))).isEqualTo("80F24000");
    // GPPro GPData.fetchCPLC: 80CA9F7F00
    assertThat(GpCommands.getData(0x9F7F).encode().toHex()).isEqualTo("80CA9F7F00");
    assertThat(GpCommands.getData(0x00E0).encode().toHex()).isEqualTo("80CA00E000");
    assertThatThrownBy(() -> GpCommands.load(256, true, Bytes.empty())).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> GpCommands.delete(Bytes.fromHex("0102"), false)).isInstanceOf(ValidationException.class);
  }

  @Test
  void privilegesDecodeTheGpProVectors() {
    // GPPro-T privilege parse (notes §3): 80C000 = SD + Trusted Path + Authorized Management; 9EFE80 = 13
    assertThat(Privilege.decode(Bytes.fromHex("80C000"))).containsExactlyInAnyOrder(Privilege.SECURITY_DOMAIN,
        Privilege.TRUSTED_PATH, Privilege.AUTHORIZED_MANAGEMENT);
    assertThat(Privilege.decode(Bytes.fromHex("9EFE80"))).hasSize(13);
    assertThat(Privilege.encode(Privilege.decode(Bytes.fromHex("9EFE80"))).toHex()).isEqualTo("9EFE80");
  }

  @Test
  void getStatusAnswersParseInBothFormats() {
    // GPPro-T testParseISD: ISD, LCS 07, 1-byte C5 80, EA template ignored
    RegistryEntry isd = RegistryEntry.parseTlv(Bytes.fromHex("E3144F07A00000015100009F700107C50180EA028000")).get(0);
    assertThat(isd.aid().toHex()).isEqualTo("A0000001510000");
    assertThat(isd.lifeCycle()).isEqualTo(0x07);
    assertThat(isd.privilegeSet()).containsExactly(Privilege.SECURITY_DOMAIN);
    // GPPro-T testParsePartialISD: CF repeated, C4 load file, CE version, CC associated SD
    RegistryEntry partial = RegistryEntry.parseTlv(Bytes.fromHex("E3464F08A0000000030000009F700101C5039EFE80CF0140"
        + "CF0141CF0142CF0143CF0180CF0181CF0182CF0183C40BD276000005AAFFCAFE0001CE020001CC08A000000003000000")).get(0);
    assertThat(partial.loadFile().orElseThrow().toHex()).isEqualTo("D276000005AAFFCAFE0001");
    assertThat(partial.version().orElseThrow().toHex()).isEqualTo("0001");
    assertThat(partial.securityDomain().orElseThrow().toHex()).isEqualTo("A000000003000000");
    // kaoh scp03Test.c: a real card's 9F70 of length 2 (0F00) is SECURED
    RegistryEntry kaoh = RegistryEntry.parseTlv(Bytes.fromHex("E3324F08A0000001510000009F70020F00C50382FC80C407A00000"
        + "01515350CE020100CC08A000000151000000EA058003008000")).get(0);
    assertThat(CardLifeCycle.of(kaoh.lifeCycle())).isEqualTo(CardLifeCycle.SECURED);
    // legacy (GP 2.2.1 Table 11-35/37): len AID, LCS, privileges [, modules]
    List<RegistryEntry> legacy = RegistryEntry.parseLegacy(Bytes.fromHex("07A0000000031010" + "01" + "00"
        + "01" + "08A000000003101001"), StatusScope.LOAD_FILES_AND_MODULES);
    assertThat(legacy).hasSize(1);
    assertThat(legacy.get(0).modules()).containsExactly(Bytes.fromHex("A000000003101001"));
  }

  @Test
  void cplcAndKeyInformationDecodeThePublicVectors() {
    // kaoh getDataTest.c test_parse_cplc_vector_1 (notes §7)
    Cplc cplc = Cplc.parse(Bytes.fromHex("9F7F2A4790D60047000000000032443429522084480000000000000000152782343239353200"
        + "00000000000000"));
    assertThat(cplc.field(Cplc.Field.IC_FABRICATOR).toHex()).isEqualTo("4790");
    assertThat(cplc.field(Cplc.Field.IC_TYPE).toHex()).isEqualTo("D600");
    assertThat(cplc.field(Cplc.Field.IC_SERIAL_NUMBER).toHex()).isEqualTo("34295220");
    assertThat(cplc.field(Cplc.Field.IC_BATCH_IDENTIFIER).toHex()).isEqualTo("8448");
    assertThat(cplc.field(Cplc.Field.IC_PRE_PERSONALIZER).toHex()).isEqualTo("1527");
    assertThat(cplc.field(Cplc.Field.IC_PRE_PERSONALIZATION_EQUIPMENT_ID).toHex()).isEqualTo("32393532");
    assertThat(cplc.date(Cplc.Field.OPERATING_SYSTEM_RELEASE_DATE, LocalDate.of(2021, 7, 30))).isEmpty();
    // GPPro-T: 1210 -> 2021-07-29 when "now" is 2021-07-30 (year digit 1, day 210)
    Cplc dated = new Cplc(Bytes.concat(Bytes.fromHex("00000000000000000000" + "1210"), Bytes.of(new byte[30])));
    assertThat(dated.date(Cplc.Field.IC_FABRICATION_DATE, LocalDate.of(2021, 7, 30))).contains(LocalDate.of(2021, 7, 29));
    assertThat(Cplc.parse(cplc.encode())).isEqualTo(cplc);
    // GPPro issue #114: IDs 1-3, KVN 01, AES-256 (GP 2.3.1 §11.3.3.1.1 Table 11-28: ID first, then KVN)
    List<KeyInformation> keys = KeyInformation.parseTemplate(Bytes.fromHex("E012C00401018820C00402018820C00403018820"));
    assertThat(keys).extracting(KeyInformation::keyId).containsExactly(1, 2, 3);
    assertThat(keys.get(0).components()).containsExactly(new KeyInformation.Component(0x88, 32));
    assertThat(KeyInformation.encodeTemplate(keys).toHex()).isEqualTo("E012C00401018820C00402018820C00403018820");
    // GPPro-T testRSAKeyTemplate: RSA-1024 token key KVN 70 (A1 80 + A0 03) and a DES key KVN 71
    List<KeyInformation> rsa = KeyInformation.parseTemplate(Bytes.fromHex("E020C00401018820C00402018820C00403018820"
        + "C0060170A180A003C00401718010"));
    assertThat(rsa.get(3).components()).containsExactly(new KeyInformation.Component(0xA1, 0x80),
        new KeyInformation.Component(0xA0, 3));
    // GPPro-T testExtendedRSAKeyTemplate: extended C0 (FF A1 0080, FF A0 0003, usage 84, access 00)
    List<KeyInformation> ext = KeyInformation.parseTemplate(Bytes.fromHex("E021C00401018010C00402018010C00403018010"
        + "C00D0173FFA10080A0000301840100"));
    assertThat(ext.get(3).keyVersion()).isEqualTo(0x73);
  }
}
