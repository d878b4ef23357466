/** JMH benchmarks for the Perso SDK. Run from the uber-jar: {@code java -jar benchmarks/target/benchmarks.jar}. */
module dev.perso.benchmarks {
  requires dev.perso.core;
  requires dev.perso.crypto;
  requires dev.perso.iso7813;
  requires dev.perso.emv;
  requires dev.perso.devices;
  requires jmh.core;
  requires java.management;
  requires org.bouncycastle.provider;
  requires core; // com.yubico.yubikit:core (automatic module), benchmark baseline only

  opens dev.perso.benchmarks;
}
