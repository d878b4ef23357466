package dev.perso.devices.cups.internal;

import dev.perso.core.ValidationException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.Deflater;

/**
 * Writes a PDF (ISO 32000-1, written as version 1.4) whose pages are exactly an ID-1 card, 85.60 x 53.98 mm
 * = 242.65 x 153.01 pt, each filled edge to edge with one face image (an 8-bit RGB or grey image XObject,
 * Flate-compressed). Optional text lines go on the first page in invisible text rendering mode 3: a print
 * driver that looks for its escapes in the job's text (magnetic tracks) finds them, and nothing shows on the
 * card. Only what a card face needs: one image per page, one base-14 font, a classic cross-reference table.
 */
public final class CardPdf {
  /** ID-1 width in points: 85.60 mm x 72 / 25.4. */
  public static final String WIDTH_PT = "242.65";
  /** ID-1 height in points: 53.98 mm x 72 / 25.4. */
  public static final String HEIGHT_PT = "153.01";

  private CardPdf() {}

  /** One page: a face and whether it is printed in grey only. */
  public record Page(BufferedImage face, boolean grey) {
    /** Checks the face. */
    public Page {
      Objects.requireNonNull(face, "face");
      if (face.getWidth() < 1 || face.getHeight() < 1) {
        throw new ValidationException("face", "image must not be empty");
      }
    }
  }

  /**
   * @param pages the faces, in print order (front first)
   * @param hiddenText lines of invisible text on the first page (may be empty); printable ASCII only
   * @return the PDF file
   */
  public static byte[] write(List<Page> pages, List<String> hiddenText) {
    if (pages.isEmpty()) {
      throw new ValidationException("pages", "a card PDF needs at least one face");
    }
    for (String line : hiddenText) {
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c < 0x20 || c > 0x7E) {
          throw new ValidationException("hidden text", "must be printable ASCII (0x20..0x7E), found 0x"
              + Integer.toHexString(c) + " at " + i);
        }
      }
    }
    Writer w = new Writer();
    int n = pages.size();
    // objects: 1 catalog, 2 pages, 3 font, then per page: page, content, image
    List<String> kids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      kids.add((4 + 3 * i) + " 0 R");
    }
    w.object(1, "<< /Type /Catalog /Pages 2 0 R >>");
    w.object(2, "<< /Type /Pages /Kids [" + String.join(" ", kids) + "] /Count " + n + " >>");
    w.object(3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    for (int i = 0; i < n; i++) {
      int page = 4 + 3 * i;
      Page p = pages.get(i);
      w.object(page, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + WIDTH_PT + " " + HEIGHT_PT + "] /Resources"
          + " << /XObject << /Face " + (page + 2) + " 0 R >> /Font << /F0 3 0 R >> >> /Contents " + (page + 1)
          + " 0 R >>");
      StringBuilder content = new StringBuilder();
      content.append("q ").append(WIDTH_PT).append(" 0 0 ").append(HEIGHT_PT).append(" 0 0 cm /Face Do Q\n");
      if (i == 0 && !hiddenText.isEmpty()) {
        content.append("BT 3 Tr /F0 6 Tf 4 ").append(6 + 8 * (hiddenText.size() - 1)).append(" Td\n");
        for (int l = 0; l < hiddenText.size(); l++) {
          if (l > 0) {
            content.append("0 -8 Td\n");
          }
          content.append('(').append(escape(hiddenText.get(l))).append(") Tj\n");
        }
        content.append("ET\n");
      }
      w.stream(page + 1, "", content.toString().getBytes(StandardCharsets.US_ASCII), false);
      BufferedImage img = p.face();
      int wpx = img.getWidth();
      int hpx = img.getHeight();
      int comps = p.grey() ? 1 : 3;
      byte[] raw = new byte[wpx * hpx * comps];
      int k = 0;
      for (int y = 0; y < hpx; y++) {
        for (int x = 0; x < wpx; x++) {
          int rgb = img.getRGB(x, y);
          int r = (rgb >> 16) & 0xFF;
          int g = (rgb >> 8) & 0xFF;
          int b = rgb & 0xFF;
          int alpha = (rgb >>> 24);
          if (alpha < 255) { // composite over the white card
            r = (r * alpha + 255 * (255 - alpha)) / 255;
            g = (g * alpha + 255 * (255 - alpha)) / 255;
            b = (b * alpha + 255 * (255 - alpha)) / 255;
          }
          if (p.grey()) {
            raw[k++] = (byte) ((r * 299 + g * 587 + b * 114) / 1000);
          } else {
            raw[k++] = (byte) r;
            raw[k++] = (byte) g;
            raw[k++] = (byte) b;
          }
        }
      }
      w.stream(page + 2, "/Type /XObject /Subtype /Image /Width " + wpx + " /Height " + hpx + " /ColorSpace "
          + (p.grey() ? "/DeviceGray" : "/DeviceRGB") + " /BitsPerComponent 8", raw, true);
    }
    return w.finish(1);
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(' || c == ')' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /** Objects numbered 1..n in order, with their byte offsets for the cross-reference table. */
  private static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
    private final List<Integer> offsets = new ArrayList<>();

    Writer() {
      ascii("%PDF-1.4\n");
      out.write(new byte[] {'%', (byte) 0xE2, (byte) 0xE3, (byte) 0xCF, (byte) 0xD3, '\n'}, 0, 6);
    }

    private void ascii(String s) {
      byte[] b = s.getBytes(StandardCharsets.US_ASCII);
      out.write(b, 0, b.length);
    }

    private void begin(int number) {
      if (number != offsets.size() + 1) {
        throw new IllegalStateException("objects must be written in order");
      }
      offsets.add(out.size());
      ascii(number + " 0 obj\n");
    }

    void object(int number, String dict) {
      begin(number);
      ascii(dict + "\nendobj\n");
    }

    void stream(int number, String dictEntries, byte[] data, boolean deflate) {
      byte[] body = data;
      String filter = "";
      if (deflate) {
        Deflater d = new Deflater(Deflater.BEST_SPEED);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream z = new ByteArrayOutputStream(data.length / 4 + 64);
        byte[] buf = new byte[1 << 16];
        while (!d.finished()) {
          int len = d.deflate(buf);
          z.write(buf, 0, len);
        }
        d.end();
        body = z.toByteArray();
        filter = " /Filter /FlateDecode";
      }
      begin(number);
      ascii("<< " + (dictEntries.isEmpty() ? "" : dictEntries + " ") + "/Length " + body.length + filter
          + " >>\nstream\n");
      out.write(body, 0, body.length);
      ascii("\nendstream\nendobj\n");
    }

    byte[] finish(int root) {
      int xref = out.size();
      StringBuilder sb = new StringBuilder();
      sb.append("xref\n0 ").append(offsets.size() + 1).append("\n0000000000 65535 f\r\n");
      for (int off : offsets) {
        sb.append(String.format("%010d 00000 n\r\n", off));
      }
      sb.append("trailer\n<< /Size ").append(offsets.size() + 1).append(" /Root ").append(root)
          .append(" 0 R >>\nstartxref\n").append(xref).append("\n%%EOF\n");
      ascii(sb.toString());
      return out.toByteArray();
    }
  }
}
