package io.passerelle.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayProcess;
import io.passerelle.testing.TestCertificates;
import io.passerelle.testing.TestSocket;
import io.passerelle.testing.TestTokens;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Security settings that need a gateway of their own: keys from a JWKS URL with rotation, allowed algorithms,
 * clock skew, idle timeout, maximum lifetime, upgrades without Origin refused, and TLS.
 */
class SecurityIT {

    private static final String ISSUER = TestTokens.ISSUER;

    private final List<JsonWebKey> published = new ArrayList<>();

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private void publish(String kid, PublicKey key, String algorithm) throws Exception {
        JsonWebKey jwk = JsonWebKey.Factory.newJwk(key);
        jwk.setKeyId(kid);
        jwk.setAlgorithm(algorithm);
        synchronized (published) {
            published.add(jwk);
        }
    }

    private HttpServer jwksServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks.json", exchange -> {
            String body;
            synchronized (published) {
                body = new JsonWebKeySet(published).toJson();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static JwtClaimsBuilder claims(String subject) {
        return Jwt.issuer(ISSUER).audience(TestTokens.AUDIENCE).subject(subject).claim("publish", List.of("x"))
                .claim("subscribe", List.of("x"));
    }

    private static int refusal(URI ws, String token) {
        return assertThrows(TestSocket.UpgradeRefused.class, () -> TestSocket.connect(ws, token)).status();
    }

    private static void opens(URI ws, String token) {
        try (TestSocket socket = TestSocket.connect(ws, token)) {
            socket.send(Frame.ping("p"));
            assertEquals("pong", socket.answerTo("p").get("type").asText());
        }
    }

    @Test
    void jwksRotationAlgorithmsSkewIdleLifetimeAndMissingOrigin() throws Exception {
        KeyPair first = rsa();
        KeyPair rotated = rsa();
        KeyPair elliptic = ec();
        publish("k1", first.getPublic(), AlgorithmIdentifiers.RSA_USING_SHA256);
        publish("e1", elliptic.getPublic(), AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        HttpServer jwks = jwksServer();
        try (GatewayProcess gateway = GatewayProcess.start(Map.of(
                "mp.jwt.verify.publickey.location", "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json",
                "mp.jwt.verify.publickey.algorithm", "RS256,ES256",
                "smallrye.jwt.jwks.forced-refresh-interval", "0",
                "smallrye.jwt.expiration.grace", "60",
                "passerelle.limits.idle-timeout", "2s",
                "passerelle.limits.max-lifetime", "6s",
                "passerelle.origins.allow-missing", "false"))) {
            URI ws = gateway.ws();
            // Without Origin, refused by this configuration; browsers send one.
            assertEquals(403, refusal(ws, claims("alice").expiresIn(600).jws().keyId("k1").sign(first.getPrivate())));
            URI origin = ws; // same origin
            java.util.function.Function<String, TestSocket> connect = token -> TestSocket.connect(ws,
                    Map.of("Authorization", "Bearer " + token, "Origin", "http://127.0.0.1:" + origin.getPort()),
                    List.of());

            connect.apply(claims("alice").expiresIn(600).jws().keyId("k1").sign(first.getPrivate())).close();
            connect.apply(claims("erin").expiresIn(600).jws().keyId("e1").algorithm(SignatureAlgorithm.ES256)
                    .sign(elliptic.getPrivate())).close();

            // A key published after start is picked up without a restart.
            String withNewKey = claims("bob").expiresIn(600).jws().keyId("k2").sign(rotated.getPrivate());
            assertEquals(401, refusalWithOrigin(ws, withNewKey));
            publish("k2", rotated.getPublic(), AlgorithmIdentifiers.RSA_USING_SHA256);
            Thread.sleep(1000); // the key set client refreshes at most every 300 ms
            connect.apply(withNewKey).close();

            // HS256 and 'none' are refused.
            String hs = claims("mallory").expiresIn(600).jws().keyId("k1")
                    .signWithSecret("a-secret-that-is-long-enough-for-hs256-signing!");
            assertEquals(401, refusalWithOrigin(ws, hs));
            String none = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString("{\"alg\":\"none\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8)) + "."
                    + hs.split("\\.")[1] + ".";
            assertEquals(401, refusalWithOrigin(ws, none));

            // Clock skew: expired 30 s ago is within the configured 60 s.
            connect.apply(claims("carol").issuedAt(Instant.now().minusSeconds(600))
                    .expiresAt(Instant.now().minusSeconds(30)).jws().keyId("k1")
                    .sign(first.getPrivate())).close();
            assertEquals(401, refusalWithOrigin(ws, claims("carol").issuedAt(Instant.now().minusSeconds(600))
                    .expiresAt(Instant.now().minusSeconds(120))
                    .jws().keyId("k1").sign(first.getPrivate())));

            // Idle: nothing from the client for 2 s closes with 1001.
            String token = claims("sleepy").expiresIn(600).jws().keyId("k1").sign(first.getPrivate());
            TestSocket idle = connect.apply(token);
            assertEquals(1001, idle.awaitClose());
            assertEquals("idle timeout", idle.closeReason());

            // Lifetime: an active socket is still closed with 1001 after 6 s.
            TestSocket busy = connect.apply(claims("busy").expiresIn(600).jws().keyId("k1").sign(first.getPrivate()));
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (!busy.isClosed() && System.nanoTime() < deadline) {
                busy.send(Frame.ping("keepalive"));
                Thread.sleep(500);
            }
            assertEquals(1001, busy.awaitClose());
            assertEquals("max lifetime reached", busy.closeReason());
        } finally {
            jwks.stop(0);
        }
    }

    private static int refusalWithOrigin(URI ws, String token) {
        return assertThrows(TestSocket.UpgradeRefused.class, () -> TestSocket.connect(ws,
                Map.of("Authorization", "Bearer " + token, "Origin", "http://127.0.0.1:" + ws.getPort()),
                List.of())).status();
    }

    @Test
    void wssWithAConfiguredCertificateAndThePlainPortDisabled() throws Exception {
        Path keystore = TestCertificates.keyStore(Files.createTempDirectory("passerelle-tls"), "gateway");

        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(keystore.toFile())) {
            trust.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trustManagers.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();

        try (GatewayProcess gateway = GatewayProcess.start(Map.of(
                "quarkus.tls.key-store.p12.path", keystore.toString(),
                "quarkus.tls.key-store.p12.password", "changeit",
                "quarkus.http.insecure-requests", "disabled"), client)) {
            assertEquals("wss", gateway.ws().getScheme());
            try (TestSocket socket = TestSocket.connect(client, gateway.ws(),
                    TestTokens.token("secure", List.of("x"), List.of("x")))) {
                socket.send(Frame.ping("p"));
                assertEquals("pong", socket.answerTo("p").get("type").asText());
            }
            // The plain HTTP port does not serve.
            String plain = gateway.log().lines().filter(l -> l.contains("Listening on")).findFirst().orElse("");
            assertEquals(false, plain.contains("http://0.0.0.0"), plain);
        }
    }
}
