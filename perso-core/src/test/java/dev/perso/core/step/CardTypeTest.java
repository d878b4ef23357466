package dev.perso.core.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perso.core.ValidationException;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.record.CardRecord;
import dev.perso.core.testing.TestSteps;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CardTypeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static PersoStep step(String name, String section, DeviceRole<?> role) {
    return TestSteps.step(name, role, section, ctx -> { });
  }

  @Test
  void aRecordWithASectionNoStepClaimsIsRejectedNamingTheSection() {
    CardType t = CardType.builder("chip-only").step(step("chip", "applications", DeviceRole.CHIP_STATION)).build();
    CardRecord r = CardRecord.builder("0001").location("batch.jsonl:4")
        .section("applications", JSON.createArrayNode()).section("loyalty", JSON.createObjectNode()).build();
    assertThatThrownBy(() -> t.validate(r)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("batch.jsonl:4 card 0001 loyalty").hasMessageContaining("not used by card type chip-only");
  }

  @Test
  void aMissingSectionIsRejectedByTheStepThatNeedsIt() {
    CardType t = CardType.builder("debit").step(step("stripe", "magstripe", DeviceRole.MAG_STRIPE_ENCODER))
        .step(step("chip", "applications", DeviceRole.CHIP_STATION)).build();
    CardRecord r = CardRecord.builder("0001").location("b:1").section("magstripe", JSON.createObjectNode()).build();
    assertThatThrownBy(() -> t.validate(r)).hasMessageContaining("b:1 card 0001 applications");
    assertThat(t.roles()).containsExactly(DeviceRole.MAG_STRIPE_ENCODER, DeviceRole.CHIP_STATION);
  }

  @Test
  void stepsMustHaveDistinctNamesAndACardTypeAtLeastOne() {
    assertThatThrownBy(() -> CardType.builder("x").step(step("a", "s", DeviceRole.PRINTER))
        .step(step("a", "t", DeviceRole.EMBOSSER))).hasMessageContaining("two steps are named a");
    assertThatThrownBy(() -> CardType.builder("x").build()).hasMessageContaining("has no step");
  }

  @Test
  void cardTypeFilesNameTheFileAndJsonPathOfEveryMistake() {
    StepEnvironment env = StepEnvironment.builder(Path.of(".")).build();
    assertThatThrownBy(() -> CardTypes.parse("{\"name\":\"t\",\"steps\":[],\"extra\":1}", "t.json", env))
        .hasMessageContaining("t.json $.extra").hasMessageContaining("unknown member");
    assertThatThrownBy(() -> CardTypes.parse("{\"name\":\"t\",\"steps\":[{\"type\":\"nope\"}]}", "t.json", env))
        .hasMessageContaining("t.json $.steps[0].type").hasMessageContaining("unknown step type 'nope'");
    assertThatThrownBy(() -> CardTypes.parse("{\"name\":\"t\"", "t.json", env))
        .hasMessageContaining("t.json").hasMessageContaining("not valid JSON");
    JsonNode cfg = JSON.createObjectNode().put("type", "x").put("keyVerison", 1);
    assertThatThrownBy(() -> CardTypes.requireOnly(cfg, "t.json $.steps[0]", Set.of("keyVersion")))
        .hasMessageContaining("t.json $.steps[0].keyVerison");
  }
}
