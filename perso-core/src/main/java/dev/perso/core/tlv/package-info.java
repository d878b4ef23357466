/**
 * BER-TLV per ISO/IEC 7816-4 §5.2 and EMV Book 3 Annex B: {@link dev.perso.core.tlv.Tag},
 * {@link dev.perso.core.tlv.Tlv}, the strict {@link dev.perso.core.tlv.TlvParser}, data object
 * lists ({@link dev.perso.core.tlv.Dol}), the {@link dev.perso.core.tlv.EmvTags} dictionary and the
 * {@link dev.perso.core.tlv.TlvPrinter}.
 *
 * <pre>{@code
 * List<Tlv> record = TlvParser.strict().parse(response.data());
 * Tlv.find(record, Tag.of(0x5F24)).map(Tlv::value);   // expiry date
 * System.out.print(TlvPrinter.masked().print(record)); // PAN and track data masked
 * }</pre>
 */
package dev.perso.core.tlv;
