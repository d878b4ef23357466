package dev.perso.core.device;

/**
 * What a transport's sensors say about its hoppers and bins.
 *
 * <pre>{@code
 * if (transport.sensors().inputHopperEmpty()) pause("refill the hopper");
 * }</pre>
 *
 * @param inputHopperEmpty true if no blank card is left
 * @param cardsInRejectBin cards in the reject bin, or -1 if the device cannot tell
 * @param cardsInOutputHopper cards in the output hopper, or -1 if the device cannot tell
 * @param coverOpen true if a cover or door is open
 */
public record TransportSensors(boolean inputHopperEmpty, int cardsInRejectBin, int cardsInOutputHopper,
    boolean coverOpen) {}
