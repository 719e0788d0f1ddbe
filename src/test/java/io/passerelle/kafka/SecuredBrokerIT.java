package io.passerelle.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.passerelle.testing.GatewayProcess;
import io.passerelle.testing.KafkaBrokerProcess;
import io.passerelle.testing.Ports;
import io.passerelle.testing.TestCertificates;
import io.passerelle.testing.TestSocket;
import io.passerelle.testing.TestTokens;

/**
 * The gateway on a secured broker, configured only through standard {@code kafka.*} properties: SASL/SCRAM over TLS,
 * and TLS with a client certificate (mTLS), with certificates the test makes.
 */
class SecuredBrokerIT {

    private static final String SCRAM_USER = "passerelle";
    private static final String SCRAM_PASSWORD = "s3cret-scram";

    @Test
    void publishAndSubscribeThroughSaslSslAndThroughMutualTls() throws Exception {
        Path dir = Files.createTempDirectory("passerelle-secured-broker");
        Path brokerKeys = TestCertificates.keyStore(dir, "broker");
        Path gatewayKeys = TestCertificates.keyStore(dir, "gateway");
        Path gatewayTrust = TestCertificates.trustStore(dir, "gateway-trust", List.of(brokerKeys));
        Path brokerTrust = TestCertificates.trustStore(dir, "broker-trust", List.of(gatewayKeys));
        int saslPort = Ports.free();
        int mtlsPort = Ports.free();
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.startWith(Map.of("SASL_SSL", saslPort, "SSL", mtlsPort),
                List.of("sasl.enabled.mechanisms=SCRAM-SHA-512",
                        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config="
                                + "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                        "ssl.keystore.location=" + brokerKeys, "ssl.keystore.type=PKCS12",
                        "ssl.keystore.password=" + TestCertificates.PASSWORD,
                        "ssl.truststore.location=" + brokerTrust, "ssl.truststore.type=PKCS12",
                        "ssl.truststore.password=" + TestCertificates.PASSWORD,
                        "listener.name.ssl.ssl.client.auth=required"),
                List.of("--add-scram", "SCRAM-SHA-512=[name=" + SCRAM_USER + ",password=" + SCRAM_PASSWORD + "]"))) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("secured", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            Map<String, String> trust = Map.of("kafka.ssl.truststore.location", gatewayTrust.toString(),
                    "kafka.ssl.truststore.type", "PKCS12", "kafka.ssl.truststore.password", TestCertificates.PASSWORD);

            Map<String, String> sasl = new java.util.HashMap<>(trust);
            sasl.putAll(Map.of("kafka.bootstrap.servers", "127.0.0.1:" + saslPort,
                    "kafka.security.protocol", "SASL_SSL", "kafka.sasl.mechanism", "SCRAM-SHA-512",
                    "kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                            + "username=\"" + SCRAM_USER + "\" password=\"" + SCRAM_PASSWORD + "\";"));
            roundTrip(sasl, "over SASL_SSL");

            Map<String, String> mtls = new java.util.HashMap<>(trust);
            mtls.putAll(Map.of("kafka.bootstrap.servers", "127.0.0.1:" + mtlsPort,
                    "kafka.security.protocol", "SSL", "kafka.ssl.keystore.location", gatewayKeys.toString(),
                    "kafka.ssl.keystore.type", "PKCS12", "kafka.ssl.keystore.password", TestCertificates.PASSWORD));
            roundTrip(mtls, "over mTLS");
        }
    }

    /** A socket subscribes and publishes through a gateway with this Kafka configuration: ack, then event. */
    private static void roundTrip(Map<String, String> kafka, String how) throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start(kafka);
                TestSocket socket = TestSocket.connect(gateway.ws(),
                        TestTokens.token("secured-user", List.of("secured"), List.of("secured")))) {
            socket.send("{\"type\":\"subscribe\",\"id\":\"s\",\"channel\":\"secured\"}");
            assertEquals("subscribed", socket.answerTo("s").path("type").asText(), how);
            socket.send("{\"type\":\"publish\",\"id\":\"p\",\"channel\":\"secured\",\"data\":{\"how\":\"" + how
                    + "\"}}");
            assertEquals("ack", socket.answerTo("p").path("type").asText(), how);
            JsonNode event = socket.next(frame -> frame.path("type").asText().equals("event")
                    && frame.path("data").path("how").asText().equals(how));
            assertEquals("secured", event.path("channel").asText());
        }
    }
}
