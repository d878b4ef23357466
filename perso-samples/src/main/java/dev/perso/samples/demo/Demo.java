package dev.perso.samples.demo;

import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.channel.GetResponse;
import dev.perso.core.channel.ApduTrace;
import dev.perso.core.tlv.Tag;
import dev.perso.core.tlv.Tlv;
import dev.perso.core.tlv.TlvPrinter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The end-to-end demo on the embedded default: everything in-process, no hardware. It grows with the
 * SDK; today it inserts a virtual card, talks to it through a decorated {@code CardChannel} (GET
 * RESPONSE handling, masked APDU trace), selects the payment application found in the PPSE and reads
 * its record, decoding every response with the EMV tag dictionary.
 */
public final class Demo {
  private final PrintWriter out;

  /** @param out where to narrate each step, or null to run silently (for {@code --json}) */
  public Demo(PrintWriter out) {
    this.out = out == null ? new PrintWriter(PrintWriter.nullWriter()) : out;
  }

  /**
   * What the demo did.
   *
   * @param atr the virtual card's ATR, hex
   * @param applications the AIDs found in the PPSE, hex
   * @param applicationLabel the selected application's label (tag 50)
   * @param recordTags the tags of the record read, hex, in order
   * @param apduExchanges how many command/response pairs crossed the channel
   * @param steps the steps, in words
   */
  public record Result(String atr, List<String> applications, String applicationLabel, List<String> recordTags,
      int apduExchanges, List<String> steps) {
    /** @return the closing lines of the text output */
    public String summary() {
      return "\nDone: " + steps.size() + " steps, " + apduExchanges + " APDU exchanges, application '"
          + applicationLabel + "' (" + String.join(", ", applications) + ").";
    }
  }

  /** @return what the demo did */
  public Result run() {
    List<String> steps = new ArrayList<>();
    ConsoleTrace trace = new ConsoleTrace(out);
    DemoCard card = new DemoCard();

    step(steps, "Insert a virtual card (in-process) and connect a channel: GET RESPONSE handling + masked trace");
    Bytes atr = card.reset();
    out.println("    ATR " + atr.toHex());
    try (CardChannel channel = VirtualCard.connect(card).with(ApduTrace.to(trace)).with(GetResponse.auto())) {

      step(steps, "SELECT the PPSE (2PAY.SYS.DDF01) and list the applications it announces");
      ResponseApdu ppse = channel.transmit(CommandApdu.of(0x00, 0xA4, 0x04, 0x00, DemoCard.PPSE, 256))
          .requireSuccess("SELECT PPSE");
      List<Tlv> ppseTlv = Tlv.parseAll(ppse.data());
      printTree(ppseTlv);
      List<String> aids = new ArrayList<>();
      Tlv.findAll(ppseTlv, Tag.of(0x4F)).forEach(a -> aids.add(a.value().toHex()));

      step(steps, "SELECT the application " + aids.get(0));
      ResponseApdu fci = channel.transmit(CommandApdu.of(0x00, 0xA4, 0x04, 0x00, Bytes.fromHex(aids.get(0)), 256))
          .requireSuccess("SELECT application");
      List<Tlv> fciTlv = Tlv.parseAll(fci.data());
      printTree(fciTlv);
      String label = Tlv.find(fciTlv, Tag.of(0x50))
          .map(l -> new String(l.value().toByteArray(), StandardCharsets.US_ASCII)).orElse("?");

      step(steps, "READ RECORD SFI 1 record 1 (Le=00: the card answers 6Cxx, the channel resends with the exact Le)");
      ResponseApdu record = channel.transmit(CommandApdu.of(0x00, 0xB2, 0x01, 0x0C, Bytes.empty(), 256))
          .requireSuccess("READ RECORD");
      List<Tlv> recordTlv = Tlv.parseAll(record.data());
      printTree(recordTlv);
      List<String> tags = new ArrayList<>();
      recordTlv.get(0).children().forEach(c -> tags.add(c.tag().toHex()));

      return new Result(atr.toHex(), aids, label, tags, trace.exchanges(), steps);
    } finally {
      out.flush();
    }
  }

  private void step(List<String> steps, String what) {
    steps.add(what);
    out.println();
    out.println(steps.size() + ". " + what);
  }

  private void printTree(List<Tlv> tlvs) {
    for (String line : TlvPrinter.masked().print(tlvs).split("\n")) {
      out.println("       " + line);
    }
  }
}
