package dev.perso.devices.pcsc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Finds the PC/SC-lite client library for the JDK. Upstream JDK builds look for {@code libpcsclite.so.1}
 * under {@code /usr/lib64} and {@code /usr/lib} only (notes/transports.md §3.1); Debian and Ubuntu keep it
 * in the multiarch directory named after the machine ({@code /usr/lib/x86_64-linux-gnu},
 * {@code /usr/lib/aarch64-linux-gnu}, ...). The directory is derived from {@code os.arch}, never
 * hard-coded to one architecture.
 */
final class PcscLibrary {
  /** The JDK's system property naming the library. */
  static final String PROPERTY = "sun.security.smartcardio.library";
  private static final String NAME = "libpcsclite.so.1";

  private PcscLibrary() {}

  /**
   * @param osArch the JVM's {@code os.arch}
   * @return the Debian multiarch tuples for it, most likely first
   */
  static List<String> multiarch(String osArch) {
    switch (osArch.toLowerCase(Locale.ROOT)) {
      case "amd64":
      case "x86_64":
        return List.of("x86_64-linux-gnu");
      case "aarch64":
      case "arm64":
        return List.of("aarch64-linux-gnu");
      case "arm":
        return List.of("arm-linux-gnueabihf", "arm-linux-gnueabi");
      case "x86":
      case "i386":
      case "i686":
        return List.of("i386-linux-gnu");
      case "ppc64le":
        return List.of("powerpc64le-linux-gnu");
      case "s390x":
        return List.of("s390x-linux-gnu");
      case "riscv64":
        return List.of("riscv64-linux-gnu");
      case "loongarch64":
        return List.of("loongarch64-linux-gnu");
      default:
        return List.of();
    }
  }

  /**
   * @param osArch the JVM's {@code os.arch}
   * @param exists how to test a path (the file system, or a test's set)
   * @return the library to point the JDK at, when the JDK's own search would miss it
   */
  static Optional<Path> locate(String osArch, Predicate<Path> exists) {
    List<Path> jdkDefaults = List.of(Path.of("/usr/lib64", NAME), Path.of("/usr/lib", NAME));
    for (Path p : jdkDefaults) {
      if (exists.test(p)) {
        return Optional.empty();   // the JDK finds it by itself
      }
    }
    List<Path> candidates = new ArrayList<>();
    for (String tuple : multiarch(osArch)) {
      candidates.add(Path.of("/usr/lib", tuple, NAME));
      candidates.add(Path.of("/lib", tuple, NAME));
    }
    return candidates.stream().filter(exists).findFirst();
  }

  /**
   * Sets {@link #PROPERTY} to the located library when the application has not set it and the JDK's
   * own search would fail.
   *
   * @return the path set, if any
   */
  static Optional<Path> configure() {
    if (System.getProperty(PROPERTY) != null) {
      return Optional.empty();
    }
    Optional<Path> found = locate(System.getProperty("os.arch", ""), Files::exists);
    found.ifPresent(p -> System.setProperty(PROPERTY, p.toString()));
    return found;
  }
}
