package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perso.core.Bytes;
import dev.perso.devices.memory.MemoryChip;
import dev.perso.devices.memory.VirtualMemoryCard;
import dev.perso.devices.pcsc.VpcdBridge;
import dev.perso.devices.testing.Pcscd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code perso memcard read|write|present|protect|change-code} against virtual memory cards in a vpcd reader of a
 * real pcscd (the {@link Pcscd} extension; notes/transports.md §3.3, §5.2).
 */
@Tag("pcscd")
@ExtendWith(Pcscd.class)
@Timeout(120)
class PcscMemcardCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private Path codeFile(String name, String hex) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, hex + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  private static CliRun memcard(String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "memcard";
    System.arraycopy(args, 0, all, 1, 1);
    all[2] = "--reader";
    all[3] = Pcscd.READER_A;
    all[4] = "--json";
    System.arraycopy(args, 1, all, 5, args.length - 1);
    return CliRun.of(all);
  }

  @Test
  void everyCommandOnAnSle4442() throws Exception {
    VirtualMemoryCard v = VirtualMemoryCard.builder(MemoryChip.SLE4442).build();
    String transport = "file:" + codeFile("transport", "FFFFFF");
    String perCard = "file:" + codeFile("card", "5A5A01");
    VpcdBridge slot = BridgedCards.insert(v, Pcscd.PORT_A, Pcscd.READER_A);
    try {
      CliRun r = memcard("read", "--chip", "sle4442", "--length", "8");
      assertThat(r.exitCode()).as(r.err()).isZero();
      JsonNode j = JSON.readTree(r.out());
      assertThat(j.get("hex").asText()).isEqualTo("A2131091FFFFFFFF");
      assertThat(j.get("triesLeft").asInt()).isEqualTo(3);
      assertThat(j.get("protected")).isEmpty();

      CliRun wrong = memcard("present", "--chip", "sle4442", "--code", "file:" + codeFile("wrong", "000000"));
      assertThat(wrong.exitCode()).isEqualTo(1);
      JsonNode w = JSON.readTree(wrong.out());
      assertThat(w.get("verified").asBoolean()).isFalse();
      assertThat(w.get("triesLeft").asInt()).isEqualTo(2);
      assertThat(w.get("reason").asText()).isEqualTo("WRONG_CODE");
      assertThat(wrong.out() + wrong.err()).doesNotContain("000000");
      assertThat(v.presentations()).isEqualTo(1);

      CliRun ok = memcard("present", "--chip", "sle4442", "--code", transport);
      assertThat(ok.exitCode()).as(ok.err()).isZero();
      assertThat(JSON.readTree(ok.out()).get("triesLeft").asInt()).isEqualTo(3);

      CliRun write = memcard("write", "--chip", "sle4442", "--code", transport, "--address", "0x10", "--hex",
          "0102030405060708");
      assertThat(write.exitCode()).as(write.err()).isZero();
      assertThat(JSON.readTree(write.out()).get("written").asInt()).isEqualTo(8);
      assertThat(v.memory().slice(16, 24)).isEqualTo(Bytes.fromHex("0102030405060708"));

      CliRun refused = memcard("protect", "--chip", "sle4442", "--code", transport, "--address", "16", "--length", "4");
      assertThat(refused.exitCode()).isEqualTo(2);
      assertThat(refused.errors()).contains("--irreversible");
      CliRun protect = memcard("protect", "--chip", "sle4442", "--code", transport, "--address", "16", "--length", "4",
          "--irreversible");
      assertThat(protect.exitCode()).as(protect.err()).isZero();
      assertThat(JSON.readTree(protect.out()).get("protected").toString()).isEqualTo("[[16,19]]");
      CliRun onProtected = memcard("write", "--chip", "sle4442", "--code", transport, "--address", "18", "--hex", "00");
      assertThat(onProtected.exitCode()).isEqualTo(2);
      assertThat(onProtected.errors()).contains("byte 18 is protected").contains("nothing was written");

      CliRun change = memcard("change-code", "--chip", "sle4442", "--code", transport, "--new-code", perCard);
      assertThat(change.exitCode()).as(change.err()).isZero();
      assertThat(JSON.readTree(change.out()).get("confirmed").asBoolean()).isTrue();
      assertThat(change.out() + change.err()).doesNotContain("5A5A01").doesNotContain("FFFFFF");
      CliRun after = memcard("present", "--chip", "sle4442", "--code", perCard);
      assertThat(after.exitCode()).as(after.err()).isZero();

      // plain hex works with a warning, and is never echoed
      CliRun plain = memcard("present", "--chip", "sle4442", "--code", "5A5A01");
      assertThat(plain.exitCode()).isZero();
      assertThat(plain.err()).contains("warning").doesNotContain("5A5A01");
    } finally {
      BridgedCards.remove(slot, Pcscd.READER_A);
    }
  }

  @Test
  void aCardAtTheFloorIsRefusedWithNoCodeSent() throws Exception {
    VirtualMemoryCard v = VirtualMemoryCard.builder(MemoryChip.SLE4428).triesLeft(1).build();
    VpcdBridge slot = BridgedCards.insert(v, Pcscd.PORT_A, Pcscd.READER_A);
    try {
      CliRun r = memcard("present", "--chip", "sle4428", "--code", "file:" + codeFile("c", "FFFF"));
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.errors()).contains("1 tries left, fewer than the floor of 2; no code was presented");
      assertThat(v.presentations()).isZero();
      CliRun read = memcard("read", "--chip", "sle4428", "--address", "0", "--length", "32");
      assertThat(read.exitCode()).as(read.err()).isZero();
      assertThat(JSON.readTree(read.out()).get("protected").toString()).isEqualTo("[[0,7],[21,26]]");
    } finally {
      BridgedCards.remove(slot, Pcscd.READER_A);
    }
  }

  @Test
  void anI2cCard() throws Exception {
    VirtualMemoryCard v = VirtualMemoryCard.builder(MemoryChip.AT24C64).build();
    VpcdBridge slot = BridgedCards.insert(v, Pcscd.PORT_A, Pcscd.READER_A);
    try {
      String data = "00112233445566778899AABBCCDDEEFF".repeat(5);
      CliRun w = memcard("write", "--chip", "at24c64", "--address", "8100", "--hex", data);
      assertThat(w.exitCode()).as(w.err()).isZero();
      CliRun r = memcard("read", "--chip", "at24c64", "--address", "8100", "--length", "12");
      assertThat(JSON.readTree(r.out()).get("hex").asText()).isEqualTo(data.substring(0, 24));
      CliRun code = memcard("present", "--chip", "at24c64", "--code", "00");
      assertThat(code.exitCode()).isEqualTo(2);
      assertThat(code.errors()).contains("has no code");
    } finally {
      BridgedCards.remove(slot, Pcscd.READER_A);
    }
  }
}
