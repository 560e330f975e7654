package org.welcomeline.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CryptoTest {
  @TempDir
  Path dir;

  @Test
  void encryptsWithFreshNonceAndDecrypts() throws Exception {
    Crypto c = Crypto.fromConfig("", dir);
    String a = c.encrypt("+15550100 necesito abogado");
    String b = c.encrypt("+15550100 necesito abogado");
    assertNotEquals(a, b);
    assertFalse(a.contains("abogado"));
    assertEquals("+15550100 necesito abogado", c.decrypt(a));
  }

  @Test
  void keyFileIsCreatedOnceAndReused() throws Exception {
    Crypto first = Crypto.fromConfig("", dir);
    String stored = first.encrypt("x");
    Crypto second = Crypto.fromConfig("", dir);
    assertEquals("x", second.decrypt(stored));
    assertEquals(first.hash("+15550100"), second.hash("+15550100"));
    assertTrue(Files.exists(dir.resolve("secret.key")));
  }

  @Test
  void hashIsKeyed() throws Exception {
    Crypto a = Crypto.fromConfig("correct horse battery staple", dir);
    Crypto b = Crypto.fromConfig("another long passphrase here", dir);
    assertEquals(64, a.hash("+15550100").length());
    assertNotEquals(a.hash("+15550100"), b.hash("+15550100"));
  }

  @Test
  void wrongKeyCannotDecryptAndTamperingIsDetected() throws Exception {
    Crypto a = Crypto.fromConfig("correct horse battery staple", dir);
    Crypto b = Crypto.fromConfig("another long passphrase here", dir);
    String ct = a.encrypt("secret");
    assertThrows(IllegalStateException.class, () -> b.decrypt(ct));
    String tampered = ct.substring(0, ct.length() - 4) + (ct.endsWith("AAAA") ? "BBBB" : "AAAA");
    assertThrows(RuntimeException.class, () -> a.decrypt(tampered));
  }

  @Test
  void shortKeysAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Crypto.fromConfig("short", dir));
  }
}
