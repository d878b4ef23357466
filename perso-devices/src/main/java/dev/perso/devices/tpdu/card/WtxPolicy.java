package dev.perso.devices.tpdu.card;

import dev.perso.core.apdu.CommandApdu;

/**
 * When a card-side T=1 engine asks for more time with {@code S(WTX request)} before answering a
 * command, and by how much. Lets tests exercise the host's waiting time extension.
 *
 * <pre>{@code
 * WtxPolicy slowGetData = c -> c.ins() == 0xCA ? 2 : 0;   // ask for 2 x BWT before GET DATA answers
 * }</pre>
 */
@FunctionalInterface
public interface WtxPolicy {

  /** Never asks for a waiting time extension. */
  WtxPolicy NEVER = c -> 0;

  /**
   * @param command the command about to be answered
   * @return the WTX multiplier 1..255 to request first, or 0 for none
   */
  int multiplierFor(CommandApdu command);
}
