package dev.perso.gp;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import java.io.ByteArrayOutputStream;
import java.util.Objects;

/**
 * The plain GlobalPlatform card-management commands (CLA 80; a {@link GpSecureChannel} adds the MAC), each
 * encoded as GP Card Specification 2.3.1 chapter 11 lays it out. PUT KEY and key-loading STORE DATA carry
 * encrypted keys and are built by {@link GpCardManager}.
 *
 * <pre>{@code
 * secure.transmit(GpCommands.installAndMakeSelectable(pkg, applet, instance, Privilege.encode(Set.of()), Bytes.empty()));
 * secure.transmit(GpCommands.setCardStatus(CardLifeCycle.SECURED));
 * }</pre>
 */
public final class GpCommands {
  static final int CLA = 0x80;

  private GpCommands() {}

  /**
   * INSTALL [for install and make selectable], P1 {@code 0C} (§11.5.2.3.2, Table 11-43): load file AID,
   * module AID, instance AID, privileges, install parameters ({@code C9 L params}; {@code C9 00} when none,
   * since the field is mandatory) and an empty token.
   *
   * @param loadFile the executable load file (package) AID
   * @param module the executable module (applet class) AID
   * @param instance the new application's AID
   * @param privileges 1 or 3 privilege bytes
   * @param appParameters application-specific parameters, the value of tag C9 (may be empty)
   * @return the command
   */
  public static CommandApdu installAndMakeSelectable(Bytes loadFile, Bytes module, Bytes instance, Bytes privileges,
      Bytes appParameters) {
    return install(0x0C, loadFile, module, instance, privileges, appParameters);
  }

  /**
   * INSTALL [for install] only, P1 {@code 04}: the application stays INSTALLED until made selectable.
   *
   * @param loadFile the load file AID
   * @param module the module AID
   * @param instance the instance AID
   * @param privileges 1 or 3 privilege bytes
   * @param appParameters the value of tag C9 (may be empty)
   * @return the command
   */
  public static CommandApdu install(Bytes loadFile, Bytes module, Bytes instance, Bytes privileges,
      Bytes appParameters) {
    return install(0x04, loadFile, module, instance, privileges, appParameters);
  }

  private static CommandApdu install(int p1, Bytes loadFile, Bytes module, Bytes instance, Bytes privileges,
      Bytes appParameters) {
    RegistryEntry.requireAid("loadFile", loadFile);
    RegistryEntry.requireAid("module", module);
    RegistryEntry.requireAid("instance", instance);
    if (privileges.length() != 1 && privileges.length() != 3) {
      throw new ValidationException("privileges", "must be 1 or 3 bytes, was " + privileges.length());
    }
    Bytes c9 = Bytes.concat(Bytes.ofUnsigned(0xC9), berLength(appParameters.length()), appParameters);
    ByteArrayOutputStream d = new ByteArrayOutputStream();
    lv(d, loadFile);
    lv(d, module);
    lv(d, instance);
    lv(d, privileges);
    d.writeBytes(berLength(c9.length()).toByteArray());
    d.writeBytes(c9.toByteArray());
    d.write(0x00); // no install token (§11.5.2.3.2; tokens only under Delegated Management)
    return CommandApdu.of(CLA, 0xE6, p1, 0x00, OwnedBytes.wrap(d.toByteArray()), 256);
  }

  /**
   * INSTALL [make selectable], P1 {@code 08} (Table 11-44).
   *
   * @param instance the application's AID
   * @param privileges 1 or 3 bytes (only Card Reset is taken into account)
   * @return the command
   */
  public static CommandApdu makeSelectable(Bytes instance, Bytes privileges) {
    RegistryEntry.requireAid("instance", instance);
    ByteArrayOutputStream d = new ByteArrayOutputStream();
    d.write(0);
    d.write(0);
    lv(d, instance);
    lv(d, privileges);
    d.write(0);
    d.write(0);
    return CommandApdu.of(CLA, 0xE6, 0x08, 0x00, OwnedBytes.wrap(d.toByteArray()), 256);
  }

  /**
   * INSTALL [for load], P1 {@code 02} (§11.5.2.3.1, Table 11-42).
   *
   * @param loadFile the load file (package) AID
   * @param securityDomain the security domain to associate it with; empty for the current one
   * @param loadFileDataBlockHash the hash of the load file data block, or empty
   * @return the command
   */
  public static CommandApdu installForLoad(Bytes loadFile, Bytes securityDomain, Bytes loadFileDataBlockHash) {
    RegistryEntry.requireAid("loadFile", loadFile);
    if (!securityDomain.isEmpty()) {
      RegistryEntry.requireAid("securityDomain", securityDomain);
    }
    if (loadFileDataBlockHash.length() > 0x7F) {
      throw new ValidationException("loadFileDataBlockHash", "at most 127 bytes");
    }
    ByteArrayOutputStream d = new ByteArrayOutputStream();
    lv(d, loadFile);
    lv(d, securityDomain);
    lv(d, loadFileDataBlockHash);
    d.write(0); // no load parameters
    d.write(0); // no load token
    return CommandApdu.of(CLA, 0xE6, 0x02, 0x00, OwnedBytes.wrap(d.toByteArray()), 256);
  }

