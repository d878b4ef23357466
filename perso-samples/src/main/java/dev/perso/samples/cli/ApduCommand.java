package dev.perso.samples.cli;

import dev.perso.core.Bytes;
import dev.perso.core.internal.Hex;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.Instructions;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.channel.GetResponse;
import dev.perso.devices.pcsc.PcscCard;
import dev.perso.devices.pcsc.PcscProtocol;
import dev.perso.devices.pcsc.PcscReaders;
import dev.perso.devices.pcsc.Sharing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code perso apdu decode HEX}: explains a command or response APDU. {@code perso apdu send --reader NAME
 * HEX...}: sends APDUs to the card in a PC/SC reader and prints each response with its status-word meaning.
 */
@Command(name = "apdu", description = "Decode APDUs, or send them to a card in a PC/SC reader.",
    subcommands = {ApduCommand.Decode.class, ApduCommand.Send.class})
final class ApduCommand extends CommandGroup {

  @Command(name = "decode",
      description = "Decode a command APDU (ISO/IEC 7816-4 cases 1-4, short or extended), or a response with --response.")
  static final class Decode implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = {"-r", "--response"}, description = "Decode a response APDU (data + SW1 SW2).")
    boolean response;

    @Parameters(index = "0", paramLabel = "HEX", description = "The APDU in hex; spaces and colons are ignored.")
    String hex;

    @Override
    public void run() {
      Bytes raw = CryptoCommand.hex("HEX", hex);
      Map<String, Object> json = new LinkedHashMap<>();
      StringBuilder text = new StringBuilder();
      if (response) {
        ResponseApdu r = ResponseApdu.parse(raw);
        json.put("type", "response");
        json.put("data", r.data().toHex());
        json.put("length", r.data().length());
        json.put("sw", r.sw().toHex());
        json.put("category", r.sw().category().name());
        json.put("meaning", r.sw().meaning());
        text.append("Response APDU\n");
        if (!r.data().isEmpty()) {
          text.append("  data  ").append(r.data().length()).append(" bytes  ").append(r.data().toHex()).append('\n');
        }
        text.append("  SW    ").append(r.sw().toHex()).append("  ").append(r.sw().meaning())
            .append(" [").append(r.sw().category()).append("]\n");
      } else {
        CommandApdu c = CommandApdu.parse(raw);
        String insName = Instructions.name(c).orElse("unknown instruction");
        json.put("type", "command");
        json.put("case", c.apduCase().name());
        json.put("cla", Hex.byteToHex(c.cla()));
        json.put("ins", Hex.byteToHex(c.ins()));
        json.put("insName", insName);
        json.put("p1", Hex.byteToHex(c.p1()));
        json.put("p2", Hex.byteToHex(c.p2()));
        json.put("nc", c.nc());
        json.put("data", c.data().toHex());
        json.put("ne", c.ne());
        text.append("Command APDU, ").append(caseText(c.apduCase())).append('\n');
        text.append("  CLA   ").append(Hex.byteToHex(c.cla())).append("  ").append(claText(c.cla())).append('\n');
        text.append("  INS   ").append(Hex.byteToHex(c.ins())).append("  ").append(insName).append('\n');
        text.append("  P1 P2 ").append(Hex.byteToHex(c.p1())).append(' ').append(Hex.byteToHex(c.p2())).append('\n');
        if (c.nc() > 0) {
          text.append("  Lc    ").append(c.nc()).append('\n');
          text.append("  data  ").append(c.data().toHex()).append('\n');
        }
        if (c.ne() > 0) {
          text.append("  Le    Ne=").append(c.ne()).append('\n');
        }
      }
      output.print(spec.commandLine().getOut(), json, text.toString());
    }

    private static String caseText(CommandApdu.Case c) {
      String s = c.name().substring(5);
      return "case " + s.charAt(0) + (s.length() > 1 ? (s.charAt(1) == 'E' ? " extended" : " short") : "");
    }

    private static String claText(int cla) {
      if ((cla & 0x80) != 0) {
        if (cla == 0xFF) {
          return "invalid (reserved for PPS)";
        }
        boolean sm = (cla & 0x04) != 0;
        return "proprietary (GlobalPlatform/EMV)" + (sm ? ", secure messaging" : "") + ", logical channel " + (cla & 0x03);
      }
      if ((cla & 0x40) != 0) {
        return "interindustry, further logical channel " + (4 + (cla & 0x0F)) + ((cla & 0x20) != 0 ? ", secure messaging" : "")
            + ((cla & 0x10) != 0 ? ", chaining" : "");
      }
      String sm = switch ((cla >> 2) & 0x03) {
        case 0 -> "no secure messaging";
        case 1 -> "proprietary secure messaging";
        case 2 -> "secure messaging, header not processed";
        default -> "secure messaging, header authenticated";
      };
      return "interindustry, logical channel " + (cla & 0x03) + ", " + sm + ((cla & 0x10) != 0 ? ", chaining" : "");
    }
  }

  @Command(name = "send", description = "Send command APDUs, in order, to the card in a PC/SC reader (shared access, "
      + "GET RESPONSE and 6Cxx followed) and print each response with its status-word meaning. A status word other "
      + "than 9000 does not stop the sequence; a transport failure does.")
  static final class Send implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = "--reader", required = true, paramLabel = "NAME",
        description = "The reader: a name prefix, or a glob with * and ?.")
    String reader;

    @Parameters(index = "0..*", arity = "1..*", paramLabel = "HEX", description = "Command APDUs in hex.")
    List<String> apdus;

    @Override
    public void run() {
      List<CommandApdu> commands = new ArrayList<>();
      for (String a : apdus) {
        commands.add(CommandApdu.parse(CryptoCommand.hex("HEX", a)));   // all checked before the card is touched
      }
      List<Object> exchanges = new ArrayList<>();
      Map<String, Object> json = new LinkedHashMap<>();
      StringBuilder text = new StringBuilder();
      try (PcscCard card = PcscReaders.system().connect(reader, PcscProtocol.ANY, Sharing.SHARED)) {
        json.put("reader", card.reader());
        json.put("protocol", card.protocol());
        json.put("atr", card.atrBytes().toHex());
        text.append("reader ").append(card.reader()).append(" (").append(card.protocol()).append(", ATR ")
            .append(card.atrBytes().toHex()).append(")\n");
        CardChannel channel = card.with(GetResponse.auto());
        for (CommandApdu c : commands) {
          ResponseApdu r = channel.transmit(c);
          Map<String, Object> e = new LinkedHashMap<>();
          e.put("command", c.encode().toHex());
          e.put("response", r.encode().toHex());
          e.put("data", r.data().toHex());
          e.put("sw", r.sw().toHex());
          e.put("meaning", r.sw().meaning());
          exchanges.add(e);
          text.append(">> ").append(c.encode().toHex()).append('\n');
          text.append("<< ").append(r.data().isEmpty() ? "" : r.data().toHex() + " ").append(r.sw().toHex())
              .append("  ").append(r.sw().meaning()).append('\n');
        }
      }
      json.put("exchanges", exchanges);
      output.print(spec.commandLine().getOut(), json, text.toString());
    }
  }
}
