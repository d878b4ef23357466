package dev.perso.gp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** GET STATUS answers (GP 2.3.1 §11.4.3): TLV and legacy round trips; malformed data gives our exception. */
class RegistryEntryProperties {
  @Provide
  Arbitrary<Bytes> aids() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(5).ofMaxSize(16).map(Bytes::of);
  }

  @Provide
  Arbitrary<RegistryEntry> entries() {
    Arbitrary<Bytes> priv = Arbitraries.bytes().array(byte[].class).ofSize(3).map(Bytes::of);
    return Combinators.combine(aids(), Arbitraries.integers().between(0, 255), priv, aids().optional(),
        aids().list().ofMaxSize(3), aids().optional()).as((aid, lc, p, elf, mods, sd) ->
        new RegistryEntry(aid, lc, p, elf, Optional.empty(), mods, sd));
  }

  @Property(tries = 300)
  void tlvRoundTrip(@ForAll @Size(max = 6) List<@net.jqwik.api.From("entries") RegistryEntry> entries) {
    assertThat(RegistryEntry.parseTlv(RegistryEntry.encodeTlv(entries))).isEqualTo(entries);
  }

  @Property(tries = 300)
  void legacyRoundTripKeepsAidStateFirstPrivilegeByteAndModules(
      @ForAll @Size(max = 6) List<@net.jqwik.api.From("entries") RegistryEntry> entries) {
    List<RegistryEntry> back = RegistryEntry.parseLegacy(RegistryEntry.encodeLegacy(entries,
        StatusScope.LOAD_FILES_AND_MODULES), StatusScope.LOAD_FILES_AND_MODULES);
    assertThat(back).extracting(RegistryEntry::aid).isEqualTo(entries.stream().map(RegistryEntry::aid).toList());
    assertThat(back).extracting(RegistryEntry::modules).isEqualTo(entries.stream().map(RegistryEntry::modules).toList());
    List<RegistryEntry> apps = RegistryEntry.parseLegacy(RegistryEntry.encodeLegacy(entries, StatusScope.APPLICATIONS),
        StatusScope.APPLICATIONS);
    assertThat(apps).extracting(RegistryEntry::lifeCycle).isEqualTo(entries.stream().map(RegistryEntry::lifeCycle)
        .toList());
  }

  @Property(tries = 500)
  void malformedAnswersGiveOurException(@ForAll @Size(max = 80) byte[] junk, @ForAll boolean e3) {
    byte[] in = junk;
    if (e3 && junk.length >= 2) {
      in = junk.clone();
      in[0] = (byte) 0xE3;
      in[1] = (byte) Math.min(junk.length - 2, 0x7F);
    }
    for (StatusScope scope : StatusScope.values()) {
      try {
        RegistryEntry.parseLegacy(Bytes.of(in), scope);
      } catch (MalformedDataException e) {
        assertThat(e.getMessage()).isNotBlank();
      }
    }
    try {
      RegistryEntry.parseTlv(Bytes.of(in));
    } catch (MalformedDataException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    try {
      KeyInformation.parseTemplate(Bytes.of(in));
    } catch (MalformedDataException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
