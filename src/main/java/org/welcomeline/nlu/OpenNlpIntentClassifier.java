package org.welcomeline.nlu;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import opennlp.tools.doccat.BagOfWordsFeatureGenerator;
import opennlp.tools.doccat.DoccatFactory;
import opennlp.tools.doccat.DoccatModel;
import opennlp.tools.doccat.DocumentCategorizerME;
import opennlp.tools.doccat.DocumentSample;
import opennlp.tools.doccat.FeatureGenerator;
import opennlp.tools.util.CollectionObjectStream;
import opennlp.tools.util.TrainingParameters;
import opennlp.tools.util.ext.ExtensionLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OpenNLP maxent document categorizer per language, trained in memory from Rasa-format
 * examples. Features: normalised words and character 2-5-grams (word bigrams measured no better). Models are shared
 * read-only; categorizers (not thread-safe) are per thread.
 */
public final class OpenNlpIntentClassifier implements IntentClassifier {
  static {
    // our feature generator is instantiated by OpenNLP's extension loader, which allow-lists packages
    ExtensionLoader.registerAllowedPackage("org.welcomeline.nlu");
  }

  private static final Logger LOG = LoggerFactory.getLogger(OpenNlpIntentClassifier.class);

  private final Map<String, DoccatModel> models;
  private final ThreadLocal<Map<String, DocumentCategorizerME>> categorizers =
      ThreadLocal.withInitial(HashMap::new);

  private OpenNlpIntentClassifier(Map<String, DoccatModel> models) {
    this.models = Map.copyOf(models);
  }

  /** Trains one model per language, languages in parallel on all cores. CPU-bound: call from a worker thread. */
  public static OpenNlpIntentClassifier train(List<TrainingData> data) throws IOException {
    return train(data, null);
  }

