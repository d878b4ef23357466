package dev.perso.core.channel;

import dev.perso.core.PersoException;
import dev.perso.core.tlv.EmvTags;
import dev.perso.core.tlv.Tag;

/**
 * A tolerant BER-TLV scan for sensitive tags: it reads as far as the data parses, never throws, descends
 * into constructed objects (templates 70, 77, 6F, A5, BF0C, ...) and clamps a value that runs past its end
 * to what is there, so a truncated or padded response is still searched.
 */
final class SensitiveTlv {
  private static final int MAX_DEPTH = 16;

  private SensitiveTlv() {}

  static boolean in(byte[] b) {
    return scan(b, 0, b.length, 1);
  }

  private static boolean scan(byte[] b, int from, int end, int depth) {
    int p = from;
    while (p < end) {
      int first = b[p] & 0xFF;
      if (first == 0x00 || first == 0xFF) {   // padding between objects (EMV Book 3 Annex B1)
        p++;
        continue;
      }
      p++;
      int tag = first;
      if ((first & 0x1F) == 0x1F) {
        int more = 0;
        while (true) {
          if (p >= end || more == 3) {
            return false;   // truncated or over-long tag: nothing more can be read
          }
          int next = b[p++] & 0xFF;
          tag = tag << 8 | next;
          more++;
          if ((next & 0x80) == 0) {
            break;
          }
        }
      }
      if (sensitive(tag)) {
        return true;   // whatever its length field says, its value is cardholder data
      }
      if (p >= end) {
        return false;
      }
      int lb = b[p++] & 0xFF;
      long len;
      if (lb < 0x80) {
        len = lb;
      } else if (lb == 0x80 || lb > 0x84) {
        return false;
      } else {
        int n = lb & 0x7F;
        if (end - p < n) {
          return false;
        }
        len = 0;
        for (int i = 0; i < n; i++) {
          len = len << 8 | (b[p++] & 0xFF);
        }
      }
      int valueEnd = (int) Math.min(end, p + len);
      if ((first & 0x20) != 0 && depth < MAX_DEPTH && scan(b, p, valueEnd, depth + 1)) {
        return true;
      }
      p = valueEnd;
    }
    return false;
  }

  static boolean sensitive(int tag) {
    try {
      return EmvTags.isSensitive(Tag.of(tag));
    } catch (PersoException e) {
      return false;
    }
  }
}
