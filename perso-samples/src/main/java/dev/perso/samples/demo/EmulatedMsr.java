package dev.perso.samples.demo;

import dev.perso.core.TransportException;
import dev.perso.devices.msr.Msr605Emulator;
import dev.perso.devices.msr.Msr605Encoder;
import dev.perso.devices.serial.SerialLink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * An MSR605 emulator at the far end of a socat pseudo-terminal pair, so that a line opens its magnetic
 * module by address ({@code msr605:/tmp/.../msr605}) and drives it through jSerialComm like a device on a
 * USB-serial port. Closing it stops the emulator and this socat (by its PID).
 *
 * <pre>{@code
 * try (EmulatedMsr msr = EmulatedMsr.start(Msr605Emulator.builder().corruptReadAt(5))) {
 *   Devices.open(msr.address() + "&id=mx-1-mag", ctx);
 * }
 * }</pre>
 */
public final class EmulatedMsr implements AutoCloseable {
  private static final Path SOCAT = Path.of("/usr/bin/socat");

  private final Process socat;
  private final Path dir;
  private final Msr605Emulator emulator;

  private EmulatedMsr(Process socat, Path dir, Msr605Emulator emulator) {
    this.socat = socat;
    this.dir = dir;
    this.emulator = emulator;
  }

  /**
   * @param emulator the emulator's settings
   * @return the running pair
   * @throws TransportException when socat is missing or makes no pty pair
   */
  public static EmulatedMsr start(Msr605Emulator.Builder emulator) {
    if (!Files.isExecutable(SOCAT)) {
      throw new TransportException("--msr needs socat (apt-get install socat)");
    }
    Path dir;
    Process p;
    try {
      dir = Files.createTempDirectory("perso-msr");
      p = new ProcessBuilder(SOCAT.toString(), "pty,raw,echo=0,link=" + dir.resolve("msr605"),
          "pty,raw,echo=0,link=" + dir.resolve("device")).redirectErrorStream(true)
          .redirectOutput(dir.resolve("socat.log").toFile()).start();
    } catch (IOException e) {
      throw new TransportException("cannot start socat: " + e.getMessage(), e);
    }
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!Files.exists(dir.resolve("msr605")) || !Files.exists(dir.resolve("device"))) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          throw new TransportException("socat made no pty pair; see " + dir.resolve("socat.log"));
        }
        Thread.sleep(10);
      }
      Msr605Emulator emu = emulator.build().serve(SerialLink.open(dir.resolve("device").toString(),
          Msr605Encoder.serialConfig(9600)));
      return new EmulatedMsr(p, dir, emu);
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted while starting socat", e);
    } catch (RuntimeException e) {
      p.destroy();
      throw e;
    }
  }

  /** @return the encoder's address, e.g. {@code msr605:/tmp/perso-msr123/msr605?baud=9600} */
  public String address() {
    return "msr605:" + dir.resolve("msr605") + "?baud=9600&swipeTimeoutMs=5000";
  }

  /** @return the emulator */
  public Msr605Emulator emulator() {
    return emulator;
  }

  @Override
  public void close() {
    emulator.close();
    socat.destroy();
    try {
      socat.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
