/**
 * What surface devices are asked to put on a card: emboss and indent lines, printed faces and laser
 * jobs. Values only; layouts and rendering come from the modules that build them.
 *
 * <pre>{@code
 * embosser.emboss(card, List.of(new EmbossLine("4761 7390 0101 0010", EmbossFont.FARRINGTON_7B, 10.2, 21.0, Topping.SILVER)));
 * }</pre>
 */
package dev.perso.core.surface;
