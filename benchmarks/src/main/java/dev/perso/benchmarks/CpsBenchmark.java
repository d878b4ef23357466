package dev.perso.benchmarks;

import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.channel.CardChannel;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.emv.card.VirtualEmvCard;
import dev.perso.core.record.CardRecord;
import dev.perso.emv.cps.ApplicationData;
import dev.perso.emv.cps.ApplicationsSection;
import dev.perso.emv.cps.CardProfile;
import dev.perso.emv.cps.CpsPersonalizer;
import dev.perso.emv.cps.PersoResult;
import dev.perso.iso7813.Name;
import dev.perso.iso7813.StripeRecord;
import dev.perso.emv.prep.CardDataPreparation;
import dev.perso.emv.prep.Cardholder;
import dev.perso.emv.prep.IssuerKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Host-side CPU cost of personalizing one card with software crypto, split the way the target is set:
 * data preparation; the personalizer alone (SELECT, SCP02 i=55 C-MAC+C-DEC, KCV checks, KEK-to-DEK
 * re-encryption, STORE DATA) against replayed card responses; the virtual card's emulation alone
 * (the same commands replayed into a fresh card); and both together in-process.
 *
 * <p>The session is deterministic: a fixed host challenge, and i=55 makes the card challenge
 * pseudo-random from the keys and sequence counter, so every fresh card answers the same bytes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CpsBenchmark {
  private static final String IMK = "0123456789ABCDEFFEDCBA9876543210";
  private static final Bytes HOST_CHALLENGE = Bytes.fromHex("0102030405060708");

  private CryptoBackend crypto;
  private KeyRef kmc;
  private CardProfile profile;
  private CardDataPreparation prep;
  private Cardholder cardholder;
  private CardRecord card;
  private List<ApplicationData> applications;
  private CpsPersonalizer personalizer;
  private List<CommandApdu> commands;
  private List<ResponseApdu> responses;

  private static KeyRef tdes(String hex, KeyUsage usage) {
    return ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, usage, hex);
  }

  /** Prepares one card and records a full session once. */
  @Setup
  public void setup() {
    crypto = new SoftwareBackend();
    kmc = tdes("404142434445464748494A4B4C4D4E4F", KeyUsage.KMC);
    KeyRef kek = tdes("00112233445566778899AABBCCDDEEFF", KeyUsage.KEK);
    profile = CardProfile.example("vsdc-example");
    prep = CardDataPreparation.builder(crypto, new IssuerKeys(tdes(IMK, KeyUsage.IMK_AC), tdes(IMK, KeyUsage.IMK_SMI),
        tdes(IMK, KeyUsage.IMK_SMC), tdes(IMK, KeyUsage.CVK), tdes(IMK, KeyUsage.PVK), kek, "transport-kek")).build();
    cardholder = new Cardholder("0001", StripeRecord.builder().pan("4761739001010010").name(Name.of("Cardmember", "Test"))
        .expiry("2912").serviceCode("201").pvki(1).pin("1234").build(), "01");
    card = prep.prepare(cardholder);
    applications = ApplicationsSection.decode(card);   // decoded once: the benchmarks measure personalization
    personalizer = CpsPersonalizer.builder(crypto).profile(profile, kmc).transportKey("transport-kek", kek)
        .hostChallenge(HOST_CHALLENGE).build();
    commands = new ArrayList<>();
    responses = new ArrayList<>();
    VirtualEmvCard virtual = newCard();
    personalizer.personalize(c -> {
      ResponseApdu r = virtual.process(c);
      commands.add(c);
      responses.add(r);
      return r;
    }, card.id(), applications);
  }

  private VirtualEmvCard newCard() {
    VirtualEmvCard c = VirtualEmvCard.builder(crypto, kmc, profile).kdd(Bytes.fromHex("00000000000000000001")).build();
    c.reset();
    return c;
  }

  /** @return one card's record (DGIs and stripe fields) from a cardholder record */
  @Benchmark
  public CardRecord dataPreparation() {
    return prep.prepare(cardholder);
  }

  /** @return the personalizer's work alone: the card's answers are replayed */
  @Benchmark
  public PersoResult hostSecureChannelAndStoreData() {
    int[] next = {0};
    CardChannel replay = c -> responses.get(next[0]++);
    return personalizer.personalize(replay, card.id(), applications);
  }

  /** @return the virtual card's work alone: the host's commands are replayed into a fresh card */
  @Benchmark
  public VirtualEmvCard cardEmulation() {
    VirtualEmvCard c = newCard();
    for (CommandApdu command : commands) {
      c.process(command);
    }
    return c;
  }

  /** @return host and card together, in-process */
  @Benchmark
  public PersoResult endToEndInProcess() {
    VirtualEmvCard c = newCard();
    return personalizer.personalize(c::process, card.id(), applications);
  }
}
