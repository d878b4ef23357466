/**
 * Data preparation for EMV CPS card types: from a cardholder record ({@link dev.perso.emv.prep.Cardholder})
 * and the issuer's keys ({@link dev.perso.emv.prep.IssuerKeys}) to a card record with its
 * {@code applications} section (ICC master keys under the transport KEK with their KCVs, the PIN as an
 * ISO 9564-1 format 1 block under the KEK, records with the track 2 equivalent), and the {@code magstripe}
 * and {@code surface} sections the other steps of the card type read.
 *
 * <pre>{@code
 * CardDataPreparation prep = CardDataPreparation.builder(crypto, issuerKeys).sections(cardType.sections()).build();
 * CardRecord card = prep.prepare(cardholder);
 * writer.println(JsonLinesRecords.toJsonLine(card));
 * }</pre>
 */
package dev.perso.emv.prep;
