package org.welcomeline.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.welcomeline.nlu.Nlu;
import org.welcomeline.nlu.NluFixture;
import org.welcomeline.web.HttpVerticle;

/**
 * The cost of {@code POST /api/v1/nlu/parse} without HTTP: language detection plus intent
 * classification of one realistic message (the golden files of every configured language, in turn).
 * Sample-time mode gives the latency distribution (p50, p99).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class ParseBenchmark {
  private Nlu nlu;
  private List<String> texts;
  private int next;

  @Setup
  public void setup() throws Exception {
    nlu = NluFixture.get();
    texts = new ArrayList<>();
    for (String lang : nlu.languages()) {
      Path f = Path.of("src/test/resources/golden/" + lang + ".tsv");
      if (Files.isRegularFile(f)) {
        for (String line : Files.readAllLines(f)) {
          String[] p = line.split("\t", 2);
          if (p.length == 2 && !p[0].equals("intent")) {
            texts.add(p[1]);
          }
        }
      }
    }
  }

  @Benchmark
  public Object parse() {
    String t = texts.get(next++ % texts.size());
    return HttpVerticle.parse(nlu, t, null, "en");
  }
}
