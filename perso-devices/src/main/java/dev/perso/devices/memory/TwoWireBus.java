package dev.perso.devices.memory;

import dev.perso.core.Bytes;

/**
 * The SLE 4432/4442 2-wire bus (clock, I/O, reset) as a station's bus adapter drives it
 * (notes/transports.md §5.1, after DangerousPrototypes/BusPirate5-firmware {@code sle4442.c}): reset and
 * answer-to-reset; a command of three bytes (command, address, data, each sent LSB first between START and
 * STOP) followed either by the outgoing-data mode (the chip clocks out bytes) or by the processing mode (the
 * chip works while clocked, then releases I/O). {@link Sle44x2Wire} speaks the chip's commands over it.
 *
 * <pre>{@code
 * TwoWireBus bus = ...;                          // the station's adapter
 * Bytes atr = bus.answerToReset();               // A2 13 10 91
 * Bytes prot = bus.outgoing(0x34, 0, 0, 4);      // READ PROTECTION MEMORY
 * bus.processing(0x38, 0x40, 0x12);              // UPDATE MAIN MEMORY at 0x40
 * }</pre>
 */
public interface TwoWireBus {

  /** @return the 4 bytes the chip clocks out after a reset (H1 H2 H3 H4) */
  Bytes answerToReset();

  /**
   * Sends a command, then clocks out {@code length} bytes (outgoing-data mode).
   *
   * @param command the command byte, e.g. {@code 30} read main memory
   * @param address the address byte
   * @param data the data byte (ignored by read commands)
   * @param length how many bytes to clock out
   * @return the bytes
   */
  Bytes outgoing(int command, int address, int data, int length);

  /**
   * Sends a command, then clocks the chip through its processing mode until it releases I/O.
   *
   * @param command the command byte, e.g. {@code 38} update main memory
   * @param address the address byte
   * @param data the data byte
   */
  void processing(int command, int address, int data);
}
