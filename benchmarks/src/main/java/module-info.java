/** JMH benchmarks for the Perso SDK. Run from the uber-jar: {@code java -jar benchmarks/target/benchmarks.jar}. */
module dev.perso.benchmarks {
  requires dev.perso.core;
  requires dev.perso.devices;
  requires jmh.core;

  opens dev.perso.benchmarks;
}
