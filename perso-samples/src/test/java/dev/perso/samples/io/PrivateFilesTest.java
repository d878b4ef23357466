package dev.perso.samples.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.ValidationException;
import dev.perso.core.journal.Journal;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {

  static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void newFilesAreOwnerOnlyAndReplaceAnEarlierFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("perso-data.jsonl");
    Files.writeString(f, "old");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    try (OutputStream o = PrivateFiles.newFile("--out", f)) {
      o.write("new".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(mode(f)).isEqualTo("rw-------");
    assertThat(Files.readString(f)).isEqualTo("new");
  }

  @Test
  void aSymbolicLinkAtTheFileIsRefusedAndItsTargetUntouched(@TempDir Path dir) throws Exception {
    Path victim = Files.writeString(dir.resolve("victim"), "precious");
    Path link = Files.createSymbolicLink(dir.resolve("report.json"), victim);
    assertThatThrownBy(() -> PrivateFiles.newFile("--out", link)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("--out").hasMessageContaining("symbolic link");
    assertThat(Files.readString(victim)).isEqualTo("precious");
    Path dirLink = Files.createSymbolicLink(dir.resolve("out"), Files.createDirectory(dir.resolve("real")));
    assertThatThrownBy(() -> PrivateFiles.directory("--out", dirLink)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("symbolic link");
  }

  @Test
  void directoriesAreCreatedOwnerOnlyAndAFileIsNotADirectory(@TempDir Path dir) throws Exception {
    Path d = PrivateFiles.directory("--out", dir.resolve("a").resolve("out"));
    assertThat(mode(d)).isEqualTo("rwx------");
    assertThat(mode(PrivateFiles.temporaryDirectory("perso-test-"))).isEqualTo("rwx------");
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(() -> PrivateFiles.directory("--out", file)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("--out").hasMessageContaining("not a directory");
  }

  @Test
  void sqliteJournalAndItsWalAndShmAreOwnerOnly(@TempDir Path dir) throws Exception {
    Path db = PrivateFiles.journal("--journal", dir.resolve("job.db"));
    assertThat(mode(db)).isEqualTo("rw-------");
    try (Journal j = Journal.sqlite(db)) {
      j.begin("job", "debit-example", "batch.jsonl", Instant.now());
      j.queued(Map.of("0001", "batch.jsonl:1"));
      Path wal = dir.resolve("job.db-wal");
      Path shm = dir.resolve("job.db-shm");
      assertThat(wal).exists();
      assertThat(shm).exists();
      assertThat(mode(wal)).isEqualTo("rw-------");
      assertThat(mode(shm)).isEqualTo("rw-------");
    }
  }

  @Test
  void anExistingJournalIsNarrowedAndPlantedLinksBesideItAreRefused(@TempDir Path dir) throws Exception {
    Path db = Files.writeString(dir.resolve("job.db"), "");
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-rw-rw-"));
    PrivateFiles.journal("--journal", db);
    assertThat(mode(db)).isEqualTo("rw-------");
    Files.createSymbolicLink(dir.resolve("job.db-wal"), Files.writeString(dir.resolve("victim"), "x"));
    assertThatThrownBy(() -> PrivateFiles.journal("--journal", db)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("job.db-wal").hasMessageContaining("symbolic link");
  }

  @Test
  void deleteTreeRemovesEverythingButNeverFollowsALink(@TempDir Path dir) throws Exception {
    Path keep = Files.writeString(dir.resolve("keep"), "outside");
    Path tmp = PrivateFiles.temporaryDirectory("perso-test-");
    Files.writeString(tmp.resolve("perso-data.jsonl"), "x");
    Files.createSymbolicLink(tmp.resolve("link"), keep);
    assertThat(PrivateFiles.deleteTree(tmp)).isTrue();
    assertThat(tmp).doesNotExist();
    assertThat(keep).hasContent("outside");
  }
}
