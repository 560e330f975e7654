package org.welcomeline.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.welcomeline.TestServer;
import org.welcomeline.store.StaffStore;

/** A staff member's HTTP client for the console API (cookie and CSRF token kept like a browser does). */
final class StaffApi implements AutoCloseable {
  static final String PASSWORD = "correct horse battery staple";
  final TestServer server;
  final WebClient http;
  String cookie;
  String csrf;

  StaffApi(TestServer server) {
    this.server = server;
    this.http = WebClient.create(server.vertx);
  }

  /** Creates a staff account with a fresh name and this role. */
  static String newUser(TestServer server, StaffStore.Role role) throws Exception {
    String name = role.name().toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8);
    new StaffStore(server.app.database()).create(name, PASSWORD, role, System.currentTimeMillis());
    return name;
  }

  HttpResponse<Buffer> login(String user, String password) throws Exception {
    HttpResponse<Buffer> r = call("POST", "/login", new JsonObject().put("username", user).put("password", password),
        false);
    if (r.statusCode() == 200) {
      String set = r.cookies().stream().filter(c -> c.startsWith("wl_staff=")).findFirst().orElseThrow();
      cookie = set.substring(0, set.indexOf(';'));
      csrf = r.bodyAsJsonObject().getString("csrf");
    }
    return r;
  }

  HttpResponse<Buffer> get(String path) throws Exception {
    return call("GET", path, null, true);
  }

  HttpResponse<Buffer> post(String path, JsonObject body) throws Exception {
    return call("POST", path, body, true);
  }

  HttpResponse<Buffer> call(String method, String path, JsonObject body, boolean withCsrf) throws Exception {
    var req = http.request(io.vertx.core.http.HttpMethod.valueOf(method), server.port(), "127.0.0.1",
        "/api/v1/console" + path);
    if (cookie != null) {
      req.putHeader("Cookie", cookie);
    }
    if (withCsrf && csrf != null) {
      req.putHeader("X-CSRF-Token", csrf);
    }
    var f = body == null ? req.send() : req.sendJsonObject(body);
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static String errorCode(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getJsonObject("error").getString("code");
  }

  /** Outbox rows (decrypted recipient and text) sent to this number. */
  static List<String> outboxTo(TestServer server, String number) throws Exception {
    var crypto = org.welcomeline.store.Crypto.fromConfig("", server.app.config().dataDir());
    String hash = crypto.hash(number);
    return server.app.database().tx(c -> {
      List<String> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT to_enc, body_enc FROM outbox WHERE to_hash = ? "
          + "ORDER BY created_at")) {
        ps.setString(1, hash);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (crypto.decrypt(rs.getString(1)).equals(number)) {
              out.add(crypto.decrypt(rs.getString(2)));
            }
          }
        }
      }
      return out;
    });
  }

  @Override
  public void close() {
    http.close();
  }
}
