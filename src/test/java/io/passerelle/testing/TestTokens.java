package io.passerelle.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Mints real RS256 tokens for the tests with a key pair made once per test run; the gateway verifies them with
 * the public key written to a PEM file.
 */
public final class TestTokens {

    public static final String ISSUER = "https://passerelle.test";
    public static final String AUDIENCE = "passerelle";

    private static final KeyPair KEYS = generate();
    private static final KeyPair OTHER_KEYS = generate();
    private static Path publicKeyFile;

    private TestTokens() {
    }

    public static synchronized Path publicKeyFile() {
        if (publicKeyFile == null) {
            try {
                publicKeyFile = Files.createTempFile("passerelle-test-key", ".pem");
                publicKeyFile.toFile().deleteOnExit();
                String pem = "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(KEYS.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n";
                Files.writeString(publicKeyFile, pem);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return publicKeyFile;
    }

    /** A token for the subject that may publish and subscribe to the given topic patterns. */
    public static String token(String subject, List<String> publish, List<String> subscribe) {
        return claims(subject).claim("publish", publish).claim("subscribe", subscribe).sign(KEYS.getPrivate());
    }

    /** A token that expires after the given time. */
    public static String shortLivedToken(String subject, List<String> publish, List<String> subscribe,
            java.time.Duration lifetime) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(subject).claim("publish", publish)
                .claim("subscribe", subscribe).expiresAt(Instant.now().plus(lifetime)).sign(KEYS.getPrivate());
    }

    /** A valid token that grants nothing. */
    public static String tokenWithoutGrants(String subject) {
        return claims(subject).sign(KEYS.getPrivate());
    }

    /** A token with the given claims besides the standard ones (grants, a tenant…) and roles. */
    public static String tokenWithClaims(String subject, Map<String, Object> extra, String... roles) {
        JwtClaimsBuilder builder = claims(subject).groups(java.util.Set.of(roles));
        extra.forEach(builder::claim);
        return builder.sign(KEYS.getPrivate());
    }

    public static String tokenWithRoles(String subject, String... roles) {
        return claims(subject).groups(java.util.Set.of(roles)).sign(KEYS.getPrivate());
    }

    public static String expiredToken(String subject) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(subject).claim("publish", List.of("*"))
                .issuedAt(Instant.now().minusSeconds(3600)).expiresAt(Instant.now().minusSeconds(1800))
                .sign(KEYS.getPrivate());
    }

    public static String tokenSignedByAnotherKey(String subject) {
        return claims(subject).claim("publish", List.of("*")).sign(OTHER_KEYS.getPrivate());
    }

    public static String tokenWithIssuer(String subject, String issuer) {
        return Jwt.issuer(issuer).audience(AUDIENCE).subject(subject).claim("publish", List.of("*"))
                .expiresIn(600).sign(KEYS.getPrivate());
    }

    public static String tokenWithAudience(String subject, String audience) {
        return Jwt.issuer(ISSUER).audience(audience).subject(subject).claim("publish", List.of("*"))
                .expiresIn(600).sign(KEYS.getPrivate());
    }

    private static JwtClaimsBuilder claims(String subject) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(subject).expiresIn(600);
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
