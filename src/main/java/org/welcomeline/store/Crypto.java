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
 * derived from one master secret. Ciphertext format: {@code v1:<base64(nonce || ciphertext+tag)>}.
 * Thread-safe.
 */
public final class Crypto {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PREFIX = "v1:";
  private final SecretKeySpec encKey;
  private final SecretKeySpec macKey;

  public Crypto(byte[] master) {
    if (master.length < 16) {
      throw new IllegalArgumentException("secret key too short (need at least 16 bytes)");
    }
    this.encKey = new SecretKeySpec(derive(master, "welcomeline-encryption-v1"), "AES");
    this.macKey = new SecretKeySpec(derive(master, "welcomeline-address-hash-v1"), "HmacSHA256");
  }

  /**
   * The master secret: {@code configured} (base64 of 32 bytes, or any passphrase of 16+ characters),
   * else the key file in the data dir, created once with 32 random bytes and owner-only permissions.
   */
  public static Crypto fromConfig(String configured, Path dataDir) throws IOException {
    if (configured != null && !configured.isBlank()) {
      byte[] key;
      try {
        key = Base64.getDecoder().decode(configured.strip());
        if (key.length < 32) {
          key = configured.getBytes(StandardCharsets.UTF_8);
        }
      } catch (IllegalArgumentException e) {
        key = configured.getBytes(StandardCharsets.UTF_8);
      }
      return new Crypto(key);
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
    return new Crypto(Base64.getDecoder().decode(Files.readString(file).strip()));
  }

  /** Keyed hash for lookups: same input, same output; useless without the key. Hex, 64 chars. */
  public String hash(String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(macKey);
      return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public String encrypt(String plain) {
    if (plain == null) {
      return null;
    }
    try {
      byte[] nonce = new byte[12];
      RANDOM.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, encKey, new GCMParameterSpec(128, nonce));
      byte[] ct = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[nonce.length + ct.length];
      System.arraycopy(nonce, 0, out, 0, nonce.length);
      System.arraycopy(ct, 0, out, nonce.length, ct.length);
      return PREFIX + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public String decrypt(String stored) {
    if (stored == null) {
      return null;
    }
    if (!stored.startsWith(PREFIX)) {
      throw new IllegalArgumentException("unknown ciphertext format");
    }
    try {
      byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
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
