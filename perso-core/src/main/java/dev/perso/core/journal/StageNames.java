package dev.perso.core.journal;

/** How journal messages name a stage. */
final class StageNames {
  private StageNames() {}

  /**
   * @param stage a stage's name, or {@code ""}
   * @return {@code " stage NAME"}, or {@code ""} for a job without declared stages
   */
  static String of(String stage) {
    return stage == null || stage.isEmpty() ? "" : " stage " + stage;
  }
}
