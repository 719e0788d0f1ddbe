package io.passerelle.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.restassured.RestAssured;

/** A scrape of a gateway's Prometheus metrics, as a monitoring system reads it. */
public final class Metrics {

    private final Map<String, Double> samples;

    private Metrics(String exposition) {
        samples = new HashMap<>();
        for (String line : exposition.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
    }

    /** A scrape of the gateway under test. */
    public static Metrics scrape() {
        return new Metrics(RestAssured.get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /** A scrape of the gateway at this base address, such as a {@link GatewayProcess}'s. */
    public static Metrics scrape(URI metricsUri) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(metricsUri).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(metricsUri + " answered " + response.statusCode());
            }
            return new Metrics(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("could not scrape " + metricsUri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sum of the samples of a metric whose labels include every one given ({@code result="delivered"}). */
    public double value(String name, String... labels) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .filter(e -> List.of(labels).stream().allMatch(l -> e.getKey().contains(l)))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** Whether any sample's name and labels, as exposed, match. */
    public boolean anySample(Predicate<String> nameAndLabels) {
        return samples.keySet().stream().anyMatch(nameAndLabels);
    }

    /** Whether the scrape has a sample of this metric at all. */
    public boolean has(String name) {
        return samples.keySet().stream().anyMatch(key -> key.equals(name) || key.startsWith(name + "{"));
    }
}
