package org.welcomeline.store;

import java.util.UUID;

/** Application-generated ids (portable across SQLite and PostgreSQL). */
public final class Ids {
  private Ids() {
  }

  public static String next() {
    return UUID.randomUUID().toString();
  }
}
