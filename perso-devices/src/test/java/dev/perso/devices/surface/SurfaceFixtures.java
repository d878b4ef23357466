package dev.perso.devices.surface;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perso.core.record.CardRecord;
import java.nio.file.Path;

/** Records and layouts for the surface tests (made-up cardholder; Visa test BIN 476173). */
final class SurfaceFixtures {
  private SurfaceFixtures() {}

  static SurfaceLayout debit() {
    return SurfaceLayout.load("debit-example", Path.of("."));
  }

  static CardRecord record(String id, String pan, String name) {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("pan", pan);
    s.put("name", name);
    s.put("expiry", "2912");
    s.put("cvv2", "123");
    return CardRecord.builder(id).section("surface", s).build();
  }

  static CardRecord ada() {
    return record("0001", "4761739000000012", "Ada Lovelace");
  }
}
