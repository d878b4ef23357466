package dev.perso.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.PersoException;
import dev.perso.core.SecureChannelException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.channel.CardChannel;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.gp.card.ScpCard;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Host ⇄ card over random keys, protocols, variants, levels, policies and APDUs: every command arrives
 * intact, every response comes back intact, and one altered byte is always detected.
 */
class HostCardProperties {
  static final CryptoBackend SW = new SoftwareBackend();
  static final List<SecurityLevel> SCP02_LEVELS = List.of(SecurityLevel.NONE, SecurityLevel.C_MAC,
      SecurityLevel.C_MAC_C_DEC, SecurityLevel.R_MAC, SecurityLevel.C_MAC_R_MAC, SecurityLevel.C_MAC_C_DEC_R_MAC);
  static final List<SecurityLevel> SCP03_LEVELS = List.of(SecurityLevel.NONE, SecurityLevel.C_MAC,
      SecurityLevel.C_MAC_C_DEC, SecurityLevel.C_MAC_R_MAC, SecurityLevel.C_MAC_C_DEC_R_MAC,
      SecurityLevel.C_MAC_C_DEC_R_MAC_R_ENC);

  /** One random session configuration. */
  record Setup(int scp, byte[] key, int i, SecurityLevel level, GpOptions.EmptyDataEncryption empty,
      GpOptions.CounterIncrement counter, long seed) {
    GpKeys keys() {
      KeyAlgorithm alg = scp == 2 ? KeyAlgorithm.TDES_2KEY : KeyAlgorithm.aesForLength(key.length);
      return GpKeys.single(ClearKeyRef.of(alg, KeyUsage.KMC, Bytes.of(key)));
    }

    ScpCard card(List<CommandApdu> received, Random rnd) {
      ScpCard.Builder b = ScpCard.builder(SW, keys()).random(new Random(seed)).emptyDataEncryption(empty)
          .counterIncrement(counter).application(c -> {
            received.add(c);
            byte[] r = new byte[rnd.nextInt(40)];
            rnd.nextBytes(r);
            return ResponseApdu.of(OwnedBytes.wrap(r), rnd.nextInt(4) == 0 ? 0x6A80 : 0x9000);
          });
      return scp == 2 ? b.scp02(Scp02Variant.of(i)).build() : b.scp03(i).build();
    }

    GpSecureChannel open(CardChannel ch) {
      GpOptions o = GpOptions.builder(SW).level(level).emptyDataEncryption(empty).counterIncrement(counter)
          .scp03Mode((i & 1) != 0 && scp == 3 ? GpOptions.Scp03Mode.S16 : GpOptions.Scp03Mode.S8)
          .scp02Variant(scp == 2 ? Scp02Variant.of(i) : Scp02Variant.I_15).build();
      return scp == 2 ? Scp02.open(ch, keys(), o) : Scp03.open(ch, keys(), o);
    }
  }

