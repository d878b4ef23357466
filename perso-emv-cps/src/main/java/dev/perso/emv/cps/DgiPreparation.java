package dev.perso.emv.cps;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import dev.perso.crypto.CipherSpec;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.Padding;
import dev.perso.gp.GpSecureChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sensitive DGIs of one application made ready for STORE DATA: clear ones padded and encrypted under the
 * channel's DEK per the profile's rule, ones under a transport KEK re-encrypted in the backend, PIN blocks
 * translated to the card's format 2 block in the backend.
 */
final class DgiPreparation {
  /** An ISO 9564-1 PIN block's length. */
  private static final int PIN_BLOCK_LENGTH = 8;
  private final Map<String, KeyRef> transportKeys;

  DgiPreparation(Map<String, KeyRef> transportKeys) {
    this.transportKeys = Map.copyOf(transportKeys);
  }

  List<PreparedDgi> prepare(GpSecureChannel secure, String where, CardProfile profile, List<InputDgi> inputs,
      int blockSize) {
    List<PreparedDgi> out = new ArrayList<>();
    for (InputDgi in : inputs) {
      Dgi dgi = in.dgi();
      String field = where + " dgi " + dgi.idHex();
      DgiEncryption rule = profile.encryptionOf(dgi.id());
      Optional<String> kekName = in.transportKey();
      if (!rule.encrypted()) {
        if (kekName.isPresent()) {
          throw new ValidationException(field, "arrives under " + kekName.get() + " but profile " + profile.name()
              + " sends it in clear; it will not be decrypted in the JVM");
        }
        out.add(new PreparedDgi(dgi, false));
        continue;
      }
      Bytes value;
      if (in.pinBlockFormat().isPresent()) {
        value = secure.translatePinBlock(kek(kekName.orElseThrow(), field), in.pinBlockFormat().get(), dgi.value(),
            pinBlockPadding(rule, blockSize, field));
      } else if (kekName.isPresent()) {
        if (dgi.value().length() % blockSize != 0) {
          throw new ValidationException(field, dgi.value().length() + " bytes under " + kekName.get()
              + " are not whole " + blockSize + "-byte blocks; data preparation must apply rule " + rule);
        }
        value = secure.reencryptSensitiveData(kek(kekName.get(), field), CipherSpec.ecb(), dgi.value());
      } else {
        value = secure.encryptSensitiveData(pad(dgi.value(), rule, blockSize, field));
      }
      out.add(new PreparedDgi(Dgi.of(dgi.id(), value), true));
    }
    return out;
  }

  KeyRef kek(String name, String field) {
    KeyRef k = transportKeys.get(name);
    if (k == null) {
      throw new ValidationException(field, "transport key '" + name + "' is not configured");
    }
    return k;
  }

  /** The padding of an 8-byte format 2 PIN block under the profile's rule for its DGI. */
  static Padding pinBlockPadding(DgiEncryption rule, int blockSize, String field) {
    switch (rule) {
      case ENCRYPTED:
        if (blockSize != PIN_BLOCK_LENGTH) {
          throw new ValidationException(field, "an 8-byte PIN block does not fill " + blockSize
              + "-byte blocks and the profile forbids padding");
        }
        return Padding.NONE;
      case ENCRYPTED_PAD_IF_NEEDED:
        return blockSize == PIN_BLOCK_LENGTH ? Padding.NONE : Padding.METHOD_2;
      default:
        return Padding.METHOD_2;
    }
  }

  static Bytes pad(Bytes value, DgiEncryption rule, int blockSize, String field) {
    boolean aligned = value.length() % blockSize == 0 && !value.isEmpty();
    switch (rule) {
      case ENCRYPTED:
        if (!aligned) {
          throw new ValidationException(field, value.length() + " bytes are not whole " + blockSize
              + "-byte blocks and the profile forbids padding");
        }
        return value;
      case ENCRYPTED_PAD_IF_NEEDED:
        if (aligned) {
          return value;
        }
        // fall through: pad
      case ENCRYPTED_PADDED: {
        int n = (value.length() / blockSize + 1) * blockSize;
        byte[] p = new byte[n];
        value.copyTo(p, 0);
        p[value.length()] = (byte) 0x80;
        return OwnedBytes.wrap(p).asSecret();
      }
      default:
        return value;
    }
  }
}
