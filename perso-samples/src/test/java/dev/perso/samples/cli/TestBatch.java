package dev.perso.samples.cli;

import dev.perso.core.record.JsonLinesRecords;
import dev.perso.core.step.CardType;
import dev.perso.core.step.StepEnvironment;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyLookup;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.emv.cps.ExampleCardTypes;
import dev.perso.emv.prep.CardDataPreparation;
import dev.perso.samples.prep.DemoCardholders;
import dev.perso.samples.prep.DemoKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** A batch of {@code debit-example} records prepared with the demo keys, as {@code perso demo} writes them. */
final class TestBatch {
  private TestBatch() {}

  static Path write(Path file, int n) throws IOException {
    try (CryptoBackend crypto = new SoftwareBackend()) {
      StepEnvironment env = StepEnvironment.builder(Path.of(".")).service(CryptoBackend.class, crypto)
          .service(KeyLookup.class, DemoKeys.lookup()).build();
      CardType type = ExampleCardTypes.load("debit-example", env);
      CardDataPreparation prep = CardDataPreparation.builder(crypto, DemoKeys.lookup().issuerKeys())
          .sections(type.sections()).build();
      Random random = new Random(7813);
      try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
        for (int i = 1; i <= n; i++) {
          w.println(JsonLinesRecords.toJsonLine(prep.prepare(DemoCardholders.cardholder(i, random))));
        }
      }
    }
    return file;
  }
}
