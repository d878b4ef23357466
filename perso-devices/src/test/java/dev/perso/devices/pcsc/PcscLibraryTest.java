package dev.perso.devices.pcsc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Where the JDK's PC/SC library is looked for. Library locations: Debian's libpcsclite1 package lists
 * {@code /usr/lib/<multiarch>/libpcsclite.so.1} (notes/transports.md §3.1); the JDK's own search is
 * {@code /usr/lib64} then {@code /usr/lib} (PlatformPCSC in OpenJDK 17).
 */
class PcscLibraryTest {
  @Test
  void debianMultiarchIsFoundForEachArchitectureNotJustOne() {
    Set<Path> amd64 = Set.of(Path.of("/usr/lib/x86_64-linux-gnu/libpcsclite.so.1"));
    assertThat(PcscLibrary.locate("amd64", amd64::contains)).contains(Path.of("/usr/lib/x86_64-linux-gnu/libpcsclite.so.1"));
    Set<Path> arm64 = Set.of(Path.of("/usr/lib/aarch64-linux-gnu/libpcsclite.so.1"));
    assertThat(PcscLibrary.locate("aarch64", arm64::contains)).contains(Path.of("/usr/lib/aarch64-linux-gnu/libpcsclite.so.1"));
    // an x86_64 JVM does not pick another architecture's library
    assertThat(PcscLibrary.locate("amd64", arm64::contains)).isEmpty();
  }

  @Test
  void nothingIsSetWhenTheJdkFindsTheLibraryItself() {
    Set<Path> fedora = Set.of(Path.of("/usr/lib64/libpcsclite.so.1"), Path.of("/usr/lib/x86_64-linux-gnu/libpcsclite.so.1"));
    assertThat(PcscLibrary.locate("amd64", fedora::contains)).isEmpty();
    assertThat(PcscLibrary.locate("sparc", p -> false)).isEmpty();
  }
}
