package dev.perso.devices.pcsc;

/**
 * Whether other applications may use the card while this connection holds it.
 *
 * <pre>{@code
 * try (PcscCard card = readers.connect("Perso Virtual Reader*", PcscProtocol.ANY, Sharing.EXCLUSIVE)) { ... }
 * }</pre>
 */
public enum Sharing {
  /** Other applications may transmit between our commands. */
  SHARED,
  /** The connection holds an exclusive transaction until it is closed. */
  EXCLUSIVE
}
