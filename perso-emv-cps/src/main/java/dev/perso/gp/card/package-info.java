/**
 * The card side of GlobalPlatform, for virtual cards and tests: what a real card does at the other end of
 * a {@link dev.perso.gp.GpSecureChannel}. The package is named for that side: {@code dev.perso.gp} is the
 * host (it opens channels, manages cards), {@code dev.perso.gp.card} is the card (it answers them), as
 * {@code dev.perso.emv.card} holds the virtual EMV card. Nothing here is needed to personalize a real card.
 *
 * <ul>
 *   <li>{@link dev.perso.gp.card.ScpCard}: the card side of SCP02 and SCP03. It answers INITIALIZE UPDATE,
 *       checks the host cryptogram and every C-MAC, decrypts command data and protects responses, then
 *       passes the plain commands to an application. Host code is tested against it without hardware.</li>
 *   <li>{@link dev.perso.gp.card.VirtualIsd}: an Issuer Security Domain behind an {@code ScpCard}:
 *       registry, life cycle, key sets (PUT KEY), CPLC.</li>
 * </ul>
 *
 * <pre>{@code
 * ScpCard card = ScpCard.builder(crypto, GpKeys.diversified(kmc, Diversification.EMV_CPS))
 *     .scp02(Scp02Variant.I_55).build();
 * try (GpSecureChannel secure = Scp02.open(VirtualCard.connect(card), GpKeys.diversified(kmc, Diversification.EMV_CPS),
 *     GpOptions.builder(crypto).scp02Variant(Scp02Variant.I_55).build())) {
 *   secure.transmit(command);
 * }
 * }</pre>
 */
package dev.perso.gp.card;
