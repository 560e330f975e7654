package org.welcomeline.bench;

import java.lang.management.ManagementFactory;
import org.welcomeline.nlu.Nlu;
import org.welcomeline.nlu.NluFixture;

/** Heap held by the trained NLU (all configured languages) and the time to train it, from a cold JVM. */
public final class Footprint {
  public static void main(String[] args) throws Exception {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long before = rt.totalMemory() - rt.freeMemory();
    long t0 = System.nanoTime();
    Nlu nlu = NluFixture.get();
    long trainMs = (System.nanoTime() - t0) / 1_000_000;
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    long after = rt.totalMemory() - rt.freeMemory();
    System.out.printf("languages=%d train_ms=%d heap_after_gc_mib=%.1f nlu_heap_mib=%.1f uptime_ms=%d%n",
        nlu.languages().size(), trainMs, after / 1048576.0, (after - before) / 1048576.0,
        ManagementFactory.getRuntimeMXBean().getUptime());
    System.out.println(nlu.detectLanguage("necesito un abogado").language());
  }
}
