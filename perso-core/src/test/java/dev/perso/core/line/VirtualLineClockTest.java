package dev.perso.core.line;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualLineClockTest {

  @Test
  void sleepingThreadsAdvanceTimeToTheEarliestWakeUpOnly() {
    LineClock clock = LineClock.virtual();
    Instant t0 = clock.now();
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    clock.enter();   // this thread takes part until both are started, or time could move between the starts
    Thread a = clock.start("a", () -> {
      clock.sleep(Duration.ofSeconds(6));
      order.add("a@" + Duration.between(t0, clock.now()).toSeconds());
    });
    Thread b = clock.start("b", () -> {
      clock.sleep(Duration.ofSeconds(1));
      order.add("b@" + Duration.between(t0, clock.now()).toSeconds());
      clock.sleep(Duration.ofSeconds(1));
      order.add("b@" + Duration.between(t0, clock.now()).toSeconds());
    });
    clock.join(a);
    clock.join(b);
    clock.leave();
    assertThat(order).containsExactly("b@1", "b@2", "a@6");
    assertThat(Duration.between(t0, clock.now())).isEqualTo(Duration.ofSeconds(6));
  }

  @Test
  void aThreadWaitingOnAConditionWakesWhenAnotherChangesIt() {
    LineClock clock = LineClock.virtual();
    Instant t0 = clock.now();
    int[] box = {0};
    clock.enter();
    Thread waiter = clock.start("waiter", () -> {
      clock.locked(() -> {
        clock.await(() -> box[0] == 1);
      });
    });
    Thread setter = clock.start("setter", () -> {
      clock.sleep(Duration.ofMillis(1500));
      clock.locked(() -> {
        box[0] = 1;
        clock.signalAll();
      });
    });
    clock.join(waiter);
    clock.join(setter);
    clock.leave();
    assertThat(Duration.between(t0, clock.now())).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void timedAwaitReturnsFalseWhenTheTimeoutPassesFirst() {
    LineClock clock = LineClock.virtual();
    boolean[] result = {true};
    Thread t = clock.start("t", () -> {
      clock.locked(() -> {
        result[0] = clock.await(() -> false, Duration.ofSeconds(3));
      });
    });
    clock.join(t);
    assertThat(result[0]).isFalse();
  }

  @Test
  void aWaitNothingCanEndIsReportedAsAStallNotAHang() {
    LineClock clock = LineClock.virtual();
    RuntimeException[] thrown = {null};
    Thread t = clock.start("stuck", () -> {
      try {
        clock.locked(() -> {
          clock.await(() -> false);
        });
      } catch (RuntimeException e) {
        thrown[0] = e;
      }
    });
    clock.join(t);
    assertThat(thrown[0]).isInstanceOf(LineStalledException.class).hasMessageContaining("stalled");
  }

  @Test
  void sleepFromAThreadThatIsNotALineThreadStillAdvancesTime() {
    LineClock clock = LineClock.virtual();
    Instant t0 = clock.now();
    clock.sleep(Duration.ofMinutes(5));
    assertThat(Duration.between(t0, clock.now())).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void systemClockSleepsForReal() {
    LineClock clock = LineClock.system();
    assertThat(clock.isVirtual()).isFalse();
    Thread t = clock.start("t", () -> clock.sleep(Duration.ofMillis(5)));
    clock.join(t);
    assertThat(t.isAlive()).isFalse();
    assertThatThrownBy(() -> {
      throw new LineStalledException("x");
    }).isInstanceOf(LineStalledException.class);
  }

  @Test
  void awaitAndSignalOutsideLockedAreRefused() {
    for (LineClock clock : List.of(LineClock.virtual(), LineClock.system())) {
      assertThatThrownBy(() -> clock.await(() -> true)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("locked");
      assertThatThrownBy(() -> clock.await(() -> true, Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(clock::signalAll).isInstanceOf(IllegalStateException.class);
      assertThat(clock.locked(() -> clock.await(() -> true, Duration.ofSeconds(1)))).isTrue();
    }
  }

  @Test
  void aConditionThatThrowsWhenSignalledWakesItsOwnThreadNotTheSignaller() {
    for (LineClock clock : List.of(LineClock.virtual(), LineClock.system())) {
      int[] box = {0};
      RuntimeException[] thrown = {null};
      clock.enter();
      Thread waiter = clock.start("waiter", () -> {
        try {
          clock.locked(() -> clock.await(() -> {
            if (box[0] == 1) {
              throw new IllegalStateException("broken condition");
            }
            return false;
          }));
        } catch (RuntimeException e) {
          thrown[0] = e;
        }
      });
      Thread setter = clock.start("setter", () -> {
        clock.sleep(Duration.ofMillis(20));
        clock.locked(() -> {
          box[0] = 1;
          clock.signalAll();   // evaluates the waiter's condition: must not throw here
        });
      });
      clock.join(setter);
      clock.join(waiter);
      clock.leave();
      assertThat(thrown[0]).isInstanceOf(IllegalStateException.class).hasMessage("broken condition");
    }
  }
}