  /**
   * As {@link #train(List)}, but a language whose model is in {@code cacheDir} (trained before from the very
   * same features, labels and parameters) is loaded instead of trained, and a trained one is saved there.
   * A missing, unreadable or mismatched cache file is ignored and replaced; a cache that cannot be written
   * only costs the next start its time.
   *
   * @param cacheDir a directory for model files, or null for no cache
   */
  public static OpenNlpIntentClassifier train(List<TrainingData> data, Path cacheDir) throws IOException {
    Map<String, DoccatModel> models = new java.util.concurrent.ConcurrentHashMap<>();
    int threads = Math.max(1, Math.min(data.size(), Runtime.getRuntime().availableProcessors()));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<?>> jobs = new ArrayList<>();
      for (TrainingData d : data) {
        jobs.add(pool.submit(() -> {
          models.put(d.language(), cacheDir == null ? trainOne(d) : cachedOrTrained(d, cacheDir));
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> job : jobs) {
        job.get();
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while training", e);
    } finally {
      pool.shutdownNow();
    }
    return new OpenNlpIntentClassifier(new HashMap<>(models));
  }

  static DoccatModel trainOne(TrainingData data) throws IOException {
    return trainOne(data.language(), samples(data));
  }

  private static List<DocumentSample> samples(TrainingData data) throws IOException {
    List<DocumentSample> samples = new ArrayList<>();
    data.examples().forEach((intent, texts) -> {
      for (String t : texts) {
        String[] toks = TextNormalizer.tokens(t).toArray(String[]::new);
        if (toks.length > 0) {
          samples.add(new DocumentSample(intent, toks));
        }
      }
    });
    if (samples.isEmpty()) {
      throw new IOException("no training examples for language " + data.language());
    }
    return samples;
  }

  private static DoccatModel trainOne(String language, List<DocumentSample> samples) throws IOException {
    DoccatFactory factory = new DoccatFactory(features());
    return DocumentCategorizerME.train(language, new CollectionObjectStream<>(samples), params(), factory);
  }

  private static TrainingParameters params() {
    TrainingParameters params = TrainingParameters.defaultParams();
    params.put(TrainingParameters.ALGORITHM_PARAM, "MAXENT");
    params.put(TrainingParameters.CUTOFF_PARAM, 1); // the default 5 drops most words of small data sets
    params.put(TrainingParameters.ITERATIONS_PARAM, 50); // 40: 86.8%, 100: 87.0% on the golden files, half the start-up time
    params.put(TrainingParameters.THREADS_PARAM, 1);
    return params;
  }

  // ---- model cache ------------------------------------------------------------------------------

  /** Bump when training changes in a way the cache key below does not see. */
  private static final String CACHE_FORMAT = "welcomeline-intent-model/1";

  private static DoccatModel cachedOrTrained(TrainingData data, Path dir) throws IOException {
    String language = data.language();
    List<DocumentSample> samples = samples(data);
    Path file = dir.resolve(cacheFilePrefix(language) + cacheKey(language, samples) + ".bin");
    if (Files.isRegularFile(file)) {
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
        DoccatModel model = new DoccatModel(in);
        if (fits(model, language, samples)) {
          return model;
        }
        LOG.warn("intent model cache {} does not fit its data: retraining", file.getFileName());
      } catch (IOException | RuntimeException e) {
        LOG.warn("intent model cache {} unreadable ({}): retraining", file.getFileName(), e.toString());
      }
    }
    DoccatModel model = trainOne(language, samples);
    store(model, dir, file, cacheFilePrefix(language));
    return model;
  }

  /** The model of this language with exactly the labels of its data. */
  private static boolean fits(DoccatModel model, String language, List<DocumentSample> samples) {
    if (!language.equals(model.getLanguage())) {
      return false;
    }
    java.util.Set<String> labels = new java.util.HashSet<>();
    samples.forEach(s -> labels.add(s.getCategory()));
    var maxent = model.getMaxentModel();
    java.util.Set<String> outcomes = new java.util.HashSet<>();
    for (int i = 0; i < maxent.getNumOutcomes(); i++) {
      outcomes.add(maxent.getOutcome(i));
    }
    return labels.equals(outcomes);
  }

  private static String cacheFilePrefix(String language) {
    return "intent-" + language.replaceAll("[^A-Za-z0-9_-]", "_") + "-";
  }

  /**
   * SHA-256 of everything training sees: OpenNLP's version, the parameters, the language, and each sample's
   * label and features (so a change to normalisation or features retrains by itself).
   */
  static String cacheKey(String language, List<DocumentSample> samples) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    update(sha, CACHE_FORMAT);
    update(sha, opennlp.tools.util.Version.currentVersion().toString());
    new java.util.TreeMap<>(params().getObjectSettings()).forEach((k, v) -> {
      update(sha, k);
      update(sha, String.valueOf(v));
    });
    update(sha, language);
    FeatureGenerator[] generators = features();
    for (DocumentSample s : samples) {
      update(sha, s.getCategory());
      for (FeatureGenerator g : generators) {
        update(sha, g.getClass().getName());
        for (String f : g.extractFeatures(s.getText(), s.getExtraInformation())) {
          update(sha, f);
        }
      }
    }
    return java.util.HexFormat.of().formatHex(sha.digest(), 0, 16);
  }

  private static void update(MessageDigest sha, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    sha.update((byte) (b.length >>> 24));
    sha.update((byte) (b.length >>> 16));
    sha.update((byte) (b.length >>> 8));
    sha.update((byte) b.length);
    sha.update(b);
  }

  /** Writes atomically (temporary file, then rename) and removes this language's older cache files. */
  private static void store(DoccatModel model, Path dir, Path file, String prefix) {
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, prefix, ".tmp");
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
        model.serialize(out);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      tmp = null;
      try (var old = Files.newDirectoryStream(dir, prefix + "*.bin")) {
        for (Path p : old) {
          if (!p.equals(file)) {
            Files.deleteIfExists(p);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot write intent model cache in {}: {}", dir, e.toString());
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
  }

  static FeatureGenerator[] features() {
    try {
      return new FeatureGenerator[] {
          new BagOfWordsFeatureGenerator(), new CharNGramFeatureGenerator(2, 5)};
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean supports(String language) {
    return models.containsKey(language);
  }

  @Override
  public List<Scored> rank(String language, String text) {
    DoccatModel model = models.get(language);
    if (model == null) {
      return List.of();
    }
    String[] toks = TextNormalizer.tokens(text).toArray(String[]::new);
    if (toks.length == 0) {
      return List.of();
    }
    DocumentCategorizerME me = categorizers.get().computeIfAbsent(language, l -> new DocumentCategorizerME(model));
    double[] probs = me.categorize(toks);
    List<Scored> out = new ArrayList<>(probs.length);
    for (int i = 0; i < probs.length; i++) {
      out.add(new Scored(me.getCategory(i), probs[i]));
    }
    out.sort(Comparator.comparingDouble(Scored::confidence).reversed());
    return out;
  }
}
