package dev.perso.devices.tpdu;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.internal.Hex;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.apdu.StatusWord;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.channel.GetResponse;
import dev.perso.devices.atr.Atr;
import dev.perso.devices.atr.FiDi;
import dev.perso.devices.atr.Timing;
import dev.perso.devices.link.ByteLink;
import java.io.ByteArrayOutputStream;
import java.time.Duration;

/**
 * Host side of the ISO/IEC 7816-3 T=0 character protocol over a {@link ByteLink}, exposed as a
 * {@link CardChannel}. Procedure bytes as the CCID driver's {@code CmdXfrBlockCHAR_T0} reads them
 * (NULL {@code 60}, ACK = INS or INS^01, one-byte ACK = INS^FF or INS^FE, SW1 {@code 6X}/{@code 9X});
 * the case mapping and TPDU-level {@code 61xx}/{@code 6Cxx} handling of ISO/IEC 7816-3 §12.2 as
 * openemv/emv-utils {@code emv_ttl.c} implements it: case 2 resends on {@code 6Cxx}, cases 2 and 4
 * fetch the answer with GET RESPONSE on {@code 61xx}, case 4 is sent as case 3. Every procedure
 * byte must arrive within the work waiting time.
 *
 * <p>Extended APDUs cannot be carried by T=0 and are refused with {@link ValidationException}.
 *
 * <pre>{@code
 * try (CardChannel ch = T0Protocol.builder(atr).build(link)) {
 *   ResponseApdu fci = ch.transmit(CommandApdu.of(0x00, 0xA4, 0x04, 0x00, aid, 256));
 * }
 * }</pre>
 */
public final class T0Protocol implements CardChannel {
  private static final int MAX_NULLS = 100_000;

  private final ByteLink link;
  private final Duration wwt;
  private final GetResponse.ClaPolicy claPolicy;
  private final int maxRounds;

  private T0Protocol(Builder b, ByteLink link) {
    this.link = link;
    this.wwt = b.wwt != null ? b.wwt : b.timing.wwt();
    this.claPolicy = b.claPolicy;
    this.maxRounds = b.maxRounds;
  }

  /**
   * @param atr the card's ATR (WI and Fi give the work waiting time)
   * @return a builder
   */
  public static Builder builder(Atr atr) {
    return new Builder(atr);
  }

  /** @return the work waiting time in use */
  public Duration wwt() {
    return wwt;
  }

  @Override
  public synchronized ResponseApdu transmit(CommandApdu c) {
    if (c.needsExtended()) {
      throw new ValidationException("command", "extended APDUs cannot be sent under T=0 (wrap them in ENVELOPE, or use T=1)");
    }
    int ins = c.ins();
    if ((ins & 0xF0) == 0x60 || (ins & 0xF0) == 0x90) {
      throw new ValidationException("ins", "INS " + Hex.byteToHex(ins) + " is invalid under T=0");
    }
    switch (c.withExtended(false).apduCase()) {   // T=0 carries short cases only: an extended form that fits goes as short
      case CASE_1:
        return tpdu(c.cla(), ins, c.p1(), c.p2(), 0, null, 0);
      case CASE_3S:
        return tpdu(c.cla(), ins, c.p1(), c.p2(), c.nc(), c.data().toByteArray(), 0);
      case CASE_2S: {
        int le = c.ne();
        ResponseApdu r = tpdu(c.cla(), ins, c.p1(), c.p2(), le & 0xFF, null, le);
        if (r.sw1() == 0x6C) {
          int exact = r.sw2() == 0 ? 256 : r.sw2();
          r = tpdu(c.cla(), ins, c.p1(), c.p2(), exact & 0xFF, null, exact);
        }
        return r.sw1() == 0x61 ? getResponse(c, r) : r;
      }
      default: { // CASE_4S: sent as case 3
        ResponseApdu r = tpdu(c.cla(), ins, c.p1(), c.p2(), c.nc(), c.data().toByteArray(), 0);
        return r.sw1() == 0x61 ? getResponse(c, r) : r;
      }
    }
  }

