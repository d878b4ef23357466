/**
 * The card end of ISO/IEC 7816-3 T=0 and T=1: engines that put a {@link dev.perso.core.card.VirtualCard}
 * behind a {@link dev.perso.devices.link.ByteLink}, so that a virtual card answers over a serial line
 * (a socat pty) or an in-memory link as a real card would. The package is named for the side it plays:
 * {@code dev.perso.devices.tpdu} holds the host (interface-device) protocols a product uses,
 * {@code dev.perso.devices.tpdu.card} the card that tests, emulators and benchmarks put at the other end.
 *
 * <ul>
 *   <li>{@link dev.perso.devices.tpdu.card.T0Card}: T=0 procedure bytes, {@code 61xx}/{@code 6Cxx}, GET RESPONSE;</li>
 *   <li>{@link dev.perso.devices.tpdu.card.T1Card}: T=1 blocks, chaining, recovery, IFS, and waiting time
 *       extensions on cue ({@link dev.perso.devices.tpdu.card.WtxPolicy}).</li>
 * </ul>
 *
 * <pre>{@code
 * MemoryLink.Pair pair = MemoryLink.pair();
 * try (T1Card side = T1Card.builder(card).serve(pair.card());
 *      CardChannel ch = T1Protocol.builder(Atr.parse(card.atr())).build(pair.host())) {
 *   ch.transmit(select);
 * }
 * }</pre>
 */
package dev.perso.devices.tpdu.card;
