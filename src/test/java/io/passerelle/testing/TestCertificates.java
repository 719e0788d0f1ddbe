package io.passerelle.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Self-signed certificates for loopback, made with the JDK's {@code keytool}: PKCS12 key stores with the password
 * {@link #PASSWORD}, and trust stores holding other stores' certificates.
 */
public final class TestCertificates {

    public static final String PASSWORD = "changeit";

    private TestCertificates() {
    }

    /** A key store with one key pair for 127.0.0.1 and localhost, under the alias. */
    public static Path keyStore(Path directory, String alias) throws IOException, InterruptedException {
        Path store = directory.resolve(alias + ".p12");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname",
                "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD);
        return store;
    }

    /** A trust store with the certificate of each key store's alias. */
    public static Path trustStore(Path directory, String name, List<Path> keyStores)
            throws IOException, InterruptedException {
        Path store = directory.resolve(name + ".p12");
        for (Path keyStore : keyStores) {
            String alias = keyStore.getFileName().toString().replace(".p12", "");
            Path certificate = directory.resolve(alias + ".crt");
            if (!Files.exists(certificate)) {
                keytool("-exportcert", "-alias", alias, "-keystore", keyStore.toString(), "-storetype", "PKCS12",
                        "-storepass", PASSWORD, "-file", certificate.toString());
            }
            keytool("-importcert", "-noprompt", "-alias", alias, "-file", certificate.toString(), "-keystore",
                    store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        }
        return store;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "keytool").toString()));
        command.addAll(List.of(args));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        if (keytool.waitFor() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }
}
