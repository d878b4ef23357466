/** The {@code perso} command-line tool and end-to-end demos. Exports only the reference data preparation (for benchmarks). */
module dev.perso.samples {
  requires dev.perso.core;
  requires dev.perso.iso7813;
  requires info.picocli;
  requires com.fasterxml.jackson.databind;
  requires dev.perso.emv;
  requires dev.perso.crypto;
  requires dev.perso.devices;

  exports dev.perso.samples.prep;

  opens dev.perso.samples.cli to info.picocli;
  opens dev.perso.samples.demo to com.fasterxml.jackson.databind;
}
