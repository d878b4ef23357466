/**
 * A simulated wire: {@link dev.perso.devices.link.simulator.MemoryLink}, an in-process pair of
 * {@link dev.perso.devices.link.ByteLink}s, with {@link dev.perso.devices.link.simulator.LinkFaults} to flip
 * bits, drop, duplicate and delay bytes on cue. The package is named for what it is: it simulates a serial
 * line so that a host protocol (T=0, T=1, an encoder's command set) and its peer (a card-side engine in
 * {@code dev.perso.devices.tpdu.card}, an emulator) run in one JVM, reproducibly, without hardware. Real
 * links ({@code dev.perso.devices.serial}) are what a product uses.
 *
 * <pre>{@code
 * MemoryLink.Pair pair = MemoryLink.pair(LinkFaults.builder().seed(42).bitFlip(0.01).build(), LinkFaults.none());
 * try (T1Card side = T1Card.builder(card).serve(pair.card());
 *      CardChannel ch = T1Protocol.builder(Atr.parse(card.atr())).build(pair.host())) {
 *   ch.transmit(select);   // recovers from the flipped bits
 * }
 * }</pre>
 */
package dev.perso.devices.link.simulator;
