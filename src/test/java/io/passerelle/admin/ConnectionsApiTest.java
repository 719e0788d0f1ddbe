package io.passerelle.admin;

import static io.passerelle.testing.AdminApi.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.passerelle.testing.AdminApi;
import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.TestSocket;
import io.passerelle.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ConnectionsApiTest extends GatewayTestBase {

    @Test
    void requiresATokenWithTheAdminRole() {
        given().get("/connections").then().statusCode(401);
        given().auth().oauth2(TestTokens.tokenWithRoles("someone", "trader")).get("/connections").then()
                .statusCode(403);
        given().auth().oauth2(TestTokens.tokenSignedByAnotherKey("forger")).delete("/connections/" + UUID.randomUUID())
                .then().statusCode(401);
        asAdmin().get("/connections").then().statusCode(200);
    }

    @Test
    void listsAndInspectsLocalConnections() {
        String topic = KafkaTestBroker.createTopic("inspect", 1);
        try (TestSocket socket = connect("inspected", topic)) {
            subscribeAndWait(socket, Frame.subscribe("s", topic));
            asAdmin().queryParam("user", "inspected").get("/connections").then().statusCode(200)
                    .body("$", hasSize(1)).body("[0].user", equalTo("inspected"));
            String id = AdminApi.connectionOf("inspected");
            asAdmin().get("/connections/" + id).then().statusCode(200)
                    .body("id", equalTo(id))
                    .body("user", equalTo("inspected"))
                    .body("local", equalTo(true))
                    .body("subscriptions", hasItem(topic))
                    .body("remoteAddress", org.hamcrest.Matchers.startsWith("127.0.0.1:"))
                    .body("framesIn", equalTo(1))
                    .body("framesOut", equalTo(1));
        }
    }

    @Test
    void postDeliversTheBodyAsAMessageFrame() {
        try (TestSocket socket = connect("posted", "x")) {
            String id = AdminApi.connectionOf("posted");
            asAdmin().contentType("application/json").body("{\"hello\":\"there\"}").post("/connections/" + id)
                    .then().statusCode(202).body("route", equalTo("local"));
            JsonNode message = socket.next();
            assertEquals("message", message.get("type").asText());
            assertEquals("there", message.get("data").get("hello").asText());
        }
    }

    @Test
    void deleteClosesWithTheOperatorCodeAndAClosedConnectionIsGone() {
        TestSocket socket = connect("deleted", "x");
        String id = AdminApi.connectionOf("deleted");
        asAdmin().delete("/connections/" + id).then().statusCode(202);
        assertEquals(4000, socket.awaitClose());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status;
        do {
            status = asAdmin().get("/connections/" + id).statusCode();
        } while (status != 410 && System.nanoTime() < deadline);
        assertEquals(410, status);
        asAdmin().delete("/connections/" + id).then().statusCode(410);
        asAdmin().body("{}").post("/connections/" + id).then().statusCode(410);
    }

    @Test
    void malformedOrUnknownIdsAreNotFound() {
        asAdmin().get("/connections/not-a-uuid").then().statusCode(404).body("code", equalTo("not_found"));
        asAdmin().body("1").post("/connections/not-a-uuid").then().statusCode(404);
        asAdmin().delete("/connections/" + UUID.randomUUID()).then().statusCode(404);
        asAdmin().body("1").post("/connections/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void theApiIsDescribedByOpenApi() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/connections'.get", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/connections/{id}'.delete", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/connections/{id}'.post", org.hamcrest.Matchers.notNullValue());
    }
}
