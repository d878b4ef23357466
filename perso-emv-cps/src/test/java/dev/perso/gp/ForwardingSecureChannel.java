package dev.perso.gp;

import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.crypto.CipherSpec;
import dev.perso.crypto.KeyRef;
import java.util.function.Function;

/** A secure channel that answers some commands itself (a card refusing), for failure paths. */
final class ForwardingSecureChannel implements GpSecureChannel {
  private final GpSecureChannel d;
  private final Function<CommandApdu, ResponseApdu> override;

  ForwardingSecureChannel(GpSecureChannel delegate, Function<CommandApdu, ResponseApdu> override) {
    this.d = delegate;
    this.override = override;
  }

  @Override
  public ResponseApdu transmit(CommandApdu command) {
    ResponseApdu r = override.apply(command);
    return r != null ? r : d.transmit(command);
  }

  @Override
  public int scp() {
    return d.scp();
  }

  @Override
  public int i() {
    return d.i();
  }

  @Override
  public SecurityLevel level() {
    return d.level();
  }

  @Override
  public InitializeUpdateResponse initializeUpdateResponse() {
    return d.initializeUpdateResponse();
  }

  @Override
  public ChallengeStatus challengeStatus() {
    return d.challengeStatus();
  }

  @Override
  public int maxCommandData() {
    return d.maxCommandData();
  }

  @Override
  public Bytes encryptSensitiveData(Bytes data) {
    return d.encryptSensitiveData(data);
  }

  @Override
  public Bytes encryptSensitiveKey(KeyRef key) {
    return d.encryptSensitiveKey(key);
  }

  @Override
  public Bytes reencryptSensitiveData(KeyRef kek, CipherSpec spec, Bytes cryptogram) {
    return d.reencryptSensitiveData(kek, spec, cryptogram);
  }

  @Override
  public Bytes translatePinBlock(KeyRef kek, dev.perso.crypto.PinBlock.Format format, Bytes cryptogram,
      dev.perso.crypto.Padding padding) {
    return d.translatePinBlock(kek, format, cryptogram, padding);
  }

  @Override
  public CommandApdu wrap(CommandApdu command) {
    return d.wrap(command);
  }

  @Override
  public ResponseApdu unwrap(CommandApdu command, ResponseApdu response) {
    return d.unwrap(command, response);
  }

  @Override
  public void close() {
    d.close();
  }
}
