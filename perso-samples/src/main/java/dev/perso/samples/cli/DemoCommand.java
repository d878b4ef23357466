package dev.perso.samples.cli;

import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.channel.CardChannel;
import dev.perso.devices.pcsc.PcscCard;
import dev.perso.devices.pcsc.PcscProtocol;
import dev.perso.devices.pcsc.PcscReaders;
import dev.perso.devices.pcsc.Sharing;
import dev.perso.devices.pcsc.VpcdBridge;
import dev.perso.samples.demo.Demo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code perso demo}: runs the end-to-end demo on the embedded default (virtual cards, in-process), or with
 * {@code --pcsc} with each virtual card put into a vsmartcard-vpcd reader and reached through pcscd.
 *
 * <pre>
 * perso demo --cards 10
 * perso demo --memory                    # loyalty cards on SLE4442 memory chips
 * perso demo --pcsc                       # Debian's vpcd: "Virtual PCD 00 00" on 127.0.0.1:35963
 * perso demo --pcsc --reader "Perso Virtual Reader ?? 00" --vpcd 127.0.0.1:40000
 * </pre>
 */
@Command(name = "demo",
    description = "Run a batch of debit cards (stripe, EMV chip, printed, embossed and indented surface) through a "
        + "line of virtual devices (a conveyor with 8 chip stations, printer, embosser and indenter, and a desktop "
        + "machine), journaled, with faults on cue; check every card as if held in hand and print the reconciliation; "
        + "with --out, write a PNG preview of each card. With --pcsc the chips are reached through pcscd and a vsmartcard-vpcd reader.")
final class DemoCommand implements Runnable {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Spec
  CommandSpec spec;

  @Mixin
  OutputOptions output;

  @Option(names = "--cards", defaultValue = "20", paramLabel = "N", description = "How many cards (default 20).")
  int cards;

  @Option(names = "--out", paramLabel = "DIR", description = "Where to write perso-data.jsonl and report.json "
      + "(default: a new temporary directory).")
  Path out;

  @Option(names = "--inject-fault", paramLabel = "CARD", defaultValue = "0",
      description = "Make record CARD's first card answer 6A84 to STORE DATA block 1: that card is rejected and the "
          + "record remade on a new card.")
  int fault;

  @Option(names = "--no-faults", description = "No device faults on cue (by default the magnetic module reads back "
      + "a corrupted track on its 5th card and chip station 3 loses contact on its 2nd card).")
  boolean noFaults;

  @Option(names = "--trace", description = "Print card 1's APDUs (sensitive data masked).")
  boolean trace;

  @Option(names = "--pcsc", description = "Reach each virtual card through pcscd: it is inserted into a vpcd reader "
      + "slot (--vpcd) and personalized through that PC/SC reader (--reader). Needs pcscd and vsmartcard-vpcd.")
  boolean pcsc;

  @Option(names = "--msr", description = "The conveyor's magnetic module is an MSR605 emulator reached through a socat "
      + "pty pair by address (msr605:<pty>, 9600 baud) instead of a virtual encoder. Needs socat.")
  boolean msr;

  @Option(names = "--reader", paramLabel = "NAME", defaultValue = "Virtual PCD ?? 00",
      description = "With --pcsc: the vpcd reader (prefix or glob; default \"Virtual PCD ?? 00\", Debian's vpcd slot 0).")
  String reader;

  @Option(names = "--vpcd", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:35963",
      description = "With --pcsc: the vpcd slot that --reader shows (default 127.0.0.1:35963, Debian's vpcd slot 0).")
  String vpcd;

  @Option(names = "--crypto", defaultValue = "software", paramLabel = "software|payshield://HOST:PORT",
      description = "Where the line's crypto runs: software (default) or a payShield HSM (the demo keys are imported "
          + "under its LMK first; secure channel session keys are derived inside it).")
  String crypto;

  @Option(names = "--memory", description = "Run loyalty cards on SLE4442 memory chips (card type loyalty-memory: "
      + "an image, bytes 0..31 protected, the transport code changed to a per-card code) instead of debit cards.")
  boolean memory;

