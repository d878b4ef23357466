package dev.perso.devices.atr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimingAndPpsTest {

  // Source: pcsc-tools@3e819c60 ATR_analysis output quoted in notes §1.2:
  // TA1=13 -> "Fi=372, Di=4, 93 cycles/ETU, 43010 bits/s at 4 MHz"; TA1=18 -> "31 cycles/ETU, 129032 bits/s".
  @ParameterizedTest
  @CsvSource({"13, 93, 43010", "18, 31, 129032", "11, 372, 10752", "94, 64, 62500"})
  void cyclesAndBitRate(String ta1, int cycles, long bps) {
    int v = Integer.parseInt(ta1, 16);
    assertThat(FiDi.cyclesPerEtu(v)).isEqualTo(cycles);
    Atr a = Atr.parse(Bytes.fromHex("3B10" + ta1));
    assertThat(Timing.of(a, 4_000_000).bitsPerSecond()).isEqualTo(bps);
  }

  @Test
  void fiDiTables() {
    // Tables from CCID src/towitoko/atr.c atr_f_table / atr_d_table (notes §1.2).
    int[] fi = {372, 372, 558, 744, 1116, 1488, 1860, 0, 0, 512, 768, 1024, 1536, 2048, 0, 0};
    int[] di = {0, 1, 2, 4, 8, 16, 32, 64, 12, 20, 0, 0, 0, 0, 0, 0};
    for (int i = 0; i < 16; i++) {
      final int idx = i;
      if (fi[i] == 0) {
        assertThatThrownBy(() -> FiDi.fi(idx)).isInstanceOf(ValidationException.class);
      } else {
        assertThat(FiDi.fi(i)).isEqualTo(fi[i]);
      }
      if (di[i] == 0) {
        assertThatThrownBy(() -> FiDi.di(idx)).isInstanceOf(ValidationException.class);
      } else {
        assertThat(FiDi.di(i)).isEqualTo(di[i]);
      }
    }
    assertThat(FiDi.fmaxHz(0xD)).isEqualTo(20_000_000L);
  }

  @Test
  void waitingTimes() {
    // CCID default T=1 parameters BWI 4, CWI 13 with Fi/Di 11 at 4 MHz (ifdhandler.c T1_card_timeout formulas):
    // etu = 93 us; BWT = 11 etu + 16 * 960 * 372 / 4 MHz = 1.023 ms + 1428.48 ms; CWT = (11 + 8192) etu.
    Atr a = Atr.parse(Bytes.fromHex("3B808131FE458B"));
    Timing t = Timing.of(a, FiDi.DEFAULT_TA1, 4_000_000);
    assertThat(t.etu()).isEqualTo(Duration.ofNanos(93_000));
    assertThat(t.bwt()).isEqualTo(Duration.ofNanos(1_023_000 + 1_428_480_000));
    assertThat(t.cwt()).isEqualTo(Duration.ofNanos((11 + 32) * 93_000L));
    // T=0: WWT = 960 * WI(10) * 372 / 4 MHz = 892.8 ms (ATR_analysis "Work waiting time: 960 x WI x (Fi/F)").
    Timing t0 = Timing.of(Atr.parse(Bytes.fromHex("3B021450")), 4_000_000);
    assertThat(t0.wwt()).isEqualTo(Duration.ofNanos(892_800_000));
    assertThat(t0.guardTime()).isEqualTo(Duration.ofNanos(12 * 93_000L));
  }

  // Sources: LudovicRousseau/PCSC issue #71 (Gemalto CT40 capture "FF 11 18 F6"); the others computed per
  // CCID src/towitoko/pps.c PPS_GetPCK, as listed in notes §1.3.
  @ParameterizedTest
  @CsvSource({"T1, 18, FF1118F6", "T1, , FF01FE", "T1, 13, FF1113FD", "T0, 96, FF109679"})
  void ppsRequests(Protocol p, String pps1, String expected) {
    Pps req = pps1 == null ? Pps.request(p) : Pps.request(p, Integer.parseInt(pps1, 16));
    assertThat(req.encode()).isEqualTo(Bytes.fromHex(expected));
    assertThat(Pps.parse(Bytes.fromHex(expected))).isEqualTo(req);
  }

  @Test
  void ppsConfirmation() {
    Pps req = Pps.request(Protocol.T1, 0x18);
    // Echo accepted (PCSC#71 capture).
    assertThat(Pps.confirm(req, Bytes.fromHex("FF1118F6")).fiDi()).isEqualTo(0x18);
    // PPS1 not echoed: the card keeps the default Fi/Di (CCID PPS_Match sets pps1 = 0x11).
    assertThat(Pps.confirm(req, Bytes.fromHex("FF01FE")).fiDi()).isEqualTo(0x11);
    // Different PPS1 -> refused.
    assertThatThrownBy(() -> Pps.confirm(req, Bytes.fromHex("FF1113FD"))).isInstanceOf(TransportException.class);
    // Other protocol -> refused.
    assertThatThrownBy(() -> Pps.confirm(req, Bytes.fromHex("FF00FF"))).isInstanceOf(TransportException.class);
    // Bad PCK -> malformed at the PCK offset.
    assertThatThrownBy(() -> Pps.parse(Bytes.fromHex("FF1118F7")))
        .isInstanceOfSatisfying(MalformedDataException.class, e -> assertThat(e.offset()).isEqualTo(3));
    assertThatThrownBy(() -> Pps.request(Protocol.T1, 0x71)).isInstanceOf(ValidationException.class);
  }
}
