package io.passerelle.testing;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

/**
 * The OpenTelemetry SDK's in-memory exporter as the gateway's span exporter, in tests that turn tracing on; with
 * tracing off (the default) nothing is exported to it.
 */
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
