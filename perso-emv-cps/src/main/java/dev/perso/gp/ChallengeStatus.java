package dev.perso.gp;

/**
 * What the host found when it checked the card challenge.
 *
 * <pre>{@code
 * if (secure.challengeStatus() == ChallengeStatus.MISMATCH_IGNORED) { log.warn("non-conforming card challenge"); }
 * }</pre>
 */
public enum ChallengeStatus {
  /** The card's "i" says the challenge is random: nothing to check. */
  RANDOM,
  /** The pseudo-random challenge matched the one computed from the keys, counter and AID. */
  VERIFIED,
  /** The pseudo-random challenge did not match and {@link GpOptions.ChallengeCheck#REPORT} let the session continue. */
  MISMATCH_IGNORED
}