  @Option(names = "--profile", paramLabel = "FILE", description = "A chip card profile (JSON, SCP02) the cards are "
      + "personalized with instead of the shipped vsdc-example, as cps run and cps script take it.")
  Path profile;

  @Override
  public void run() {
    Demo.Builder b = Demo.builder().cards(cards).out(out).injectFault(fault).trace(trace).faults(!noFaults)
        .msr(msr)
        .memory(memory)
        .profile(profile);
    // vsdc-example's SCP02 i=55 encrypts the ICV with half the C-MAC session key, which no host command
    // offers: the HSM derives the session keys and hands them to the host unless the URI says otherwise
    String uri = crypto.startsWith("payshield://") && !crypto.contains("sessionKeys=")
        ? crypto + (crypto.contains("?") ? "&" : "?") + "sessionKeys=host" : crypto;
    try (dev.perso.crypto.CryptoBackend backend = crypto.equals("software") ? null : CryptoBackends.open(uri)) {
      if (backend != null) {
        b.hsm(backend);
      }
      run(b);
    }
  }

  private void run(Demo.Builder b) {
    if (pcsc) {
      String name = checkPcsc();
      b.connector("pcscd + vpcd (" + name + ")", viaVpcd(name));
    }
    Demo.Result result = b.build().run(output.json ? null : spec.commandLine().getOut());
    output.print(spec.commandLine().getOut(), result, result.summary());
  }

  private String host() {
    int colon = vpcd.lastIndexOf(':');
    if (colon < 1) {
      throw new ValidationException("--vpcd", "must be HOST:PORT, was " + vpcd);
    }
    return vpcd.substring(0, colon);
  }

  private int port() {
    try {
      int p = Integer.parseInt(vpcd.substring(vpcd.lastIndexOf(':') + 1));
      if (p < 1 || p > 65535) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw new ValidationException("--vpcd", "the port must be 1..65535, was " + vpcd);
    }
  }

  /** Fails in one clear line, before any data is prepared, when pcscd, the reader or vpcd is not there. */
  private String checkPcsc() {
    String host = host();
    int port = port();
    String name;
    try {
      PcscReaders readers = PcscReaders.system();
      name = readers.find(reader);
      if (readers.list().stream().anyMatch(r -> r.name().equals(name) && r.cardPresent())) {
        throw new TransportException("PC/SC: " + name + " already holds a card; the demo needs an empty vpcd slot");
      }
    } catch (TransportException e) {
      throw new TransportException("--pcsc needs pcscd with a vsmartcard-vpcd reader (apt-get install pcscd "
          + "vsmartcard-vpcd): " + e.getMessage(), e);
    }
    // A bare connect, answered with nothing, is never a card for vpcd: no ATR, so pcscd sees no insertion.
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress(host, port), 2000);
    } catch (IOException e) {
      throw new TransportException("--pcsc: nothing listens on vpcd " + host + ":" + port + " (is pcscd running with "
          + "a vsmartcard-vpcd reader on this port? reader.conf CHANNELID is slot 00's port)", e);
    }
    return name;
  }

  /** Inserts each card into the vpcd slot and connects to it through pcscd; closing the channel removes it. */
  private Function<VirtualCard, CardChannel> viaVpcd(String name) {
    String host = host();
    int port = port();
    PcscReaders readers = PcscReaders.system();
    return card -> {
      VpcdBridge slot = VpcdBridge.insert(card, host, port, WAIT);
      try {
        if (!readers.waitForCard(name, WAIT)) {
          throw new TransportException("the virtual card did not appear in " + name + " within " + WAIT.toSeconds()
              + " s; is " + host + ":" + port + " the vpcd slot of that reader?");
        }
        PcscCard pc = readers.connect(name, PcscProtocol.ANY, Sharing.EXCLUSIVE);
        return new CardChannel() {
          @Override
          public ResponseApdu transmit(CommandApdu command) {
            return pc.transmit(command);
          }

          @Override
          public void close() {
            try {
              pc.close();
            } finally {
              slot.close();
              readers.waitForRemoval(name, WAIT);
            }
          }
        };
      } catch (RuntimeException e) {
        slot.close();
        throw e;
      }
    };
  }
}
