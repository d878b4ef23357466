package dev.perso.benchmarks;

import com.yubico.yubikit.core.smartcard.scp.ScpState;
import com.yubico.yubikit.core.smartcard.scp.SessionKeys;
import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.gp.Diversification;
import dev.perso.gp.GpKeys;
import dev.perso.gp.GpOptions;
import dev.perso.gp.GpSecureChannel;
import dev.perso.gp.Scp02;
import dev.perso.gp.Scp02Variant;
import dev.perso.gp.Scp03;
import dev.perso.gp.card.ScpCard;
import dev.perso.gp.SecurityLevel;
import java.security.Security;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Wrapping one 239-byte STORE DATA (the most a short command carries at C-MAC + C-DEC):
 * <ul>
 *   <li>SCP02 i=15 at C-MAC + C-DEC, against the raw 3DES/DES block operations that wrap needs (30 3DES-CBC
 *       blocks, a 31-block retail MAC, one DES ICV encryption) done with pre-keyed Bouncy Castle engines;</li>
 *   <li>SCP03 S8 at C-MAC + C-DEC + R-MAC, against Yubico yubikit 3.2.0's {@code ScpState} (encrypt, then
 *       MAC the formatted APDU, as its {@code ScpProcessor} does) with the same session keys.</li>
 * </ul>
 * Our wraps go through the public {@link GpSecureChannel#wrap} and the {@code SoftwareBackend}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScpBenchmark {
  private static final String K40 = "404142434445464748494A4B4C4D4E4F";

  private SoftwareBackend crypto;
  private GpSecureChannel scp02;
  private GpSecureChannel scp03;
  private CommandApdu storeData;
  private byte[] data;
  private ScpState yubikit;
  private DESedeEngine tdes;
  private DESEngine desK1;
  private DESEngine desK2Decrypt;
  private final byte[] scratch = new byte[248];

  /** Opens both channels against the card side and keys the baselines. */
  @Setup
  public void setup() {
    Security.addProvider(new BouncyCastleProvider()); // yubikit asks JCA for "AESCMAC"
    crypto = new SoftwareBackend();
    data = new byte[239];
    new Random(1).nextBytes(data);
    storeData = CommandApdu.of(0x80, 0xE2, 0x00, 0x00, Bytes.of(data));

    GpKeys des = GpKeys.diversified(ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KMC, K40), Diversification.EMV_CPS);
    scp02 = Scp02.open(VirtualCard.connect(ScpCard.builder(crypto, des).scp02(Scp02Variant.I_15).build()), des,
        GpOptions.builder(crypto).level(SecurityLevel.C_MAC_C_DEC).scp02Variant(Scp02Variant.I_15).build());

    GpKeys aes = GpKeys.single(ClearKeyRef.fromHex(KeyAlgorithm.AES_128, KeyUsage.KMC, K40));
    scp03 = Scp03.open(VirtualCard.connect(ScpCard.builder(crypto, aes).scp03(0x30).build()), aes,
        GpOptions.builder(crypto).level(SecurityLevel.C_MAC_C_DEC_R_MAC).build());

    byte[] k = Bytes.fromHex(K40).toByteArray();
    SecretKeySpec key = new SecretKeySpec(k, "AES");
    yubikit = new ScpState(new SessionKeys(key, key, key, key), new byte[16]);

    tdes = new DESedeEngine();
    tdes.init(true, new KeyParameter(k));
    desK1 = new DESEngine();
    desK1.init(true, new KeyParameter(k, 0, 8));
    desK2Decrypt = new DESEngine();
    desK2Decrypt.init(false, new KeyParameter(k, 8, 8));
  }

  /** Wipes the sessions. */
  @TearDown
  public void tearDown() {
    scp02.close();
    scp03.close();
    crypto.close();
  }

  /** @return the wrapped command */
  @Benchmark
  public CommandApdu scp02WrapStoreData239CMacCDec() {
    return scp02.wrap(storeData);
  }

  /** @return the raw block operations SCP02 C-MAC + C-DEC needs for the same command */
  @Benchmark
  public byte[] scp02Raw3desBlocksBaseline() {
    byte[] b = scratch;
    byte[] chain = new byte[8];
    // C-DEC: 3DES-CBC over 239 + padding = 240 bytes (30 blocks)
    for (int off = 0; off < 240; off += 8) {
      for (int i = 0; i < 8; i++) {
        chain[i] ^= off + i < 239 ? data[off + i] : (off + i == 239 ? (byte) 0x80 : 0);
      }
      tdes.processBlock(chain, 0, chain, 0);
      System.arraycopy(chain, 0, b, off, 8);
    }
    // ICV encryption: one single-DES block
    byte[] icv = new byte[8];
    desK1.processBlock(icv, 0, icv, 0);
    // retail MAC: single-DES CBC over 5 + 239 + 4 padding = 248 bytes (31 blocks), then D(K2), E(K1)
    byte[] mac = icv;
    for (int off = 0; off < 248; off += 8) {
      for (int i = 0; i < 8; i++) {
        int at = off + i;
        mac[i] ^= at < 5 ? (byte) at : at < 244 ? data[at - 5] : (at == 244 ? (byte) 0x80 : 0);
      }
      desK1.processBlock(mac, 0, mac, 0);
    }
    desK2Decrypt.processBlock(mac, 0, mac, 0);
    desK1.processBlock(mac, 0, mac, 0);
    return mac;
  }

  /** @return the wrapped command */
  @Benchmark
  public CommandApdu scp03WrapStoreData239CMacCDecRMac() {
    return scp03.wrap(storeData);
  }

  /** @return the wrapped command bytes, yubikit's way */
  @Benchmark
  public byte[] scp03YubikitBaseline() {
    byte[] enc = yubikit.encrypt(data);
    byte[] apdu = new byte[5 + enc.length + 8];
    apdu[0] = (byte) 0x84;
    apdu[1] = (byte) 0xE2;
    apdu[4] = (byte) (enc.length + 8);
    System.arraycopy(enc, 0, apdu, 5, enc.length);
    byte[] mac = yubikit.mac(java.util.Arrays.copyOf(apdu, 5 + enc.length));
    System.arraycopy(mac, 0, apdu, 5 + enc.length, 8);
    return apdu;
  }
}
