package dev.perso.emv.prep;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: a library user's module, on the module path, that prepares data, personalizes a virtual card
 * and verifies it with the exported API alone (no perso-samples, no internal package). The consumer's
 * sources are compiled here with the JDK's compiler against the SDK's modules and run in a child JVM, so
 * a missing export or a leaked internal type fails this test.
 */
class ConsumerModuleTest {
  private static final String MAIN = """
      package consumer;

      import dev.perso.core.Bytes;
      import dev.perso.core.card.VirtualCard;
      import dev.perso.core.record.CardRecord;
      import dev.perso.crypto.ClearKeyRef;
      import dev.perso.crypto.CryptoBackend;
      import dev.perso.crypto.KeyAlgorithm;
      import dev.perso.crypto.KeyRef;
      import dev.perso.crypto.KeyUsage;
      import dev.perso.crypto.SoftwareBackend;
      import dev.perso.emv.card.VirtualEmvCard;
      import dev.perso.emv.cps.CardProfile;
      import dev.perso.emv.cps.CardVerifier;
      import dev.perso.emv.cps.CpsPersonalizer;
      import dev.perso.emv.prep.CardDataPreparation;
      import dev.perso.emv.prep.Cardholder;
      import dev.perso.emv.prep.IssuerKeys;
      import dev.perso.iso7813.Name;
      import dev.perso.iso7813.StripeRecord;
      import java.util.List;

      public final class Main {
        public static void main(String[] args) {
          CryptoBackend crypto = new SoftwareBackend();
          KeyRef imk = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_AC, "0123456789ABCDEFFEDCBA9876543210");
          KeyRef kek = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KEK, "00112233445566778899AABBCCDDEEFF");
          KeyRef kmc = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KMC, "404142434445464748494A4B4C4D4E4F");
          IssuerKeys issuer = new IssuerKeys(imk, ((ClearKeyRef) imk).withUsage(KeyUsage.IMK_SMI),
              ((ClearKeyRef) imk).withUsage(KeyUsage.IMK_SMC), ((ClearKeyRef) imk).withUsage(KeyUsage.CVK),
              ((ClearKeyRef) imk).withUsage(KeyUsage.PVK), kek, "transport-kek");
          CardProfile vsdc = CardProfile.example("vsdc-example");
          CardRecord card = CardDataPreparation.builder(crypto, issuer).profile(vsdc).build().prepare(new Cardholder(
              "0001", StripeRecord.builder().pan("4761739001010010").name(Name.of("Lovelace", "Ada")).expiry("2912")
                  .serviceCode("201").pvki(1).pin("1234").build(), "01"));
          VirtualEmvCard chip = VirtualEmvCard.builder(crypto, kmc, vsdc).kdd(Bytes.fromHex("00000000000000000001")).build();
          CpsPersonalizer.builder(crypto).profile(vsdc, kmc).transportKey("transport-kek", kek).build()
              .personalize(VirtualCard.connect(chip), card);
          List<String> checks = CardVerifier.builder(crypto, imk).build().verify(VirtualCard.connect(chip), card);
          System.out.println("OK " + chip.state(Bytes.fromHex("A0000000031010")) + " " + checks.size() + " checks");
        }
      }
      """;

