package dev.perso.devices.surface;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.MultiFormatWriter;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import dev.perso.core.ValidationException;
import java.util.Map;

/** Barcode symbols through ZXing's encoders (never a hand-written encoder). */
final class Barcodes {
  private Barcodes() {}

  /**
   * @param element for errors
   * @param format symbology
   * @param content the data
   * @return the symbol's modules (1D: one row), with ZXing's quiet zone
   * @throws ValidationException naming the element when the symbology cannot encode the content
   */
  static BitMatrix encode(String element, PrintElement.Format format, String content) {
    BarcodeFormat f = BarcodeFormat.valueOf(format.name());
    try {
      // Width/height 0: the symbol's natural module size; the renderer scales it to its box.
      return new MultiFormatWriter().encode(content, f, 0, 0, Map.of(EncodeHintType.MARGIN, f == BarcodeFormat.QR_CODE
          || f == BarcodeFormat.AZTEC || f == BarcodeFormat.DATA_MATRIX ? 1 : 4));
    } catch (WriterException | IllegalArgumentException e) {
      throw new ValidationException(element, format + " cannot encode the content: " + e.getMessage()
          .replace(content, "<content>"));
    }
  }
}