  @Provide
  Arbitrary<Setup> setups() {
    Arbitrary<Setup> scp02 = Combinators.combine(
        Arbitraries.bytes().array(byte[].class).ofSize(16),
        Arbitraries.of(Scp02Variant.values()).map(Scp02Variant::i),
        Arbitraries.of(SCP02_LEVELS),
        Arbitraries.of(GpOptions.EmptyDataEncryption.values()),
        Arbitraries.longs())
        .as((k, i, l, e, s) -> new Setup(2, k, i, l, e, GpOptions.CounterIncrement.EVERY_COMMAND, s));
    Arbitrary<Setup> scp03 = Combinators.combine(
        Arbitraries.of(16, 24, 32).flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n)),
        Arbitraries.of(0x00, 0x10, 0x20, 0x30, 0x60, 0x70).flatMap(i -> Arbitraries.of(i, i | 1)),
        Arbitraries.of(SCP03_LEVELS),
        Arbitraries.of(GpOptions.EmptyDataEncryption.values()),
        Arbitraries.longs())
        .as((k, i, l, e, s) -> {
          SecurityLevel level = (i & 0x60) == 0x60 ? l : (i & 0x20) != 0 ? (l.rEncryption() ? SecurityLevel.C_MAC_C_DEC_R_MAC : l)
              : (l.rMac() ? SecurityLevel.C_MAC_C_DEC : l);
          GpOptions.CounterIncrement c = e == GpOptions.EmptyDataEncryption.SKIP && (s & 1) == 0
              ? GpOptions.CounterIncrement.ONLY_WITH_DATA : GpOptions.CounterIncrement.EVERY_COMMAND;
          return new Setup(3, k, i, level, e, c, s);
        });
    return Arbitraries.oneOf(scp02, scp03);
  }

  @Provide
  Arbitrary<List<CommandApdu>> apdus() {
    Arbitrary<CommandApdu> one = Combinators.combine(
        Arbitraries.of(0x80, 0x81, 0x82, 0x83),
        Arbitraries.integers().between(0, 255).filter(ins -> ins != 0x50 && ins != 0x82 && ins != 0xA4
            && (ins & 0xF0) != 0x60 && (ins & 0xF0) != 0x90),
        Arbitraries.integers().between(0, 255),
        Arbitraries.integers().between(0, 255),
        Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(223),
        Arbitraries.of(0, 0, 256, 1, 100))
        .as((cla, ins, p1, p2, data, ne) -> new CommandApdu(cla, ins, p1, p2, Bytes.of(data), ne));
    return one.list().ofMinSize(1).ofMaxSize(6);
  }

  @Property(tries = 300)
  void everyCommandAndResponseArrivesIntact(@ForAll("setups") Setup setup, @ForAll("apdus") List<CommandApdu> apdus,
      @ForAll long seed) {
    List<CommandApdu> received = new ArrayList<>();
    Random rnd = new Random(seed);
    Random mirror = new Random(seed);
    ScpCard card = setup.card(received, rnd);
    try (GpSecureChannel secure = setup.open(card::process)) {
      for (CommandApdu c : apdus) {
        ResponseApdu r = secure.transmit(c);
        // replay what the application answered
        byte[] expected = new byte[mirror.nextInt(40)];
        mirror.nextBytes(expected);
        int sw = mirror.nextInt(4) == 0 ? 0x6A80 : 0x9000;
        assertThat(received.get(received.size() - 1)).isEqualTo(c);
        assertThat(r.sw().value()).isEqualTo(sw);
        assertThat(r.data()).isEqualTo(OwnedBytes.wrap(expected));
      }
    }
    assertThat(received).hasSize(apdus.size());
  }

  @Property(tries = 300)
  void oneAlteredByteIsDetected(@ForAll("setups") Setup setup, @ForAll("apdus") List<CommandApdu> apdus,
      @ForAll long seed) {
    if (!setup.level().cMac() && !setup.level().rMac()) {
      return; // level 00 protects nothing after authentication
    }
    List<CommandApdu> received = new ArrayList<>();
    Random rnd = new Random(seed);
    ScpCard card = setup.card(received, rnd);
    int target = Math.floorMod(seed, apdus.size());
    boolean tamperCommand = setup.level().cMac() && (!setup.level().rMac() || (seed & 2) == 0);
    int[] count = {-1};
    CardChannel wire = c -> {
      count[0]++;
      if (count[0] < 2 + target) {
        return card.process(c);
      }
      if (count[0] == 2 + target && tamperCommand) {
        byte[] raw = c.encode().toByteArray();
        int at = raw.length > 5 ? 5 + Math.floorMod(seed >> 3, raw.length - 5 - (c.ne() > 0 ? 1 : 0)) : 2;
        if (at < 2) {
          at = 2;
        }
        raw[at] ^= (byte) (1 << Math.floorMod(seed >> 11, 8));
        return card.process(CommandApdu.parse(OwnedBytes.wrap(raw)));
      }
      ResponseApdu r = card.process(c);
      if (count[0] == 2 + target && !r.data().isEmpty()) {
        byte[] d = r.data().toByteArray();
        d[Math.floorMod(seed >> 3, d.length)] ^= 0x01;
        return new ResponseApdu(OwnedBytes.wrap(d), r.sw());
      }
      return r;
    };
    try (GpSecureChannel secure = setup.open(wire)) {
      for (int n = 0; n < target; n++) {
        secure.transmit(apdus.get(n));
      }
      CommandApdu c = apdus.get(target);
      if (tamperCommand) {
        ResponseApdu r;
        try {
          r = secure.transmit(c);
        } catch (SecureChannelException e) {
          return; // the card's 6982 carried no R-MAC: the host noticed too
        }
        assertThat(r.sw().value()).isEqualTo(0x6982);
        assertThat(received).hasSize(target);
      } else {
        ResponseApdu r;
        try {
          r = secure.transmit(c);
        } catch (SecureChannelException e) {
          assertThat(e).hasMessageContaining("R-MAC");
          return;
        }
        // only an unprotected (error) response can pass: SCP03 sends no R-MAC with an error status
        assertThat(setup.scp()).isEqualTo(3);
        assertThat(r.sw().value()).isEqualTo(0x6A80);
      }
    }
  }

  @Property(tries = 500)
  void initializeUpdateResponseParserOnlyThrowsTypedExceptions(@ForAll("iuBytes") byte[] raw) {
    try {
      InitializeUpdateResponse iu = InitializeUpdateResponse.parse(Bytes.of(raw));
      assertThat(iu.kdd().length()).isEqualTo(10);
      // encode() is the inverse of parse(): the data back, without any status word.
      assertThat(InitializeUpdateResponse.parse(iu.encode())).isEqualTo(iu);
      assertThat(Bytes.of(raw).startsWith(iu.encode())).isTrue();
    } catch (PersoException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<byte[]> iuBytes() {
    Arbitrary<byte[]> any = Arbitraries.bytes().array(byte[].class).ofMaxSize(60);
    Arbitrary<byte[]> shaped = Combinators.combine(Arbitraries.of(28, 29, 30, 31, 32, 45, 48, 50), Arbitraries.of(2, 3),
        Arbitraries.integers().between(0, 255), Arbitraries.bytes().array(byte[].class).ofSize(60))
        .as((n, scp, i, fill) -> {
          byte[] b = java.util.Arrays.copyOf(fill, n);
          b[11] = (byte) (int) scp;
          b[12] = (byte) (int) i;
          return b;
        });
    return Arbitraries.oneOf(any, shaped);
  }

  @Property(tries = 300)
  void templateNotationOnlyThrowsTypedExceptions(@ForAll("templates") String notation) {
    try {
      Diversification d = Diversification.template("t", notation);
      assertThat(d.name()).isEqualTo("t");
    } catch (PersoException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<String> templates() {
    Arbitrary<String> token = Arbitraries.oneOf(Arbitraries.of("$0", "$9", "$k", "$_", "F0", "0x0F", "$", "$x", "0x", "GG", ""),
        Arbitraries.strings().ofMaxLength(4));
    return token.list().ofMaxSize(34).map(l -> String.join(" ", l));
  }

  @Property(tries = 50)
  void aWrongKeyNeverReachesExternalAuthenticate(@ForAll("setups") Setup setup, @ForAll byte flip) {
    List<CommandApdu> sent = new ArrayList<>();
    ScpCard card = setup.card(new ArrayList<>(), new Random(1));
    byte[] wrong = setup.key().clone();
    wrong[0] ^= (byte) (flip == 0 ? 1 : flip);
    wrong[0] ^= (byte) (setup.scp() == 2 ? (wrong[0] ^ setup.key()[0]) & 0x01 : 0); // keep it different beyond parity
    if (setup.scp() == 2 && ((wrong[0] ^ setup.key()[0]) & 0xFE) == 0) {
      wrong[1] ^= 0x10;
    }
    Setup other = new Setup(setup.scp(), wrong, setup.i(), setup.level(), setup.empty(), setup.counter(), setup.seed());
    assertThatThrownBy(() -> other.open(c -> {
      sent.add(c);
      return card.process(c);
    })).isInstanceOf(SecureChannelException.class).hasMessageContaining("card cryptogram invalid");
    assertThat(sent).hasSize(1);
  }
}
