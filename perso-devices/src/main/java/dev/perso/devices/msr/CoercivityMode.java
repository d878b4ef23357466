package dev.perso.devices.msr;

/**
 * The write current an MSR206-family encoder uses: high coercivity ({@code ESC x}, about 2750 Oe, black
 * stripes) or low coercivity ({@code ESC y}, about 300 Oe, brown stripes); notes magstripe-surface.md §1.6
 * and §3.2. A Lo-Co write does not take on a Hi-Co stripe, which the read-back catches.
 *
 * <pre>{@code
 * encoder.coercivity(CoercivityMode.HI_CO);
 * }</pre>
 */
public enum CoercivityMode {
  /** High coercivity. */
  HI_CO,
  /** Low coercivity. */
  LO_CO
}
