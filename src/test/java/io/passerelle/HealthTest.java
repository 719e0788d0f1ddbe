package io.passerelle;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import io.passerelle.testing.GatewayTestBase;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HealthTest extends GatewayTestBase {

    @Test
    void readinessReportsKafka() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Kafka connection"))
                .body("checks.find { it.name == 'Kafka connection' }.status", equalTo("UP"));
    }

    @Test
    void livenessIsUp() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
