import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;

/**
 * Development tokens for the embedded setup of ./run.sh, with nothing but the JDK:
 *
 *   java dev/DevToken.java keys DIR          makes DIR/dev-public.pem and DIR/dev-private.pk8 once
 *   java dev/DevToken.java token DIR [SUB]   prints an RS256 token for SUB that may publish and subscribe anywhere
 *
 * The key pair is for local development only; production verifies tokens of its own identity provider.
 */
public class DevToken {

    static final String ISSUER = "https://passerelle.local";
    static final String AUDIENCE = "passerelle";
    static final long LIFETIME_SECONDS = 12 * 3600;

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: java dev/DevToken.java keys|token DIR [SUBJECT]");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "keys" -> keys(dir);
            case "token" -> System.out.println(token(dir, args.length > 2 ? args[2] : "dev-user"));
            default -> {
                System.err.println("unknown command " + args[0]);
                System.exit(2);
            }
        }
    }

    static void keys(Path dir) throws Exception {
        Path publicKey = dir.resolve("dev-public.pem");
        Path privateKey = dir.resolve("dev-private.pk8");
        if (Files.exists(publicKey) && Files.exists(privateKey)) {
            return;
        }
        Files.createDirectories(dir);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        Files.write(privateKey, pair.getPrivate().getEncoded());
    }

    static String token(Path dir, String subject) throws Exception {
        PrivateKey key = KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(dir.resolve("dev-private.pk8"))));
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"" + subject
                + "\",\"iat\":" + now + ",\"exp\":" + (now + LIFETIME_SECONDS)
                + ",\"publish\":[\"*\"],\"subscribe\":[\"*\"]}";
        String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claims.getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + base64Url(signature.sign());
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
