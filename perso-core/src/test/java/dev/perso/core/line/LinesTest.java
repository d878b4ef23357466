package dev.perso.core.line;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.ValidationException;
import dev.perso.core.device.DeviceContext;
import org.junit.jupiter.api.Test;

class LinesTest {
  private final DeviceContext ctx = DeviceContext.builder().clock(LineClock.virtual()).build();

  @Test
  void mistakesAreNamedWithFileAndJsonPath() {
    assertThatThrownBy(() -> Lines.parse("{\"name\":\"l\",\"machines\":[],\"x\":1}", "l.json", ctx))
        .isInstanceOf(ValidationException.class).hasMessageContaining("l.json $.x");
    assertThatThrownBy(() -> Lines.parse("{\"name\":\"l\",\"machines\":[]}", "l.json", ctx))
        .hasMessageContaining("l.json $.machines").hasMessageContaining("non-empty");
    assertThatThrownBy(() -> Lines.parse("{\"name\":\"l\",\"machines\":[{\"id\":\"m\",\"kind\":\"robot\"}]}",
        "l.json", ctx)).hasMessageContaining("l.json $.machines[0].kind").hasMessageContaining("robot");
    assertThatThrownBy(() -> Lines.parse("{\"name\":\"l\",\"retry\":{\"remakes\":-1},\"machines\":[]}",
        "l.json", ctx)).hasMessageContaining("l.json $.retry.remakes");
  }

  @Test
  void anUnknownDeviceSchemeIsNamedWithItsPlace() {
    assertThatThrownBy(() -> Lines.parse("{\"name\":\"l\",\"machines\":[{\"id\":\"m\",\"kind\":\"conveyor\","
        + "\"transport\":\"nosuch:thing\",\"modules\":[{\"name\":\"a\",\"device\":\"nosuch:x\"}]}]}", "l.json", ctx))
        .hasMessageContaining("l.json $.machines[0].transport").hasMessageContaining("no driver for 'nosuch:'");
  }

  @Test
  void severalStationsNeedTheStationNumberInTheirAddress() {
    assertThatThrownBy(() -> Lines.parse("{\"name\":\"l\",\"machines\":[{\"id\":\"m\",\"kind\":\"conveyor\","
        + "\"transport\":\"nosuch:t\",\"modules\":[{\"name\":\"chip\",\"stations\":4,\"device\":\"x:y\"}]}]}",
        "l.json", ctx)).hasMessageContaining("l.json $.machines[0]");
  }
}
