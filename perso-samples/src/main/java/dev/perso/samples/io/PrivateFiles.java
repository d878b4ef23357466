package dev.perso.samples.io;

import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The one place the CLI and the demo create files that hold cardholder data or keys: owner-only (0600
 * files, 0700 directories on POSIX file systems), created new without following symbolic links (an
 * existing symbolic link at the path is refused, never written through), and SQLite journals created
 * owner-only before SQLite opens them, so that SQLite gives their {@code -wal} and {@code -shm} files the
 * same mode.
 *
 * <pre>{@code
 * Path dir = PrivateFiles.directory("--out", Path.of("out"));
 * try (OutputStream o = PrivateFiles.newFile("--out", dir.resolve("perso-data.jsonl"))) { ... }
 * Path journal = PrivateFiles.journal("--journal", dir.resolve("job.db"));   // then Journal.sqlite(journal)
 * }</pre>
 */
public final class PrivateFiles {
  /** rw------- */
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  /** rwx------ */
  public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private PrivateFiles() {}

  /**
   * A directory for private files: created owner-only when absent (with its missing parents); an existing
   * one is used as it is (its files are still created owner-only).
   *
   * @param field the option or field that named it, for errors
   * @param dir the directory
   * @return {@code dir}
   * @throws ValidationException if it is a symbolic link or exists and is not a directory
   * @throws TransportException if it cannot be created
   */
  public static Path directory(String field, Path dir) {
    refuseLink(field, dir);
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new ValidationException(field, dir + " is a file, not a directory");
      }
      return dir;
    }
    try {
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.createDirectory(dir, attributes(DIRECTORY));
      return dir;
    } catch (FileAlreadyExistsException e) {
      throw new ValidationException(field, dir + " appeared while it was being created; refusing to use it");
    } catch (IOException e) {
      throw new TransportException("cannot create directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * A new owner-only directory under the system's temporary directory.
   *
   * @param prefix the name's prefix
   * @return the directory
   * @throws TransportException if it cannot be created
   */
  public static Path temporaryDirectory(String prefix) {
    try {
      return Files.createTempDirectory(prefix, attributes(DIRECTORY));
    } catch (IOException e) {
      throw new TransportException("cannot create a temporary directory: " + e.getMessage(), e);
    }
  }

  /**
   * Creates a file owner-only and opens it for writing. A regular file already at the path is replaced
   * (deleted, then created new); a symbolic link there is refused.
   *
   * @param field the option or field that named the file or its directory, for errors
   * @param file the file
   * @return a stream writing the new file
   * @throws ValidationException if the path is a symbolic link or a directory, or appears while it is created
   * @throws TransportException if the file cannot be written
   */
  public static OutputStream newFile(String field, Path file) {
    refuseLink(field, file);
    if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new ValidationException(field, file + " is a directory");
    }
    try {
      Files.deleteIfExists(file);
      Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS);
      return Channels.newOutputStream(Files.newByteChannel(file, options, attributes(FILE)));
    } catch (FileAlreadyExistsException e) {
      throw new ValidationException(field, file + " appeared while it was being created; refusing to write to it");
    } catch (IOException e) {
      throw new TransportException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Prepares an SQLite journal's file before SQLite opens it: an absent file is created empty and
   * owner-only (SQLite then creates its {@code -wal} and {@code -shm} files with the same mode); an
   * existing journal is narrowed to owner-only. Symbolic links at the journal, {@code -wal} or
   * {@code -shm} path are refused.
   *
   * @param field the option or field that named the journal, for errors
   * @param file the journal file
   * @return {@code file}
   * @throws ValidationException if a path is a symbolic link or the journal is not a regular file
   * @throws TransportException if it cannot be created
   */
  public static Path journal(String field, Path file) {
    refuseLink(field, file);
    for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
      Path companion = file.resolveSibling(file.getFileName() + suffix);
      refuseLink(field, companion);
    }
    try {
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          throw new ValidationException(field, file + " is not a regular file");
        }
      } else {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.exists(parent)) {
          directory(field, parent);
        }
        Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS), attributes(FILE)).close();
      }
      for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
        Path f = file.resolveSibling(file.getFileName() + suffix);
        if (Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
          setMode(f, FILE);
        }
      }
      return file;
    } catch (FileAlreadyExistsException e) {
      throw new ValidationException(field, file + " appeared while it was being created; refusing to use it");
    } catch (IOException e) {
      throw new TransportException("cannot create journal " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes a directory and everything in it, without following symbolic links.
   *
   * @param dir the directory
   * @return whether it is gone
   */
  public static boolean deleteTree(Path dir) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
      return true;
    } catch (IOException e) {
      return !Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
    }
  }

  /**
   * @param file a file
   * @return whether it can be read or written by its owner only (always true where POSIX modes do not exist)
   * @throws TransportException if its mode cannot be read
   */
  public static boolean isOwnerOnly(Path file) {
    if (!POSIX) {
      return true;
    }
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
      return p.stream().noneMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS"));
    } catch (IOException e) {
      throw new TransportException("cannot read the mode of " + file + ": " + e.getMessage(), e);
    }
  }

  private static void refuseLink(String field, Path path) {
    if (Files.isSymbolicLink(path)) {
      throw new ValidationException(field, path + " is a symbolic link; card data and keys are never written "
          + "through one");
    }
  }

  private static FileAttribute<?>[] attributes(Set<PosixFilePermission> mode) {
    return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)} : new FileAttribute<?>[0];
  }

  /**
   * Narrows an existing file (never through a symbolic link). Files created here need no such call: their
   * mode is given at creation, and the umask can only remove bits from it.
   */
  private static void setMode(Path path, Set<PosixFilePermission> mode) throws IOException {
    if (POSIX) {
      Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setPermissions(mode);
    }
  }
}