  /**
   * A two-application card: a debit application under the ISD's SCP02 i=55 (TDES KMC) and a credit one in
   * its own Security Domain under SCP03 i=70 (AES KMC), each with its own issuer keys and transport KEK;
   * verified in one call, then with the wrong issuer key for the credit application, which must fail
   * naming it.
   */
  private static final String TWO_APPS = """
      package consumer;

      import dev.perso.core.Bytes;
      import dev.perso.core.PersoException;
      import dev.perso.core.card.VirtualCard;
      import dev.perso.core.record.CardRecord;
      import dev.perso.crypto.ClearKeyRef;
      import dev.perso.crypto.CryptoBackend;
      import dev.perso.crypto.KeyAlgorithm;
      import dev.perso.crypto.KeyRef;
      import dev.perso.crypto.KeyUsage;
      import dev.perso.crypto.SoftwareBackend;
      import dev.perso.emv.card.VirtualEmvCard;
      import dev.perso.emv.cps.CardProfile;
      import dev.perso.emv.cps.CardVerifier;
      import dev.perso.emv.cps.CpsPersonalizer;
      import dev.perso.emv.prep.CardDataPreparation;
      import dev.perso.emv.prep.Cardholder;
      import dev.perso.emv.prep.IssuerKeys;
      import dev.perso.iso7813.Name;
      import dev.perso.iso7813.StripeRecord;
      import java.util.List;

      public final class TwoApps {
        static KeyRef tdes(KeyUsage usage, String hex) {
          return ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, usage, hex);
        }

        static IssuerKeys issuer(String imk, KeyRef kek, String kekName) {
          return new IssuerKeys(tdes(KeyUsage.IMK_AC, imk), tdes(KeyUsage.IMK_SMI, imk), tdes(KeyUsage.IMK_SMC, imk),
              tdes(KeyUsage.CVK, imk), tdes(KeyUsage.PVK, imk), kek, kekName);
        }

        public static void main(String[] args) {
          CryptoBackend crypto = new SoftwareBackend();
          Bytes credit = Bytes.fromHex("A0000000041010");
          String debitImk = "0123456789ABCDEFFEDCBA9876543210";
          String creditImk = "404142434445464748494A4B4C4D4E4F";
          KeyRef debitKek = tdes(KeyUsage.KEK, "00112233445566778899AABBCCDDEEFF");
          KeyRef creditKek = tdes(KeyUsage.KEK, "FFEEDDCCBBAA99887766554433221100");
          KeyRef isdKmc = tdes(KeyUsage.KMC, "404142434445464748494A4B4C4D4E4F");
          KeyRef ssdKmc = ClearKeyRef.fromHex(KeyAlgorithm.AES_128, KeyUsage.KMC, "000102030405060708090A0B0C0D0E0F");
          CardProfile twoApps = CardProfile.example("two-app-example");

          CardRecord card = CardDataPreparation.builder(crypto, issuer(debitImk, debitKek, "debit-kek")).profile(twoApps)
              .application(twoApps, credit, "CREDIT", issuer(creditImk, creditKek, "credit-kek")).build()
              .prepare(new Cardholder("0001", StripeRecord.builder().pan("4761739001010010").name(Name.of("Lovelace", "Ada"))
                  .expiry("2912").serviceCode("201").pvki(1).pin("1234").build(), "01"));
          VirtualEmvCard chip = VirtualEmvCard.builder(crypto, isdKmc, twoApps).applicationKmc(credit, ssdKmc).build();
          CpsPersonalizer.builder(crypto).profile(twoApps, isdKmc).applicationKmc(twoApps, credit, ssdKmc)
              .transportKey("debit-kek", debitKek).transportKey("credit-kek", creditKek).build()
              .personalize(VirtualCard.connect(chip), card);
          List<String> checks = CardVerifier.builder(crypto, tdes(KeyUsage.IMK_AC, debitImk))
              .imkAc(credit, tdes(KeyUsage.IMK_AC, creditImk)).build().verify(VirtualCard.connect(chip), card);
          String wrong;
          try {
            CardVerifier.builder(crypto, tdes(KeyUsage.IMK_AC, debitImk)).build().verify(VirtualCard.connect(chip), card);
            wrong = "verified with the wrong key";
          } catch (PersoException e) {
            wrong = e.getMessage();
          }
          System.out.println("OK " + chip.state(Bytes.fromHex("A0000000031010")) + " " + chip.state(credit) + " "
              + checks.size() + " checks; wrong key: " + wrong);
        }
      }
      """;

  @Test
  void aConsumerModulePreparesPersonalizesAndVerifiesWithTheExportedApiAlone(@TempDir Path dir) throws Exception {
    assertThat(runConsumer(dir, "Main", MAIN)).contains("OK PERSONALIZED");
  }

  @Test
  void aConsumerModulePersonalizesAndVerifiesATwoApplicationCardWithTwoScpsAndIssuerKeys(@TempDir Path dir)
      throws Exception {
    String output = runConsumer(dir, "TwoApps", TWO_APPS);
    assertThat(output).contains("OK PERSONALIZED PERSONALIZED").contains("checks; wrong key: card 0001 A0000000041010 ARQC");
  }

