package dev.perso.core.apdu;

import java.util.Map;
import java.util.Optional;

/**
 * Names of the instruction bytes a personalizer meets: ISO/IEC 7816-4 interindustry commands (§11
 * and table 4), GlobalPlatform Card Spec 2.3 §11 commands (CLA 8x) and EMV Book 3 §6.5 commands.
 *
 * <pre>{@code
 * Instructions.name(CommandApdu.of(0x80, 0xE2, 0x80, 0x00));   // Optional[STORE DATA]
 * }</pre>
 */
public final class Instructions {
  // ISO/IEC 7816-4 interindustry instructions (CLA 0x).
  private static final Map<Integer, String> ISO = Map.ofEntries(
      Map.entry(0x04, "DEACTIVATE FILE"),
      Map.entry(0x0E, "ERASE BINARY"),
      Map.entry(0x10, "PERFORM SCQL OPERATION"),
      Map.entry(0x20, "VERIFY"),
      Map.entry(0x21, "VERIFY"),
      Map.entry(0x22, "MANAGE SECURITY ENVIRONMENT"),
      Map.entry(0x24, "CHANGE REFERENCE DATA"),
      Map.entry(0x26, "DISABLE VERIFICATION REQUIREMENT"),
      Map.entry(0x28, "ENABLE VERIFICATION REQUIREMENT"),
      Map.entry(0x2A, "PERFORM SECURITY OPERATION"),
      Map.entry(0x2C, "RESET RETRY COUNTER"),
      Map.entry(0x44, "ACTIVATE FILE"),
      Map.entry(0x46, "GENERATE ASYMMETRIC KEY PAIR"),
      Map.entry(0x70, "MANAGE CHANNEL"),
      Map.entry(0x82, "EXTERNAL AUTHENTICATE"),
      Map.entry(0x84, "GET CHALLENGE"),
      Map.entry(0x86, "GENERAL AUTHENTICATE"),
      Map.entry(0x88, "INTERNAL AUTHENTICATE"),
      Map.entry(0xA0, "SEARCH BINARY"),
      Map.entry(0xA2, "SEARCH RECORD"),
      Map.entry(0xA4, "SELECT"),
      Map.entry(0xB0, "READ BINARY"),
      Map.entry(0xB1, "READ BINARY"),
      Map.entry(0xB2, "READ RECORD"),
      Map.entry(0xB3, "READ RECORD"),
      Map.entry(0xC0, "GET RESPONSE"),
      Map.entry(0xC2, "ENVELOPE"),
      Map.entry(0xCA, "GET DATA"),
      Map.entry(0xCB, "GET DATA"),
      Map.entry(0xD0, "WRITE BINARY"),
      Map.entry(0xD2, "WRITE RECORD"),
      Map.entry(0xD6, "UPDATE BINARY"),
      Map.entry(0xDA, "PUT DATA"),
      Map.entry(0xDB, "PUT DATA"),
      Map.entry(0xDC, "UPDATE RECORD"),
      Map.entry(0xE0, "CREATE FILE"),
      Map.entry(0xE2, "APPEND RECORD"),
      Map.entry(0xE4, "DELETE FILE"),
      Map.entry(0xE6, "TERMINATE DF"),
      Map.entry(0xE8, "TERMINATE EF"),
      Map.entry(0xFE, "TERMINATE CARD USAGE"));

  // Proprietary class (CLA 8x/9x/Ex): GlobalPlatform and EMV meanings.
  private static final Map<Integer, String> PROPRIETARY = Map.ofEntries(
      Map.entry(0x18, "APPLICATION UNBLOCK"),
      Map.entry(0x1E, "APPLICATION BLOCK"),
      Map.entry(0x16, "CARD BLOCK"),
      Map.entry(0x24, "PIN CHANGE/UNBLOCK"),
      Map.entry(0x50, "INITIALIZE UPDATE"),
      Map.entry(0x82, "EXTERNAL AUTHENTICATE"),
      Map.entry(0xA8, "GET PROCESSING OPTIONS"),
      Map.entry(0xAE, "GENERATE APPLICATION CRYPTOGRAM"),
      Map.entry(0xCA, "GET DATA"),
      Map.entry(0xCB, "GET DATA"),
      Map.entry(0xD8, "PUT KEY"),
      Map.entry(0xDA, "PUT DATA"),
      Map.entry(0xE2, "STORE DATA"),
      Map.entry(0xE4, "DELETE"),
      Map.entry(0xE6, "INSTALL"),
      Map.entry(0xE8, "LOAD"),
      Map.entry(0xF0, "SET STATUS"),
      Map.entry(0xF2, "GET STATUS"),
      Map.entry(0xC0, "GET RESPONSE"),
      Map.entry(0x78, "END R-MAC SESSION"),
      Map.entry(0x7A, "BEGIN R-MAC SESSION"));

  private Instructions() {}

  /**
   * @param command a command
   * @return the instruction's name for the command's class (interindustry or proprietary), if known
   */
  public static Optional<String> name(CommandApdu command) {
    return name(command.cla(), command.ins());
  }

  /**
   * @param cla class byte; b8 set (8x–Fx) selects the proprietary (GP/EMV) table
   * @param ins instruction byte
   * @return the instruction's name, if known
   */
  public static Optional<String> name(int cla, int ins) {
    boolean proprietary = (cla & 0x80) != 0;
    String n = proprietary ? PROPRIETARY.get(ins) : ISO.get(ins);
    if (n == null && proprietary) {
      n = ISO.get(ins);
    }
    return Optional.ofNullable(n);
  }
}
