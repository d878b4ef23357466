package dev.perso.core.device;

import dev.perso.core.ValidationException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A device address: {@code scheme:path?key=value&key=value}. The path is free text (reader names have
 * spaces and globs: {@code pcsc:ACS ACR39U*}); parameter values are URL-decoded.
 *
 * <pre>{@code
 * DeviceAddress a = DeviceAddress.parse("virtual:chip?ms=6000&contactFailAt=5");
 * a.scheme();                 // "virtual"
 * a.path();                   // "chip"
 * a.intParam("ms", 0);        // 6000
 * }</pre>
 *
 * @param text the address as written
 * @param scheme the part before the first ':'
 * @param path the part between ':' and '?'
 * @param params the parameters, in order
 */
public record DeviceAddress(String text, String scheme, String path, Map<String, String> params) {

  /** Copies the parameters. */
  public DeviceAddress {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /**
   * @param text e.g. {@code virtual:printer?ms=900}
   * @return the parsed address
   * @throws ValidationException if there is no scheme or a parameter has no name
   */
  public static DeviceAddress parse(String text) {
    if (text == null || text.isBlank()) {
      throw new ValidationException("device", "address must not be blank");
    }
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new ValidationException("device", "address '" + text + "' has no scheme (e.g. virtual:chip, pcsc:<reader>)");
    }
    String scheme = text.substring(0, colon);
    if (!scheme.matches("[a-z][a-z0-9+.-]*")) {
      throw new ValidationException("device", "address '" + text + "': scheme must be lower-case letters, digits, + . -");
    }
    String rest = text.substring(colon + 1);
    int q = rest.indexOf('?');
    String path = q < 0 ? rest : rest.substring(0, q);
    Map<String, String> params = new LinkedHashMap<>();
    if (q >= 0 && q + 1 < rest.length()) {
      for (String pair : rest.substring(q + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        if (key.isEmpty()) {
          throw new ValidationException("device", "address '" + text + "': a parameter has no name");
        }
        String value;
        try {
          value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw new ValidationException("device", "address '" + text + "': parameter " + key + " is not URL-encoded");
        }
        if (params.put(key, value) != null) {
          throw new ValidationException("device", "address '" + text + "': parameter " + key + " given twice");
        }
      }
    }
    return new DeviceAddress(text, scheme, path, params);
  }

  /**
   * @param name a parameter name
   * @return its value
   */
  public Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name));
  }

  /**
   * @param name a parameter name
   * @param fallback the value when absent
   * @return the parameter as a long
   * @throws ValidationException naming the address and parameter if it is not a whole number
   */
  public long longParam(String name, long fallback) {
    String v = params.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new ValidationException("device " + text + " " + name, "must be a whole number, was '" + v + "'");
    }
  }

  /**
   * @param name a parameter name
   * @param fallback the value when absent
   * @return the parameter as an int
   */
  public int intParam(String name, int fallback) {
    long v = longParam(name, fallback);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new ValidationException("device " + text + " " + name, "out of range");
    }
    return (int) v;
  }

  /**
   * @param name a parameter name
   * @param fallback the value when absent
   * @return the parameter as a double
   */
  public double doubleParam(String name, double fallback) {
    String v = params.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new ValidationException("device " + text + " " + name, "must be a number, was '" + v + "'");
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
