package dev.perso.core.tlv;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Dictionary of EMV data elements: tag to name, whether the value is text, and whether it is
 * sensitive (account number, track data, cardholder name, PIN data).
 *
 * <p>Names are those of EMV Book 3 v4.3/4.4 Annex A1 ("Data Elements Dictionary"), plus a few
 * elements defined elsewhere that personalization and card tracing meet often, each marked with its
 * source below. Sensitive values are masked by {@link Tlv#toString()} and by the default
 * {@link TlvPrinter}.
 *
 * <pre>{@code
 * EmvTags.name(Tag.of(0x82));            // Optional["Application Interchange Profile"]
 * EmvTags.isSensitive(Tag.of(0x57));     // true
 * EmvTags.lookup(Tag.of(0x50)).get().text();   // true: printed as ASCII too
 * }</pre>
 */
public final class EmvTags {

  /**
   * One dictionary entry.
   *
   * @param tag the tag
   * @param name the name as the specification writes it
   * @param text true if the value is alphanumeric text (formats a, an, ans) worth printing as ASCII
   * @param sensitive true if the value must not be printed or logged by default
   */
  public record DataElement(Tag tag, String name, boolean text, boolean sensitive) {}

  private static final int PLAIN = 0;
  private static final int TEXT = 1;
  private static final int SENSITIVE = 2;

  private static final Map<Tag, DataElement> ELEMENTS = new HashMap<>(256);

  static {
    // EMV Book 3 v4.3 Annex A1, Table 33 (data elements), in tag order.
    put(0x42, "Issuer Identification Number (IIN)", PLAIN);
    put(0x4F, "Application Identifier (AID) - card", PLAIN);
    put(0x50, "Application Label", TEXT);
    put(0x57, "Track 2 Equivalent Data", SENSITIVE);
    put(0x5A, "Application Primary Account Number (PAN)", SENSITIVE);
    put(0x5F20, "Cardholder Name", TEXT | SENSITIVE);
    put(0x5F24, "Application Expiration Date", PLAIN);
    put(0x5F25, "Application Effective Date", PLAIN);
    put(0x5F28, "Issuer Country Code", PLAIN);
    put(0x5F2A, "Transaction Currency Code", PLAIN);
    put(0x5F2D, "Language Preference", TEXT);
    put(0x5F30, "Service Code", PLAIN);
    put(0x5F34, "Application Primary Account Number (PAN) Sequence Number", PLAIN);
    put(0x5F36, "Transaction Currency Exponent", PLAIN);
    put(0x5F50, "Issuer URL", TEXT);
    put(0x5F53, "International Bank Account Number (IBAN)", SENSITIVE);
    put(0x5F54, "Bank Identifier Code (BIC)", TEXT);
    put(0x5F55, "Issuer Country Code (alpha2 format)", TEXT);
    put(0x5F56, "Issuer Country Code (alpha3 format)", TEXT);
    put(0x61, "Application Template", PLAIN);
    put(0x6F, "File Control Information (FCI) Template", PLAIN);
    put(0x70, "READ RECORD Response Message Template", PLAIN);
    put(0x71, "Issuer Script Template 1", PLAIN);
    put(0x72, "Issuer Script Template 2", PLAIN);
    put(0x73, "Directory Discretionary Template", PLAIN);
    put(0x77, "Response Message Template Format 2", PLAIN);
    put(0x80, "Response Message Template Format 1", PLAIN);
    put(0x81, "Amount, Authorised (Binary)", PLAIN);
    put(0x82, "Application Interchange Profile", PLAIN);
    put(0x83, "Command Template", PLAIN);
    put(0x84, "Dedicated File (DF) Name", PLAIN);
    put(0x86, "Issuer Script Command", PLAIN);
    put(0x87, "Application Priority Indicator", PLAIN);
    put(0x88, "Short File Identifier (SFI)", PLAIN);
    put(0x89, "Authorisation Code", PLAIN);
    put(0x8A, "Authorisation Response Code", TEXT);
    put(0x8C, "Card Risk Management Data Object List 1 (CDOL1)", PLAIN);
    put(0x8D, "Card Risk Management Data Object List 2 (CDOL2)", PLAIN);
    put(0x8E, "Cardholder Verification Method (CVM) List", PLAIN);
    put(0x8F, "Certification Authority Public Key Index", PLAIN);
    put(0x90, "Issuer Public Key Certificate", PLAIN);
    put(0x91, "Issuer Authentication Data", PLAIN);
    put(0x92, "Issuer Public Key Remainder", PLAIN);
    put(0x93, "Signed Static Application Data", PLAIN);
    put(0x94, "Application File Locator (AFL)", PLAIN);
    put(0x95, "Terminal Verification Results", PLAIN);
    put(0x97, "Transaction Certificate Data Object List (TDOL)", PLAIN);
    put(0x98, "Transaction Certificate (TC) Hash Value", PLAIN);
    put(0x99, "Transaction Personal Identification Number (PIN) Data", SENSITIVE);
    put(0x9A, "Transaction Date", PLAIN);
    put(0x9B, "Transaction Status Information", PLAIN);
    put(0x9C, "Transaction Type", PLAIN);
    put(0x9D, "Directory Definition File (DDF) Name", PLAIN);
    put(0x9F01, "Acquirer Identifier", PLAIN);
    put(0x9F02, "Amount, Authorised (Numeric)", PLAIN);
    put(0x9F03, "Amount, Other (Numeric)", PLAIN);
    put(0x9F04, "Amount, Other (Binary)", PLAIN);
    put(0x9F05, "Application Discretionary Data", PLAIN);
    put(0x9F06, "Application Identifier (AID) - terminal", PLAIN);
    put(0x9F07, "Application Usage Control", PLAIN);
    put(0x9F08, "Application Version Number", PLAIN);
    put(0x9F09, "Application Version Number", PLAIN);
    put(0x9F0B, "Cardholder Name Extended", TEXT | SENSITIVE);
    put(0x9F0D, "Issuer Action Code - Default", PLAIN);
    put(0x9F0E, "Issuer Action Code - Denial", PLAIN);
    put(0x9F0F, "Issuer Action Code - Online", PLAIN);
    put(0x9F10, "Issuer Application Data", PLAIN);
    put(0x9F11, "Issuer Code Table Index", PLAIN);
    put(0x9F12, "Application Preferred Name", TEXT);
    put(0x9F13, "Last Online Application Transaction Counter (ATC) Register", PLAIN);
    put(0x9F14, "Lower Consecutive Offline Limit", PLAIN);
    put(0x9F15, "Merchant Category Code", PLAIN);
    put(0x9F16, "Merchant Identifier", TEXT);
    put(0x9F17, "Personal Identification Number (PIN) Try Counter", PLAIN);
    put(0x9F18, "Issuer Script Identifier", PLAIN);
    put(0x9F1A, "Terminal Country Code", PLAIN);
    put(0x9F1B, "Terminal Floor Limit", PLAIN);
    put(0x9F1C, "Terminal Identification", TEXT);
    put(0x9F1D, "Terminal Risk Management Data", PLAIN);
    put(0x9F1E, "Interface Device (IFD) Serial Number", TEXT);
    put(0x9F1F, "Track 1 Discretionary Data", TEXT | SENSITIVE);
    put(0x9F20, "Track 2 Discretionary Data", SENSITIVE);
    put(0x9F21, "Transaction Time", PLAIN);
    put(0x9F22, "Certification Authority Public Key Index", PLAIN);
    put(0x9F23, "Upper Consecutive Offline Limit", PLAIN);
    put(0x9F26, "Application Cryptogram", PLAIN);
    put(0x9F27, "Cryptogram Information Data", PLAIN);
    put(0x9F2D, "ICC PIN Encipherment Public Key Certificate", PLAIN);
    put(0x9F2E, "ICC PIN Encipherment Public Key Exponent", PLAIN);
    put(0x9F2F, "ICC PIN Encipherment Public Key Remainder", PLAIN);
    put(0x9F32, "Issuer Public Key Exponent", PLAIN);
    put(0x9F33, "Terminal Capabilities", PLAIN);
    put(0x9F34, "Cardholder Verification Method (CVM) Results", PLAIN);
    put(0x9F35, "Terminal Type", PLAIN);
    put(0x9F36, "Application Transaction Counter (ATC)", PLAIN);
    put(0x9F37, "Unpredictable Number", PLAIN);
    put(0x9F38, "Processing Options Data Object List (PDOL)", PLAIN);
    put(0x9F39, "Point-of-Service (POS) Entry Mode", PLAIN);
    put(0x9F3A, "Amount, Reference Currency", PLAIN);
    put(0x9F3B, "Application Reference Currency", PLAIN);
    put(0x9F3C, "Transaction Reference Currency Code", PLAIN);
    put(0x9F3D, "Transaction Reference Currency Exponent", PLAIN);
    put(0x9F40, "Additional Terminal Capabilities", PLAIN);
    put(0x9F41, "Transaction Sequence Counter", PLAIN);
    put(0x9F42, "Application Currency Code", PLAIN);
    put(0x9F43, "Application Reference Currency Exponent", PLAIN);
    put(0x9F44, "Application Currency Exponent", PLAIN);
    put(0x9F45, "Data Authentication Code", PLAIN);
    put(0x9F46, "ICC Public Key Certificate", PLAIN);
    put(0x9F47, "ICC Public Key Exponent", PLAIN);
    put(0x9F48, "ICC Public Key Remainder", PLAIN);
    put(0x9F49, "Dynamic Data Authentication Data Object List (DDOL)", PLAIN);
    put(0x9F4A, "Static Data Authentication Tag List", PLAIN);
    put(0x9F4B, "Signed Dynamic Application Data", PLAIN);
    put(0x9F4C, "ICC Dynamic Number", PLAIN);
    put(0x9F4D, "Log Entry", PLAIN);
    put(0x9F4E, "Merchant Name and Location", TEXT);
    put(0x9F4F, "Log Format", PLAIN);
    put(0xA5, "File Control Information (FCI) Proprietary Template", PLAIN);
    put(0xBF0C, "File Control Information (FCI) Issuer Discretionary Data", PLAIN);

    // Added by EMVCo specification bulletins to Book 3 (Payment Account Reference, ASRPD).
    put(0x9F24, "Payment Account Reference (PAR)", TEXT);
    put(0x9F0A, "Application Selection Registered Proprietary Data (ASRPD)", PLAIN);

    // EMV Contactless Book B (Entry Point).
    put(0x9F29, "Extended Selection", PLAIN);
    put(0x9F2A, "Kernel Identifier", PLAIN);

    // Track data defined by payment-system specifications (contactless magstripe modes);
    // sensitive like their Book 3 counterparts.
    put(0x56, "Track 1 Data", TEXT | SENSITIVE);
    put(0x9F6B, "Track 2 Data", SENSITIVE);
  }

  private EmvTags() {}

  private static void put(int tag, String name, int flags) {
    Tag t = Tag.of(tag);
    ELEMENTS.put(t, new DataElement(t, name, (flags & TEXT) != 0, (flags & SENSITIVE) != 0));
  }

  /**
   * @param tag a tag
   * @return its dictionary entry, if the tag is known
   */
  public static Optional<DataElement> lookup(Tag tag) {
    return Optional.ofNullable(ELEMENTS.get(tag));
  }

  /**
   * @param tag a tag
   * @return its name as the specification writes it, if known
   */
  public static Optional<String> name(Tag tag) {
    DataElement e = ELEMENTS.get(tag);
    return e == null ? Optional.empty() : Optional.of(e.name());
  }

  /**
   * @param tag a tag
   * @return true if its value is sensitive (PAN, track data, cardholder name, PIN data, IBAN)
   */
  public static boolean isSensitive(Tag tag) {
    DataElement e = ELEMENTS.get(tag);
    return e != null && e.sensitive();
  }

  /** @return the number of known data elements */
  public static int size() {
    return ELEMENTS.size();
  }
}
