package dev.perso.gp;

/**
 * What GET STATUS asks for, its P1 (GP Card Specification 2.3.1 §11.4.2.1, Table 11-33).
 *
 * <pre>{@code
 * List<RegistryEntry> apps = manager.status(StatusScope.APPLICATIONS);
 * }</pre>
 */
public enum StatusScope {
  /** 80: the Issuer Security Domain only. */
  ISD(0x80),
  /** 40: applications and supplementary security domains. */
  APPLICATIONS(0x40),
  /** 20: executable load files. */
  LOAD_FILES(0x20),
  /** 10: executable load files and their executable modules. */
  LOAD_FILES_AND_MODULES(0x10);

  private final int p1;

  StatusScope(int p1) {
    this.p1 = p1;
  }

  /** @return the GET STATUS P1 */
  public int p1() {
    return p1;
  }

  /**
   * @param p1 a GET STATUS P1
   * @return the scope, or null if P1 names none
   */
  public static StatusScope ofP1(int p1) {
    for (StatusScope s : values()) {
      if (s.p1 == p1) {
        return s;
      }
    }
    return null;
  }
}
