package dev.perso.core.step;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What step providers may use to build steps from a card-type file: the folder relative paths are taken
 * from, and services by type (the crypto backend, a key store, a profile registry), which the
 * application puts in.
 *
 * <pre>{@code
 * StepEnvironment env = StepEnvironment.builder(Path.of("."))
 *     .service(CryptoBackend.class, crypto)
 *     .service(KeyLookup.class, keys)
 *     .build();
 * CardType type = CardTypes.load(Path.of("debit.json"), env);
 * }</pre>
 */
public final class StepEnvironment {
  private final Path baseDir;
  private final Map<Class<?>, Object> services;

  private StepEnvironment(Path baseDir, Map<Class<?>, Object> services) {
    this.baseDir = baseDir;
    this.services = Map.copyOf(services);
  }

  /**
   * @param baseDir where relative paths in card-type files are resolved
   * @return a builder
   */
  public static Builder builder(Path baseDir) {
    return new Builder(baseDir);
  }

  /** @return where relative paths are resolved */
  public Path baseDir() {
    return baseDir;
  }

  /**
   * @param type the service's type
   * @param <T> the type
   * @return the service, if the application gave one
   */
  public <T> Optional<T> service(Class<T> type) {
    return Optional.ofNullable(type.cast(services.get(type)));
  }

  /**
   * @param type the service's type
   * @param <T> the type
   * @return the service
   * @throws dev.perso.core.ValidationException naming the missing service
   */
  public <T> T require(Class<T> type) {
    return service(type).orElseThrow(() -> new dev.perso.core.ValidationException("environment",
        "no " + type.getSimpleName() + " was given to load this card type"));
  }

  /** Builds a {@link StepEnvironment}. */
  public static final class Builder {
    private final Path baseDir;
    private final Map<Class<?>, Object> services = new HashMap<>();

    private Builder(Path baseDir) {
      this.baseDir = Objects.requireNonNull(baseDir, "baseDir");
    }

    /**
     * @param type the service's type
     * @param service the instance
     * @param <T> the type
     * @return this
     */
    public <T> Builder service(Class<T> type, T service) {
      services.put(type, Objects.requireNonNull(service, type.getSimpleName()));
      return this;
    }

    /** @return the environment */
    public StepEnvironment build() {
      return new StepEnvironment(baseDir, services);
    }
  }
}