  /** Compiles one consumer class in module {@code consumer} against the SDK's modules, runs it, and returns its output. */
  private static String runConsumer(Path dir, String className, String source) throws Exception {
    String modulePath = modulePath();
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("consumer"));
    Files.writeString(src.resolve("module-info.java"), "module consumer { requires dev.perso.emv; }\n");
    Files.writeString(src.resolve("consumer/" + className + ".java"), source);
    Path out = dir.resolve("out");
    assertThat(compile(modulePath, src, out)).as("the consumer compiles against the exported packages").isZero();

    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--module-path", modulePath + File.pathSeparator + out, "-m", "consumer/consumer." + className)
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    return output;
  }

  @Test
  void theInternalPackagesAreNotVisibleToAConsumer(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("consumer"));
    Files.writeString(src.resolve("module-info.java"), "module consumer { requires dev.perso.emv; }\n");
    Files.writeString(src.resolve("consumer/Leak.java"), "package consumer;\n"
        + "public final class Leak { static String x = dev.perso.core.internal.Hex.encode(new byte[1]); }\n");
    assertThat(compile(modulePath(), src, dir.resolve("out"))).as("dev.perso.core.internal is not exported to consumers")
        .isNotZero();
  }

  /**
   * The card side of a secure channel is exported for a consumer's tests ({@code dev.perso.gp.card}); the key
   * resolution it shares with the host side ({@code dev.perso.gp.internal}) is not.
   */
  @Test
  void aConsumerTestsItsHostCodeAgainstTheExportedCardSideButCannotReachItsInternals(@TempDir Path dir)
      throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("consumer"));
    Files.writeString(src.resolve("module-info.java"), "module consumer { requires dev.perso.emv; }\n");
    Files.writeString(src.resolve("consumer/Main.java"), CARD_SIDE);
    Path out = dir.resolve("out");
    assertThat(compile(modulePath(), src, out)).as("dev.perso.gp.card is exported").isZero();
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--module-path", modulePath() + File.pathSeparator + out, "-m", "consumer/consumer.Main")
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(output).as(output).contains("OK SCP03 i=70 level 33");

    Path leak = dir.resolve("leak");
    Files.createDirectories(leak.resolve("consumer"));
    Files.writeString(leak.resolve("module-info.java"), "module consumer { requires dev.perso.emv; }\n");
    Files.writeString(leak.resolve("consumer/Leak.java"), "package consumer;\n"
        + "public final class Leak { static Class<?> x = dev.perso.gp.internal.StaticKeys.class; }\n");
    assertThat(compile(modulePath(), leak, dir.resolve("leak-out"))).as("dev.perso.gp.internal is not exported")
        .isNotZero();
  }

  private static final String CARD_SIDE = """
      package consumer;

      import dev.perso.core.apdu.CommandApdu;
      import dev.perso.core.apdu.ResponseApdu;
      import dev.perso.core.card.VirtualCard;
      import dev.perso.crypto.ClearKeyRef;
      import dev.perso.crypto.KeyAlgorithm;
      import dev.perso.crypto.KeyUsage;
      import dev.perso.crypto.SoftwareBackend;
      import dev.perso.gp.Diversification;
      import dev.perso.gp.GpKeys;
      import dev.perso.gp.GpOptions;
      import dev.perso.gp.GpSecureChannel;
      import dev.perso.gp.Scp03;
      import dev.perso.gp.SecurityLevel;
      import dev.perso.gp.card.ScpCard;

      public final class Main {
        public static void main(String[] args) {
          SoftwareBackend crypto = new SoftwareBackend();
          GpKeys keys = GpKeys.diversified(ClearKeyRef.fromHex(KeyAlgorithm.AES_128, KeyUsage.KMC,
              "404142434445464748494A4B4C4D4E4F"), Diversification.KDF3);
          ScpCard card = ScpCard.builder(crypto, keys).scp03(0x70).application(c -> ResponseApdu.of(0x9000)).build();
          try (GpSecureChannel s = Scp03.open(VirtualCard.connect(card), keys,
              GpOptions.builder(crypto).level(SecurityLevel.C_MAC_C_DEC_R_MAC_R_ENC).build())) {
            s.transmit(CommandApdu.of(0x80, 0xCA, 0x00, 0x66, dev.perso.core.Bytes.empty(), 256)).requireSuccess("GET DATA");
            System.out.println("OK " + s.version() + " level " + String.format("%02X", card.level().orElseThrow().p1()));
          }
        }
      }
      """;

  /** The JDK's own javac, in a child process (this test's module does not read java.compiler). */
  private static int compile(String modulePath, Path src, Path out) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
        "--module-path", modulePath, "-d", out.toString(), "-proc:none"));
    try (Stream<Path> files = Files.walk(src)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
    }
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("javac did not finish");
    }
    System.out.println(output);
    return p.exitValue();
  }

  /** The SDK's modules and their dependencies, as this test JVM got them (module path or class path). */
  private static String modulePath() {
    String mp = System.getProperty("jdk.module.path", "");
    String cp = System.getProperty("java.class.path", "");
    return Stream.concat(Stream.of(mp.split(File.pathSeparator)), Stream.of(cp.split(File.pathSeparator)))
        .filter(e -> !e.isBlank())
        // test-only jars and this module's test classes stay out: a consumer sees the main artifacts
        .filter(e -> !e.contains("test-classes") && !e.contains("-tests.jar") && !e.contains("junit")
            && !e.contains("jqwik") && !e.contains("assertj") && !e.contains("opentest4j") && !e.contains("apiguardian")
            && !e.contains("surefire"))
        .distinct().collect(Collectors.joining(File.pathSeparator));
  }
}
