/**
 * Cardholder values with types: {@link dev.perso.core.cardholder.Pan} (digits, the Luhn check, the BIN and
 * the one masking rule), {@link dev.perso.core.cardholder.Expiry}, and the secrets
 * {@link dev.perso.core.cardholder.Pin} and {@link dev.perso.core.cardholder.Cvv}, which print as their
 * length only and are wiped when closed.
 *
 * <pre>{@code
 * Pan pan = Pan.of("4761739001010010");
 * log.info("card {}", pan);                 // card ************0010
 * }</pre>
 */
package dev.perso.core.cardholder;
