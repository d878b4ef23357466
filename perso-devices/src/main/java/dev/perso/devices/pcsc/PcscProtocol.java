package dev.perso.devices.pcsc;

/**
 * Protocol asked for when connecting to a card through PC/SC.
 *
 * <pre>{@code
 * PcscCard card = PcscReaders.system().connect("ACS ACR39U*", PcscProtocol.T1, Sharing.EXCLUSIVE);
 * }</pre>
 */
public enum PcscProtocol {
  /** Whatever the card and reader agree on. */
  ANY("*"),
  /** T=0 only. */
  T0("T=0"),
  /** T=1 only. */
  T1("T=1"),
  /** Direct connection to the reader, no card needed (for control commands). */
  DIRECT("DIRECT");

  private final String jdkName;

  PcscProtocol(String jdkName) {
    this.jdkName = jdkName;
  }

  /** @return the name {@code javax.smartcardio.CardTerminal.connect} expects */
  public String jdkName() {
    return jdkName;
  }
}