  /**
   * LOAD (§11.6.2): P1 {@code 80} on the last block, else {@code 00}; P2 the block number.
   *
   * @param block the block number 0..255
   * @param last whether this is the last block
   * @param data the block's part of the load file
   * @return the command
   */
  public static CommandApdu load(int block, boolean last, Bytes data) {
    if (block < 0 || block > 0xFF) {
      throw new ValidationException("block", "LOAD block numbers are 00..FF (GP 2.3.1 §11.6.2.2); the load file "
          + "needs more than 256 blocks");
    }
    return CommandApdu.of(CLA, 0xE8, last ? 0x80 : 0x00, block, data, 256);
  }

  /**
   * DELETE (§11.2.2, Tables 11-22/23): {@code 4F L AID}; P2 {@code 80} also deletes related objects (a load
   * file's applications).
   *
   * @param aid the object
   * @param related true to delete the related objects too
   * @return the command
   */
  public static CommandApdu delete(Bytes aid, boolean related) {
    RegistryEntry.requireAid("aid", aid);
    return CommandApdu.of(CLA, 0xE4, 0x00, related ? 0x80 : 0x00,
        Bytes.concat(Bytes.ofUnsigned(0x4F, aid.length()), aid), 256);
  }

  /**
   * DELETE of a key set (§11.2.2.2, Table 11-24): {@code D2 01 KVN}, every key of that version.
   *
   * @param keyVersion the key version 01..7F
   * @return the command
   */
  public static CommandApdu deleteKeySet(int keyVersion) {
    if (keyVersion < 1 || keyVersion > 0x7F) {
      throw new ValidationException("keyVersion", "must be 01..7F");
    }
    return CommandApdu.of(CLA, 0xE4, 0x00, 0x00, Bytes.ofUnsigned(0xD2, 0x01, keyVersion), 256);
  }

  /**
   * SET STATUS of the card (§11.10.2, P1 {@code 80}, Table 11-6): no data.
   *
   * @param state the target state
   * @return the command
   */
  public static CommandApdu setCardStatus(CardLifeCycle state) {
    return CommandApdu.of(CLA, 0xF0, 0x80, state.code());
  }

  /**
   * SET STATUS of an application or security domain (P1 {@code 40}, Tables 11-4/11-5).
   *
   * @param aid the application
   * @param state the target state byte (e.g. 0F PERSONALIZED for a security domain, 83 LOCKED)
   * @return the command
   */
  public static CommandApdu setApplicationStatus(Bytes aid, int state) {
    RegistryEntry.requireAid("aid", aid);
    if (state < 0 || state > 0xFF) {
      throw new ValidationException("state", "one byte");
    }
    return CommandApdu.of(CLA, 0xF0, 0x40, state, aid);
  }

  /**
   * GET STATUS (§11.4.2): search criteria {@code 4F 00} (every entry), P2 {@code 02} for the TLV format
   * ({@code 03} to get the next part after 6310), {@code 00}/{@code 01} for the legacy format.
   *
   * @param scope what to list
   * @param next true for "get next" after 6310
   * @param tlv true for the TLV format, false for the legacy format
   * @return the command
   */
  public static CommandApdu getStatus(StatusScope scope, boolean next, boolean tlv) {
    int p2 = (tlv ? 0x02 : 0x00) | (next ? 0x01 : 0x00);
    return CommandApdu.of(CLA, 0xF2, Objects.requireNonNull(scope, "scope").p1(), p2, Bytes.fromHex("4F00"), 256);
  }

  /**
   * GET DATA (§11.3.2): P1 P2 the tag, e.g. {@code 9F7F} CPLC, {@code 00E0} key information.
   *
   * @param tag a one- or two-byte tag
   * @return the command
   */
  public static CommandApdu getData(int tag) {
    if (tag < 0 || tag > 0xFFFF) {
      throw new ValidationException("tag", "GET DATA takes a tag of at most two bytes");
    }
    return CommandApdu.of(CLA, 0xCA, tag >> 8, tag & 0xFF, Bytes.empty(), 256);
  }

  /**
   * The BER length GP uses inside INSTALL parameters and load files: {@code 00..7F}, {@code 81 xx},
   * {@code 82 xx xx} (GP 2.3.1 §11.5.2.2; {@code 80} is also accepted as one byte by readers).
   *
   * @param n a length 0..65535
   * @return its encoding
   */
  public static Bytes berLength(int n) {
    if (n < 0x80) {
      return Bytes.ofUnsigned(n);
    }
    if (n < 0x100) {
      return Bytes.ofUnsigned(0x81, n);
    }
    if (n <= 0xFFFF) {
      return Bytes.ofUnsigned(0x82, n >> 8, n & 0xFF);
    }
    throw new ValidationException("length", n + " is more than 65535");
  }

  private static void lv(ByteArrayOutputStream d, Bytes v) {
    if (v.length() > 0xFF) {
      throw new ValidationException("data", "a field of " + v.length() + " bytes does not fit a one-byte length");
    }
    d.write(v.length());
    d.writeBytes(v.toByteArray());
  }
}