  /**
   * Exchanges one command TPDU as a TPDU-level reader does (CCID {@code CmdXfrBlockTPDU_T0}): a 5-byte
   * TPDU is case 1 or 2 (P3 is Le), a longer one is case 3 (P3 is Lc and the data follow). No
   * GET RESPONSE and no 6Cxx resend: {@code 61xx}/{@code 6Cxx} are returned as they come. A 4-byte
   * case-1 command is sent with P3 = 00, as the CCID driver's TPDU path hands it over unpadded.
   *
   * @param tpdu CLA INS P1 P2 [P3 [data]]
   * @return the response TPDU: data then SW1 SW2
   * @throws ValidationException if the TPDU is shorter than 5 bytes or P3 does not match the data
   */
  public synchronized Bytes transmitTpdu(Bytes tpdu) {
    if (tpdu.length() == 4) {
      tpdu = Bytes.concat(tpdu, Bytes.ofUnsigned(0));
    }
    int n = tpdu.length();
    if (n < 5) {
      throw new ValidationException("tpdu", "needs a 4- or 5-byte header, got " + n + " bytes");
    }
    int ins = tpdu.getUnsigned(1);
    if ((ins & 0xF0) == 0x60 || (ins & 0xF0) == 0x90) {
      throw new ValidationException("ins", "INS " + Hex.byteToHex(ins) + " is invalid under T=0");
    }
    int p3 = tpdu.getUnsigned(4);
    ResponseApdu r;
    if (n == 5) {
      r = tpdu(tpdu.getUnsigned(0), ins, tpdu.getUnsigned(2), tpdu.getUnsigned(3), p3, null, p3 == 0 ? 256 : p3);
    } else {
      if (n - 5 != p3) {
        throw new ValidationException("tpdu", "P3 " + Hex.byteToHex(p3) + " announces " + p3 + " data bytes, "
            + (n - 5) + " follow");
      }
      r = tpdu(tpdu.getUnsigned(0), ins, tpdu.getUnsigned(2), tpdu.getUnsigned(3), p3,
          tpdu.slice(5).toByteArray(), 0);
    }
    return r.encode();
  }

  private ResponseApdu getResponse(CommandApdu c, ResponseApdu first) {
    int cla = claPolicy == GetResponse.ClaPolicy.SAME_AS_COMMAND ? c.cla() : (c.cla() & 0x03);
    ByteArrayOutputStream acc = new ByteArrayOutputStream();
    acc.writeBytes(first.data().toByteArray());
    ResponseApdu r = first;
    int rounds = 0;
    while (r.sw1() == 0x61) {
      if (++rounds > maxRounds) {
        throw new TransportException("T=0 on " + link.name() + ": card still answers 61xx after " + maxRounds
            + " GET RESPONSE");
      }
      int avail = r.sw2() == 0 ? 256 : r.sw2();
      r = tpdu(cla, 0xC0, 0, 0, avail & 0xFF, null, avail);
      if (r.sw1() == 0x6C) {
        int exact = r.sw2() == 0 ? 256 : r.sw2();
        r = tpdu(cla, 0xC0, 0, 0, exact & 0xFF, null, exact);
      }
      acc.writeBytes(r.data().toByteArray());
    }
    return new ResponseApdu(OwnedBytes.wrap(acc.toByteArray()), r.sw());
  }

