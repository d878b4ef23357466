package dev.perso.iso7813;

import dev.perso.core.ValidationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What goes on one card's magnetic stripe: up to three tracks, the coercivity, and the density of each
 * track (ISO defaults: 210 bpi on tracks 1 and 3, 75 bpi on track 2). {@code toString} never prints track
 * data.
 *
 * <pre>{@code
 * MagStripe stripe = MagStripe.builder()
 *     .track1(t1).track2(t2)
 *     .coercivity(Coercivity.HICO)
 *     .build();
 * stripe.density(TrackType.TRACK_2);   // BPI_75
 * }</pre>
 */
public final class MagStripe {
  private final Track1 track1;
  private final Track2 track2;
  private final Track3 track3;
  private final Coercivity coercivity;
  private final Map<TrackType, Density> densities;

  private MagStripe(Builder b) {
    this.track1 = b.track1;
    this.track2 = b.track2;
    this.track3 = b.track3;
    this.coercivity = b.coercivity;
    this.densities = Collections.unmodifiableMap(new EnumMap<>(b.densities));
  }

  /** @return a builder (HiCo, ISO densities, no tracks) */
  public static Builder builder() {
    return new Builder();
  }

  /** @return a builder holding this stripe's values */
  public Builder newBuilder() {
    Builder b = new Builder();
    b.track1 = track1;
    b.track2 = track2;
    b.track3 = track3;
    b.coercivity = coercivity;
    b.densities.putAll(densities);
    return b;
  }

  /** @return track 1, if present */
  public Optional<Track1> track1() {
    return Optional.ofNullable(track1);
  }

  /** @return track 2, if present */
  public Optional<Track2> track2() {
    return Optional.ofNullable(track2);
  }

  /** @return track 3, if present */
  public Optional<Track3> track3() {
    return Optional.ofNullable(track3);
  }

  /**
   * @param type a track
   * @return that track, if present
   */
  public Optional<Track> track(TrackType type) {
    return Optional.ofNullable(switch (type) {
      case TRACK_1 -> track1;
      case TRACK_2 -> track2;
      case TRACK_3 -> track3;
    });
  }

  /** @return the present tracks in order 1, 2, 3 */
  public List<Track> tracks() {
    List<Track> l = new ArrayList<>(3);
    for (TrackType t : TrackType.values()) {
      track(t).ifPresent(l::add);
    }
    return List.copyOf(l);
  }

  /** @return the coercivity */
  public Coercivity coercivity() {
    return coercivity;
  }

  /**
   * @param type a track
   * @return its recording density
   */
  public Density density(TrackType type) {
    return densities.get(type);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MagStripe m && Objects.equals(m.track1, track1) && Objects.equals(m.track2, track2)
        && Objects.equals(m.track3, track3) && m.coercivity == coercivity && m.densities.equals(densities);
  }

  @Override
  public int hashCode() {
    return Objects.hash(track1, track2, track3, coercivity, densities);
  }

  @Override
  public String toString() {
    return "MagStripe[" + coercivity + ", tracks=" + (track1 != null ? "1" : "") + (track2 != null ? "2" : "")
        + (track3 != null ? "3" : "") + ", densities=" + densities + "]";
  }

  /** Builder for {@link MagStripe}. */
  public static final class Builder {
    private Track1 track1;
    private Track2 track2;
    private Track3 track3;
    private Coercivity coercivity = Coercivity.HICO;
    private final Map<TrackType, Density> densities = new EnumMap<>(TrackType.class);

    private Builder() {
      for (TrackType t : TrackType.values()) {
        densities.put(t, t.defaultDensity());
      }
    }

    /**
     * @param t track 1, or null for none
     * @return this
     */
    public Builder track1(Track1 t) {
      this.track1 = t;
      return this;
    }

    /**
     * @param t track 2, or null for none
     * @return this
     */
    public Builder track2(Track2 t) {
      this.track2 = t;
      return this;
    }

    /**
     * @param t track 3, or null for none
     * @return this
     */
    public Builder track3(Track3 t) {
      this.track3 = t;
      return this;
    }

    /**
     * @param c coercivity
     * @return this
     */
    public Builder coercivity(Coercivity c) {
      this.coercivity = Objects.requireNonNull(c, "coercivity");
      return this;
    }

    /**
     * @param type a track
     * @param density its density
     * @return this
     */
    public Builder density(TrackType type, Density density) {
      densities.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(density, "density"));
      return this;
    }

    /** @return the stripe */
    public MagStripe build() {
      if (track1 == null && track2 == null && track3 == null) {
        throw new ValidationException("tracks", "a stripe needs at least one track");
      }
      return new MagStripe(this);
    }
  }
}
