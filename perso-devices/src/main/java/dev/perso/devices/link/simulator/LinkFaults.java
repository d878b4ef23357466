package dev.perso.devices.link.simulator;

import dev.perso.core.ValidationException;
import java.time.Duration;

/**
 * Faults an in-memory link injects into the bytes it carries, per direction: bit flips, dropped
 * and duplicated bytes, and delays. Random but reproducible from a seed, and capped in number so a
 * test can bound the damage.
 *
 * <pre>{@code
 * LinkFaults faults = LinkFaults.builder().seed(42).bitFlip(0.01).drop(0.005).maxFaults(3).build();
 * MemoryLink.Pair pair = MemoryLink.pair(faults, LinkFaults.none());
 * }</pre>
 *
 * @param seed random seed
 * @param bitFlip probability per byte that one bit is flipped
 * @param drop probability per byte that it is lost
 * @param duplicate probability per byte that it arrives twice
 * @param delay probability per byte that it (and everything after it) is held back
 * @param maxDelay the longest hold-back
 * @param maxFaults most faults injected over the link's life (0 = none)
 */
public record LinkFaults(long seed, double bitFlip, double drop, double duplicate, double delay, Duration maxDelay,
    int maxFaults) {

  private static final LinkFaults NONE = new LinkFaults(0, 0, 0, 0, 0, Duration.ZERO, 0);

  /** Validates the probabilities. */
  public LinkFaults {
    check("bitFlip", bitFlip);
    check("drop", drop);
    check("duplicate", duplicate);
    check("delay", delay);
    if (maxDelay == null || maxDelay.isNegative()) {
      throw new ValidationException("maxDelay", "must be zero or positive");
    }
    if (maxFaults < 0) {
      throw new ValidationException("maxFaults", "must be 0 or more, was " + maxFaults);
    }
  }

  private static void check(String field, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new ValidationException(field, "probability must be 0..1, was " + p);
    }
  }

  /** @return no faults: a perfect link */
  public static LinkFaults none() {
    return NONE;
  }

  /** @return a builder: no faults, seed 0, unlimited count */
  public static Builder builder() {
    return new Builder();
  }

  /** @return true if this never injects anything */
  public boolean isNone() {
    return maxFaults == 0 || (bitFlip == 0 && drop == 0 && duplicate == 0 && delay == 0);
  }

  /** Builds {@link LinkFaults}. */
  public static final class Builder {
    private long seed;
    private double bitFlip;
    private double drop;
    private double duplicate;
    private double delay;
    private Duration maxDelay = Duration.ofMillis(5);
    private int maxFaults = Integer.MAX_VALUE;

    private Builder() {}

    /** @param v random seed @return this builder */
    public Builder seed(long v) {
      this.seed = v;
      return this;
    }

    /** @param p probability per byte @return this builder */
    public Builder bitFlip(double p) {
      this.bitFlip = p;
      return this;
    }

    /** @param p probability per byte @return this builder */
    public Builder drop(double p) {
      this.drop = p;
      return this;
    }

    /** @param p probability per byte @return this builder */
    public Builder duplicate(double p) {
      this.duplicate = p;
      return this;
    }

    /**
     * @param p probability per byte
     * @param max longest delay
     * @return this builder
     */
    public Builder delay(double p, Duration max) {
      this.delay = p;
      this.maxDelay = max;
      return this;
    }

    /** @param n most faults over the link's life @return this builder */
    public Builder maxFaults(int n) {
      this.maxFaults = n;
      return this;
    }

    /** @return the faults */
    public LinkFaults build() {
      return new LinkFaults(seed, bitFlip, drop, duplicate, delay, maxDelay, maxFaults);
    }
  }
}
