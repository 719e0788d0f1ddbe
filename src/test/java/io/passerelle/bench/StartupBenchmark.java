package io.passerelle.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.TestTokens;

/**
 * Time to ready: from the gateway process's start to its first 200 from /q/health/ready (which asks Kafka), for
 * the plain jar and, where a JDK 25 and target/quarkus-app/app.aot exist, with the AOT cache. Prints a table.
 * Arguments: runs per variant (default 5), then the JDK homes to try (default: this JVM's).
 */
public final class StartupBenchmark {

    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<String> javaHomes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            javaHomes.add(args[i]);
        }
        if (javaHomes.isEmpty()) {
            javaHomes.add(System.getProperty("java.home"));
        }
        String bootstrap = KafkaTestBroker.bootstrapServers();
        Path aot = Path.of("target/quarkus-app/app.aot");
        System.out.printf("%-40s %8s %8s %8s%n", "variant", "min ms", "median", "max ms");
        for (String home : javaHomes) {
            String java = Path.of(home, "bin", "java").toString();
            String version = version(java);
            report("jar, JDK " + version, measure(runs, java, bootstrap, List.of()));
            if (Files.exists(aot) && version.startsWith("25")) {
                report("jar + AOT cache, JDK " + version,
                        measure(runs, java, bootstrap, List.of("-XX:AOTCache=" + aot)));
            }
        }
        System.exit(0);
    }

    private static void report(String variant, List<Long> millis) {
        Collections.sort(millis);
        System.out.printf("%-40s %8d %8d %8d%n", variant, millis.get(0), millis.get(millis.size() / 2),
                millis.get(millis.size() - 1));
    }

    private static List<Long> measure(int runs, String java, String bootstrap, List<String> jvmOptions)
            throws Exception {
        List<Long> results = new ArrayList<>();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        for (int run = 0; run < runs; run++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(jvmOptions);
            command.addAll(List.of("-Dquarkus.http.port=" + port, "-Dkafka.bootstrap.servers=" + bootstrap,
                    "-Dmp.jwt.verify.publickey.location=" + TestTokens.publicKeyFile().toUri(),
                    "-jar", "target/quarkus-app/quarkus-run.jar"));
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
            try {
                while (true) {
                    if (status(http, ready) == 200) {
                        results.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                        break;
                    }
                    if (!process.isAlive() || System.nanoTime() - start > TimeUnit.SECONDS.toNanos(60)) {
                        throw new IllegalStateException("the gateway did not become ready");
                    }
                    Thread.sleep(5);
                }
            } finally {
                process.destroy();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
        return results;
    }

    private static int status(HttpClient http, URI uri) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String version(String java) throws Exception {
        Process process = new ProcessBuilder(java, "-XshowSettings:properties", "-version").redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        return output.lines().filter(l -> l.contains("java.specification.version")).findFirst()
                .map(l -> l.substring(l.indexOf('=') + 1).trim()).orElse("?");
    }
}
