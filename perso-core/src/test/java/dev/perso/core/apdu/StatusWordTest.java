package dev.perso.core.apdu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Status word meanings per ISO/IEC 7816-4:2013 §5.1.3 tables 5-6 (and GP Card Spec 2.3 §11 for 9484). */
class StatusWordTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      9000 | NORMAL          | success
      6110 | NORMAL          | 16 response bytes still available; send GET RESPONSE
      6283 | WARNING         | warning: selected file or application invalidated (blocked)
      63C2 | WARNING         | verification failed, 2 retries left
      63C1 | WARNING         | verification failed, 1 retry left
      6581 | EXECUTION_ERROR | memory failure
      6700 | CHECKING_ERROR  | wrong length
      6982 | CHECKING_ERROR  | security status not satisfied (secure channel or authentication missing)
      6A82 | CHECKING_ERROR  | file or application not found
      6A88 | CHECKING_ERROR  | referenced data not found
      6C10 | CHECKING_ERROR  | wrong Le; exact length is 16
      6C00 | CHECKING_ERROR  | wrong Le; exact length is 256
      9484 | PROPRIETARY     | algorithm not supported (GP)
      """)
  void meanings(String hex, StatusWord.Category category, String meaning) {
    StatusWord sw = StatusWord.of(Integer.parseInt(hex, 16));
    assertThat(sw.category()).isEqualTo(category);
    assertThat(sw.meaning()).isEqualTo(meaning);
    assertThat(sw.toHex()).isEqualTo(hex);
    assertThat(sw.toString()).isEqualTo(hex + " (" + meaning + ")");
    assertThat(StatusWord.of(sw.sw1(), sw.sw2())).isEqualTo(sw);
  }

  @Test
  void successIsShared() {
    assertThat(StatusWord.of(0x90, 0x00)).isSameAs(StatusWord.SUCCESS);
    assertThat(StatusWord.SUCCESS.isSuccess()).isTrue();
    assertThat(StatusWord.of(0x6A82).isSuccess()).isFalse();
  }

  @Test
  void rejectsOutOfRange() {
    assertThatThrownBy(() -> StatusWord.of(0x10000)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> StatusWord.of(0x100, 0)).isInstanceOf(ValidationException.class);
  }
}