  /** One command TPDU: header, then procedure bytes until SW1 SW2. */
  private ResponseApdu tpdu(int cla, int ins, int p1, int p2, int p3, byte[] dataIn, int expectOut) {
    link.discardInput();
    link.write(new byte[] {(byte) cla, (byte) ins, (byte) p1, (byte) p2, (byte) p3}, 0, 5);
    int sent = 0;
    int toSend = dataIn == null ? 0 : dataIn.length;
    byte[] out = new byte[expectOut];
    int got = 0;
    int nulls = 0;
    while (true) {
      int pb = readByte("procedure byte");
      if (pb == 0x60) {
        if (++nulls > MAX_NULLS) {
          throw new TransportException("T=0 on " + link.name() + ": more than " + MAX_NULLS + " NULL bytes");
        }
        continue;
      }
      if ((pb & 0xF0) == 0x60 || (pb & 0xF0) == 0x90) {
        int sw2 = readByte("SW2");
        Bytes data = got == out.length ? OwnedBytes.wrap(out) : Bytes.of(out, 0, got);
        return new ResponseApdu(data, StatusWord.of(pb, sw2));
      }
      boolean all = pb == ins || pb == (ins ^ 0x01);
      boolean one = pb == (ins ^ 0xFF) || pb == (ins ^ 0xFE);
      if (!all && !one) {
        throw new TransportException("T=0 on " + link.name() + ": unexpected procedure byte " + Hex.byteToHex(pb)
            + " for INS " + Hex.byteToHex(ins));
      }
      if (sent < toSend) {
        int n = all ? toSend - sent : 1;
        link.write(dataIn, sent, n);
        sent += n;
      } else if (got < expectOut) {
        int n = all ? expectOut - got : 1;
        for (int i = 0; i < n; i++) {
          out[got++] = (byte) readByte("response data byte " + got);
        }
      } else {
        throw new TransportException("T=0 on " + link.name() + ": ACK " + Hex.byteToHex(pb)
            + " but no data is left to transfer");
      }
    }
  }

  private int readByte(String what) {
    int b = link.read(wwt);
    if (b < 0) {
      throw new TransportException("T=0 on " + link.name() + ": no " + what + " within WWT " + wwt.toMillis() + " ms");
    }
    return b;
  }

  /** Nothing to release: the link belongs to the caller. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "T0Protocol[" + link.name() + " WWT " + wwt.toMillis() + " ms]";
  }

  /** Configures a {@link T0Protocol}. */
  public static final class Builder {
    private Timing timing;
    private Duration wwt;
    private GetResponse.ClaPolicy claPolicy = GetResponse.ClaPolicy.INTERINDUSTRY;
    private int maxRounds = 64;

    private Builder(Atr atr) {
      if (atr == null) {
        throw new ValidationException("atr", "must not be null");
      }
      this.timing = Timing.of(atr, FiDi.isValid(atr.fiDi()) ? atr.fiDi() : FiDi.DEFAULT_TA1, 3_571_200);
    }

    /** @param t the timing in use (clock, Fi/Di, WI) @return this builder */
    public Builder timing(Timing t) {
      if (t == null) {
        throw new ValidationException("timing", "must not be null");
      }
      this.timing = t;
      return this;
    }

    /** @param d work waiting time override @return this builder */
    public Builder wwt(Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new ValidationException("wwt", "must be positive");
      }
      this.wwt = d;
      return this;
    }

    /** @param p CLA of GET RESPONSE: 00 (EMV) by default, or the command's @return this builder */
    public Builder getResponseCla(GetResponse.ClaPolicy p) {
      if (p == null) {
        throw new ValidationException("getResponseCla", "must not be null");
      }
      this.claPolicy = p;
      return this;
    }

    /** @param n most GET RESPONSE per command, 1..1024 (default 64) @return this builder */
    public Builder maxRounds(int n) {
      if (n < 1 || n > 1024) {
        throw new ValidationException("maxRounds", "must be 1..1024, was " + n);
      }
      this.maxRounds = n;
      return this;
    }

    /**
     * @param link the link, just after ATR (and PPS)
     * @return the channel
     */
    public T0Protocol build(ByteLink link) {
      if (link == null) {
        throw new ValidationException("link", "must not be null");
      }
      return new T0Protocol(this, link);
    }
  }
}
