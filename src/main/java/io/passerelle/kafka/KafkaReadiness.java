package io.passerelle.kafka;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while Kafka answers, within {@code passerelle.kafka.health-timeout}: a probe never hangs on a broker
 * that is gone.
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {

    public static final String NAME = "Kafka connection";

    private final TopicDirectory directory;
    private final KafkaGatewayConfig config;

    public KafkaReadiness(TopicDirectory directory, KafkaGatewayConfig config) {
        this.directory = directory;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        long timeout = config.healthTimeout().toMillis();
        try {
            int brokers = directory.brokerCount(timeout).get(timeout + 500, TimeUnit.MILLISECONDS);
            return HealthCheckResponse.named(NAME).up().withData("brokers", brokers).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthCheckResponse.named(NAME).down().withData("reason", "interrupted").build();
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            return HealthCheckResponse.named(NAME).down()
                    .withData("reason", cause.getClass().getSimpleName() + ": " + cause.getMessage()).build();
        }
    }
}
