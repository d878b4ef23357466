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

  private static CardType debitWithStages() {
    return CardType.builder("debit").step(step("emv-cps", "applications", DeviceRole.CHIP_STATION))
        .step(step("magstripe", "magstripe", DeviceRole.MAG_STRIPE_ENCODER))
        .step(step("print", "surface", DeviceRole.PRINTER))
        .stage("chip", "emv-cps").stage("finish", "magstripe", "print").build();
  }

  @Test
  void aCardTypeWithoutDeclaredStagesIsOneStageWithEveryStep() {
    CardType t = CardType.builder("debit").step(step("a", "s", DeviceRole.PRINTER))
        .step(step("b", "t", DeviceRole.EMBOSSER)).build();
    assertThat(t.hasStages()).isFalse();
    assertThat(t.stages()).containsExactly(new Stage("", java.util.List.of("a", "b")));
    assertThat(t.stage("")).isSameAs(t);
    assertThat(t.stageName()).isEmpty();
    assertThat(t.previousStage()).isEmpty();
  }

  @Test
  void aStageRunsOnlyItsStepsAndRolesButChecksRecordsAgainstTheWholeCardType() {
    CardType t = debitWithStages();
    assertThat(t.hasStages()).isTrue();
    CardType finish = t.stage("finish");
    assertThat(finish.stageName()).isEqualTo("finish");
    assertThat(finish.name()).isEqualTo("debit");
    assertThat(finish.steps()).extracting(PersoStep::name).containsExactly("magstripe", "print");
    assertThat(finish.roles()).containsExactly(DeviceRole.MAG_STRIPE_ENCODER, DeviceRole.PRINTER);
    assertThat(finish.previousStage()).contains(new Stage("chip", java.util.List.of("emv-cps")));
    assertThat(t.stage("chip").previousStage()).isEmpty();
    assertThat(finish.stages()).isEqualTo(t.stages());
    // a record with every section is valid for every stage (one input feeds them all)
    CardRecord r = CardRecord.builder("0001").location("b:1").section("applications", JSON.createArrayNode())
        .section("magstripe", JSON.createObjectNode()).section("surface", JSON.createObjectNode()).build();
    finish.validate(r);
    assertThat(finish.toString()).contains("stage finish");
    assertThatThrownBy(() -> t.stage("emboss")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("no stage 'emboss'").hasMessageContaining("[chip, finish]");
  }

  @Test
  void declaredStagesCoverEveryStepOnceInTheCardTypesOrder() {
    CardType.Builder b = CardType.builder("debit").step(step("a", "s", DeviceRole.CHIP_STATION))
        .step(step("b", "t", DeviceRole.PRINTER)).step(step("c", "u", DeviceRole.EMBOSSER));
    assertThatThrownBy(() -> CardType.builder("x").step(step("a", "s", DeviceRole.PRINTER)).stage("one", "a")
        .stage("one", "a")).hasMessageContaining("two stages are named one");
    assertThatThrownBy(() -> CardType.builder("x").step(step("a", "s", DeviceRole.PRINTER)).stage("one"))
        .hasMessageContaining("at least one step");
    assertThatThrownBy(() -> CardType.builder("x").step(step("a", "s", DeviceRole.PRINTER)).stage("o ne", "a"))
        .hasMessageContaining("stage name");
    assertThatThrownBy(() -> CardType.builder("x").step(step("a", "s", DeviceRole.PRINTER)).stage("one", "z").build())
        .hasMessageContaining("stages.one").hasMessageContaining("no step 'z'");
    assertThatThrownBy(() -> CardType.builder("x").step(step("a", "s", DeviceRole.PRINTER)).stage("one", "a")
        .stage("two", "a").build()).hasMessageContaining("step a is in two stages");
    assertThatThrownBy(() -> b.stage("one", "a").build()).hasMessageContaining("steps [b, c] are in no stage");
    assertThatThrownBy(() -> CardType.builder("y").step(step("a", "s", DeviceRole.CHIP_STATION))
        .step(step("b", "t", DeviceRole.PRINTER)).stage("one", "b").stage("two", "a").build())
        .hasMessageContaining("stages.two").hasMessageContaining("comes before");
  }

  private static final StepProvider TEST_PROVIDER = new StepProvider() {
    @Override
    public String type() {
      return "test";
    }

    @Override
    public PersoStep create(JsonNode config, String at, StepEnvironment env) {
      return step(config.get("name").asText(), config.get("name").asText(), DeviceRole.PRINTER);
    }
  };

  private static CardType parseWithTestSteps(String stages) {
    String json = "{\"name\":\"t\",\"steps\":[{\"type\":\"test\",\"name\":\"chip\"},"
        + "{\"type\":\"test\",\"name\":\"stripe\"}]" + stages + "}";
    return CardTypes.parse(json, "t.json", StepEnvironment.builder(Path.of(".")).build(),
        java.util.List.of(TEST_PROVIDER));
  }

  @Test
  void cardTypeFilesDeclareStagesStrictlyNamingTheFileAndJsonPath() {
    CardType t = parseWithTestSteps(",\"stages\":[{\"name\":\"chip\",\"steps\":[\"chip\"]},"
        + "{\"name\":\"finish\",\"steps\":[\"stripe\"]}]");
    assertThat(t.stages()).extracting(Stage::name).containsExactly("chip", "finish");
    assertThat(t.stage("finish").steps()).extracting(PersoStep::name).containsExactly("stripe");
    assertThat(parseWithTestSteps("").hasStages()).isFalse();
    assertThatThrownBy(() -> parseWithTestSteps(",\"stages\":{}")).hasMessageContaining("t.json $.stages")
        .hasMessageContaining("non-empty array");
    assertThatThrownBy(() -> parseWithTestSteps(",\"stages\":[{\"name\":\"chip\",\"steps\":[\"chip\"],\"x\":1}]"))
        .hasMessageContaining("t.json $.stages[0].x").hasMessageContaining("unknown member");
    assertThatThrownBy(() -> parseWithTestSteps(",\"stages\":[{\"steps\":[\"chip\"]}]"))
        .hasMessageContaining("t.json $.stages[0].name");
    assertThatThrownBy(() -> parseWithTestSteps(",\"stages\":[{\"name\":\"chip\",\"steps\":[1]}]"))
        .hasMessageContaining("t.json $.stages[0].steps[0]");
    assertThatThrownBy(() -> parseWithTestSteps(",\"stages\":[{\"name\":\"chip\",\"steps\":[\"chip\"]}]"))
        .hasMessageContaining("t.json $.stages").hasMessageContaining("[stripe] are in no stage");
    assertThatThrownBy(() -> parseWithTestSteps(",\"stages\":[{\"name\":\"a\",\"steps\":[\"chip\"]},"
        + "{\"name\":\"a\",\"steps\":[\"stripe\"]}]")).hasMessageContaining("t.json $.stages[1]")
        .hasMessageContaining("two stages are named a");
  }
}
