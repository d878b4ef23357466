package dev.perso.core.channel;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import java.io.ByteArrayOutputStream;
import java.util.function.UnaryOperator;

/**
 * Decorator that handles ISO/IEC 7816-4 response chaining at APDU level: {@code 61xx} is answered
 * with GET RESPONSE (INS {@code C0}) until the card stops asking, and {@code 6Cxx} resends the
 * command once with Le = xx (EMV Book 1 §9.2.2 and ISO/IEC 7816-4 §5.3.4 describe both).
 *
 * <p>Both loops are bounded. The CLA of GET RESPONSE is a policy: by default the interindustry
 * class {@code 00} keeping the command's logical-channel bits, or the command's own CLA for cards
 * that want it.
 *
 * <pre>{@code
 * CardChannel ch = raw.with(GetResponse.auto());
 * CardChannel gp = raw.with(GetResponse.builder().cla(GetResponse.ClaPolicy.SAME_AS_COMMAND).maxRounds(16).build());
 * }</pre>
 */
public final class GetResponse implements UnaryOperator<CardChannel> {

  /** Which CLA the GET RESPONSE command carries. */
  public enum ClaPolicy {
    /** {@code 00} with the logical channel bits (b1–b2) of the original command. */
    INTERINDUSTRY,
    /** The original command's CLA, unchanged (some proprietary cards expect this). */
    SAME_AS_COMMAND
  }

  private static final int INS_GET_RESPONSE = 0xC0;
  private static final GetResponse AUTO = builder().build();

  private final ClaPolicy claPolicy;
  private final int maxRounds;
  private final boolean resendOnWrongLength;

  private GetResponse(Builder b) {
    this.claPolicy = b.claPolicy;
    this.maxRounds = b.maxRounds;
    this.resendOnWrongLength = b.resendOnWrongLength;
  }

  /** @return the default: INTERINDUSTRY CLA, at most 64 GET RESPONSE rounds, 6Cxx resent once */
  public static GetResponse auto() {
    return AUTO;
  }

  /** @return a builder with the defaults of {@link #auto()} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public CardChannel apply(CardChannel next) {
    return new Handler(next);
  }

  private final class Handler extends ForwardingChannel {
    Handler(CardChannel next) {
      super(next);
    }

    @Override
    public ResponseApdu transmit(CommandApdu command) {
      ResponseApdu r = next().transmit(command);
      if (resendOnWrongLength && r.sw1() == 0x6C) {
        int exact = r.sw2() == 0 ? 256 : r.sw2();
        r = next().transmit(command.withNe(exact));
      }
      if (r.sw1() != 0x61) {
        return r;
      }
      ByteArrayOutputStream acc = new ByteArrayOutputStream(512);
      boolean secret = r.data().isSecret();
      acc.writeBytes(r.data().toByteArray());
      int cla = claPolicy == ClaPolicy.SAME_AS_COMMAND ? command.cla() : (command.cla() & 0x03);
      int rounds = 0;
      while (r.sw1() == 0x61) {
        if (++rounds > maxRounds) {
          throw new TransportException("GET RESPONSE: card still answers 61xx after " + maxRounds
              + " rounds (" + acc.size() + " bytes so far); limit is maxRounds");
        }
        int ne = r.sw2() == 0 ? 256 : r.sw2();
        r = next().transmit(CommandApdu.of(cla, INS_GET_RESPONSE, 0x00, 0x00, Bytes.empty(), ne));
        if (resendOnWrongLength && r.sw1() == 0x6C) {
          int exact = r.sw2() == 0 ? 256 : r.sw2();
          r = next().transmit(CommandApdu.of(cla, INS_GET_RESPONSE, 0x00, 0x00, Bytes.empty(), exact));
        }
        secret |= r.data().isSecret();
        acc.writeBytes(r.data().toByteArray());
      }
      Bytes all = OwnedBytes.wrap(acc.toByteArray());
      return new ResponseApdu(secret ? all.asSecret() : all, r.sw());
    }
  }

  /** Configures a {@link GetResponse} decorator. */
  public static final class Builder {
    private ClaPolicy claPolicy = ClaPolicy.INTERINDUSTRY;
    private int maxRounds = 64;
    private boolean resendOnWrongLength = true;

    private Builder() {}

    /** @param policy CLA of GET RESPONSE @return this builder */
    public Builder cla(ClaPolicy policy) {
      if (policy == null) {
        throw new ValidationException("cla", "must not be null");
      }
      this.claPolicy = policy;
      return this;
    }

    /** @param rounds most GET RESPONSE commands per command, 1..1024 @return this builder */
    public Builder maxRounds(int rounds) {
      if (rounds < 1 || rounds > 1024) {
        throw new ValidationException("maxRounds", "must be 1..1024, was " + rounds);
      }
      this.maxRounds = rounds;
      return this;
    }

    /** @param resend whether 6Cxx resends the command with the exact Le (default true) @return this builder */
    public Builder resendOnWrongLength(boolean resend) {
      this.resendOnWrongLength = resend;
      return this;
    }

    /** @return the decorator */
    public GetResponse build() {
      return new GetResponse(this);
    }
  }
}
