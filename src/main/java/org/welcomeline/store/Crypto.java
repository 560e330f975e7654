package org.welcomeline.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption at rest (AES-256-GCM, random nonce) and keyed hashing (HMAC-SHA-256) of addresses, both
 * derived from one master secret. Ciphertext format: {@code k<fingerprint>:<base64(nonce || ciphertext+tag)>}
 * (older {@code v1:} values carry no fingerprint). Key rotation: a Crypto may know previous keys; it
 * decrypts with whichever key wrote a value, always encrypts and hashes with the current one, and
 * {@link KeyRotation} re-encrypts and re-hashes stored rows in the background. Thread-safe.
 */
public final class Crypto {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PREFIX = "v1:";
  private final SecretKeySpec encKey;
  private final SecretKeySpec macKey;
  private final String fingerprint;
  private final java.util.List<Crypto> previous;

  public Crypto(byte[] master) {
    this(master, java.util.List.of());
  }

  /** The current key, and keys used before it (for reading values they wrote, until rotated). */
  public Crypto(byte[] master, java.util.List<Crypto> previous) {
    this.previous = java.util.List.copyOf(previous);
    if (master.length < 16) {
      throw new IllegalArgumentException("secret key too short (need at least 16 bytes)");
    }
    this.encKey = new SecretKeySpec(derive(master, "welcomeline-encryption-v1"), "AES");
    this.macKey = new SecretKeySpec(derive(master, "welcomeline-address-hash-v1"), "HmacSHA256");
    this.fingerprint = HexFormat.of().formatHex(derive(master, "welcomeline-key-fingerprint-v1")).substring(0, 8);
    SecretKeySpec key = this.macKey;
    this.macs = ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(key);
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /**
   * The master secret: {@code configured} (base64 of 32 bytes, or any passphrase of 16+ characters),
   * else the key file in the data dir, created once with 32 random bytes and owner-only permissions.
   */
  public static Crypto fromConfig(String configured, Path dataDir) throws IOException {
    return fromConfig(configured, dataDir, "");
  }

  /** As {@link #fromConfig(String, Path)}, knowing the comma-separated previous keys {@code previousKeys}. */
  public static Crypto fromConfig(String configured, Path dataDir, String previousKeys) throws IOException {
    java.util.List<Crypto> old = new java.util.ArrayList<>();
    for (String k : previousKeys == null ? new String[0] : previousKeys.split(",")) {
      if (!k.isBlank()) {
        old.add(new Crypto(masterOf(k)));
      }
    }
    return new Crypto(current(configured, dataDir), old);
  }

  private static byte[] masterOf(String configured) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(configured.strip());
      if (key.length < 32) {
        key = configured.getBytes(StandardCharsets.UTF_8);
      }
    } catch (IllegalArgumentException e) {
      key = configured.getBytes(StandardCharsets.UTF_8);
    }
    return key;
  }

  private static byte[] current(String configured, Path dataDir) throws IOException {
    if (configured != null && !configured.isBlank()) {
      return masterOf(configured);
    }
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve("secret.key");
    if (!Files.exists(file)) {
      byte[] key = new byte[32];
      RANDOM.nextBytes(key);
      Path tmp = Files.createTempFile(dataDir, "secret", ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // non-POSIX file system
      }
      Files.writeString(tmp, Base64.getEncoder().encodeToString(key), StandardOpenOption.TRUNCATE_EXISTING);
      try {
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        Files.deleteIfExists(tmp);
        if (!Files.exists(file)) {
          throw e;
        }
      }
    }
    return Base64.getDecoder().decode(Files.readString(file).strip());
  }

  /** The prefix of values written with the current key. */
  public String currentPrefix() {
    return "k" + fingerprint + ":";
  }

  /** Hashes of {@code value} under the previous keys (to find rows written before a rotation). */
  public java.util.List<String> previousHashes(String value) {
    return previous.stream().map(p -> p.hash(value)).toList();
  }

  public boolean hasPreviousKeys() {
    return !previous.isEmpty();
  }

  /** Keyed hash for lookups: same input, same output; useless without the key. Hex, 64 chars. */
  /** Per-thread instances: getInstance is slow and Cipher/Mac are not thread-safe. */
  private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(() -> {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  });
  private final ThreadLocal<Mac> macs;
  /** Per-thread nonce sources (a shared SecureRandom is a point of contention). */
  private static final ThreadLocal<java.security.SecureRandom> NONCES =
      ThreadLocal.withInitial(java.security.SecureRandom::new);

  public String hash(String value) {
    Mac mac = macs.get(); // initialised with the key; doFinal resets it
    return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
  }

  public String encrypt(String plain) {
    if (plain == null) {
      return null;
    }
    try {
      byte[] nonce = new byte[12];
      NONCES.get().nextBytes(nonce);
      Cipher c = ciphers.get();
      c.init(Cipher.ENCRYPT_MODE, encKey, new GCMParameterSpec(128, nonce));
      byte[] ct = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[nonce.length + ct.length];
      System.arraycopy(nonce, 0, out, 0, nonce.length);
      System.arraycopy(ct, 0, out, nonce.length, ct.length);
      return currentPrefix() + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public String decrypt(String stored) {
    if (stored == null) {
      return null;
    }
    if (stored.startsWith("k") && stored.length() > 10 && stored.charAt(9) == ':') {
      String fp = stored.substring(1, 9);
      if (fp.equals(fingerprint)) {
        return open(stored.substring(10));
      }
      for (Crypto p : previous) {
        if (p.fingerprint.equals(fp)) {
          return p.open(stored.substring(10));
        }
      }
      throw new IllegalStateException("cannot decrypt: written with a key that is not configured (" + fp + ")");
    }
    if (!stored.startsWith(PREFIX)) {
      throw new IllegalArgumentException("unknown ciphertext format");
    }
    IllegalStateException failure = null;
    for (Crypto k : allKeys()) {
      try {
        return k.open(stored.substring(PREFIX.length()));
      } catch (IllegalStateException e) {
        failure = e;
      }
    }
    throw failure;
  }

  private java.util.List<Crypto> allKeys() {
    java.util.List<Crypto> all = new java.util.ArrayList<>();
    all.add(this);
    all.addAll(previous);
    return all;
  }

  private String open(String base64) {
    try {
      byte[] in = Base64.getDecoder().decode(base64);
      Cipher c = ciphers.get();
      c.init(Cipher.DECRYPT_MODE, encKey, new GCMParameterSpec(128, in, 0, 12));
      return new String(c.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot decrypt (wrong key?)", e);
    }
  }

  private static byte[] derive(byte[] master, String label) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(MessageDigest.getInstance("SHA-256").digest(master), "HmacSHA256"));
      return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
