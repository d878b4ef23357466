package dev.perso.core;

/**
 * Input bytes or text could not be parsed; the offset of the offending byte (or character) is named.
 *
 * <pre>{@code
 * try {
 *   CommandApdu.parse(raw);
 * } catch (MalformedDataException e) {
 *   System.err.println("bad APDU at byte " + e.offset() + ": " + e.reason());
 * }
 * }</pre>
 */
public class MalformedDataException extends PersoException {
  private static final long serialVersionUID = 1L;

  private final int offset;
  private final String reason;

  /**
   * @param offset zero-based offset of the offending byte or character, or -1 if the input as a
   *     whole is at fault
   * @param reason what is wrong there
   */
  public MalformedDataException(int offset, String reason) {
    super(offset >= 0 ? "malformed data at offset " + offset + ": " + reason : "malformed data: " + reason);
    this.offset = offset;
    this.reason = reason;
  }

  /**
   * For subclasses whose position is not a byte offset (a bit index, a character position): they word
   * the message themselves.
   *
   * @param offset zero-based position of the offending unit, or -1 if the input as a whole is at fault
   * @param reason what is wrong there, without the position
   * @param message the whole message, naming the position in its own unit
   */
  protected MalformedDataException(int offset, String reason, String message) {
    super(message);
    this.offset = offset;
    this.reason = reason;
  }

  /** @return zero-based offset of the offending byte, or -1 if the input as a whole is at fault */
  public int offset() {
    return offset;
  }

  /** @return what is wrong, without the offset */
  public String reason() {
    return reason;
  }
}
