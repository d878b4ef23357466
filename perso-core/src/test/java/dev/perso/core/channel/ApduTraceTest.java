package dev.perso.core.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.ScriptedCard;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.event.PersoEvents;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.helpers.MessageFormatter;

class ApduTraceTest {

  // Plaintext PIN block format 2 for PIN 1234 (EMV Book 3 §6.5.12, VERIFY with P2=80).
  private static final String VERIFY = "0020008008241234FFFFFFFFFF";
  // A READ RECORD response carrying Track 2 Equivalent Data (tag 57) with a test PAN.
  private static final String RECORD = "70125710476173900101001" + "0D2512201000000000F";

  /** Captures every formatted log line through a dynamic-proxy SLF4J logger. */
  private static Logger capturingLogger(List<String> lines) {
    return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
        (proxy, method, args) -> {
          String name = method.getName();
          if (name.startsWith("is") && name.endsWith("Enabled")) {
            return true;
          }
          if (name.equals("getName")) {
            return "capture";
          }
          if (args != null && args.length > 0 && args[0] instanceof String) {
            Object[] rest = new Object[args.length - 1];
            System.arraycopy(args, 1, rest, 0, rest.length);
            if (rest.length == 1 && rest[0] instanceof Object[]) {
              rest = (Object[]) rest[0];
            }
            lines.add(MessageFormatter.arrayFormat((String) args[0], rest).getMessage());
          }
          return null;
        });
  }

  private static ScriptedCard card() {
    return ScriptedCard.builder()
        .expect(VERIFY, "9000")
        .expect("00B2010C00", RECORD + "9000")
        .expect("00A4040007A000000004101000", "6F009000")
        .build();
  }

  private static void run(CardChannel ch) {
    ch.transmit(CommandApdu.parse(Bytes.fromHex(VERIFY)));
    ch.transmit(CommandApdu.parse(Bytes.fromHex("00B2010C00")));
    ch.transmit(CommandApdu.parse(Bytes.fromHex("00A4040007A000000004101000")));
  }

  @Test
  void logMasksPinBlockAndTrackDataByDefault() {
    List<String> lines = new ArrayList<>();
    run(VirtualCard.connect(card()).with(ApduTrace.toLog(capturingLogger(lines), ApduMasking.DEFAULT)));
    String all = String.join("\n", lines);
    assertThat(lines).hasSize(6);
    assertThat(all).doesNotContain("241234").doesNotContain("4761739001010010");
    assertThat(all).contains("00 20 00 80 Lc=8 [secret]");
    assertThat(all).contains("[secret] 9000");
    // Non-sensitive exchanges stay readable.
    assertThat(all).contains("00 A4 04 00 Lc=7 [A0000000041010] Le=256");
  }

  @Test
  void maskingNoneShowsEverythingForLabCards() {
    List<String> lines = new ArrayList<>();
    run(VirtualCard.connect(card()).with(ApduTrace.toLog(capturingLogger(lines), ApduMasking.NONE)));
    assertThat(String.join("\n", lines)).contains("241234");
  }

  @Test
  void eventsSeeMaskedCopiesButCardSeesRealData() {
    List<String> seen = new ArrayList<>();
    PersoEvents recorder = new PersoEvents() {
      @Override
      public void apduSent(CommandApdu command) {
        seen.add("> " + command);
      }

      @Override
      public void apduReceived(CommandApdu command, ResponseApdu response, Duration elapsed) {
        seen.add("< " + response);
      }
    };
    ScriptedCard card = card();
    CardChannel ch = VirtualCard.connect(card).with(ApduTrace.to(recorder));
    ResponseApdu r = ch.transmit(CommandApdu.parse(Bytes.fromHex(VERIFY)));
    ResponseApdu rec = ch.transmit(CommandApdu.parse(Bytes.fromHex("00B2010C00")));
    assertThat(r.isSuccess()).isTrue();
    assertThat(rec.data().isSecret()).as("the caller gets the real data, unmarked").isFalse();
    assertThat(rec.data().toHex()).isEqualTo(RECORD);
    assertThat(String.join("\n", seen)).doesNotContain("241234").doesNotContain("47617390");
    assertThat(card.stepsPlayed()).isEqualTo(2);
  }
}
