package dev.perso.gp.internal;

import dev.perso.core.Bytes;
import dev.perso.core.SecureChannelException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.channel.ForwardingChannel;
import dev.perso.crypto.CipherSpec;
import dev.perso.crypto.Padding;
import dev.perso.crypto.PinBlock;
import dev.perso.crypto.KeyRef;
import dev.perso.gp.ChallengeStatus;
import dev.perso.gp.GpSecureChannel;
import dev.perso.gp.InitializeUpdateResponse;
import dev.perso.gp.SecurityLevel;

/** The wrapping channel returned once EXTERNAL AUTHENTICATE succeeded. */
public final class HostChannel extends ForwardingChannel implements GpSecureChannel {
  private final ScpSession session;
  private final AutoCloseable staticKeys;
  private final InitializeUpdateResponse iu;
  private final int i;
  private final ChallengeStatus challengeStatus;
  private boolean closed;

  /**
   * @param next the underlying channel
   * @param session the authenticated session
   * @param staticKeys keys derived for this card, wiped on close
   * @param iu the card's INITIALIZE UPDATE response
   * @param i the "i" in force
   * @param challengeStatus the challenge check outcome
   */
  public HostChannel(CardChannel next, ScpSession session, AutoCloseable staticKeys, InitializeUpdateResponse iu, int i,
      ChallengeStatus challengeStatus) {
    super(next);
    this.session = session;
    this.staticKeys = staticKeys;
    this.iu = iu;
    this.i = i;
    this.challengeStatus = challengeStatus;
  }

  @Override
  public ResponseApdu transmit(CommandApdu command) {
    CommandApdu wrapped = wrap(command);
    return unwrap(command, next().transmit(wrapped));
  }

  @Override
  public CommandApdu wrap(CommandApdu command) {
    if (closed) {
      throw new SecureChannelException("secure channel is closed");
    }
    return session.wrap(command);
  }

  @Override
  public ResponseApdu unwrap(CommandApdu command, ResponseApdu response) {
    if (closed) {
      throw new SecureChannelException("secure channel is closed");
    }
    return session.unwrap(command, response);
  }

  @Override
  public int scp() {
    return session.scp();
  }

  @Override
  public int i() {
    return i;
  }

  @Override
  public SecurityLevel level() {
    return session.level();
  }

  @Override
  public InitializeUpdateResponse initializeUpdateResponse() {
    return iu;
  }

  @Override
  public ChallengeStatus challengeStatus() {
    return challengeStatus;
  }

  @Override
  public int maxCommandData() {
    return session.capacity(session.level());
  }

  @Override
  public Bytes encryptSensitiveData(Bytes data) {
    if (closed) {
      throw new SecureChannelException("secure channel is closed");
    }
    return session.encryptSensitive(data);
  }

  @Override
  public Bytes reencryptSensitiveData(KeyRef kek, CipherSpec spec, Bytes cryptogram) {
    if (closed) {
      throw new SecureChannelException("secure channel is closed");
    }
    return session.reencryptSensitive(kek, spec, cryptogram);
  }

  @Override
  public Bytes translatePinBlock(KeyRef kek, PinBlock.Format format, Bytes cryptogram, Padding padding) {
    if (closed) {
      throw new SecureChannelException("secure channel is closed");
    }
    return session.translatePinBlock(kek, format, cryptogram, padding);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    session.close();
    try {
      staticKeys.close();
    } catch (Exception ignored) {
      // key wiping does not throw
    }
    super.close();
  }

  @Override
  public String toString() {
    return "GpSecureChannel[SCP0" + session.scp() + " i=" + String.format("%02X", i) + " " + session.level()
        + (closed ? " closed" : "") + "]";
  }
}
