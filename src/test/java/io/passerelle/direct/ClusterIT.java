package io.passerelle.direct;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.passerelle.testing.Await;
import io.passerelle.testing.GatewayProcess;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.TestSocket;
import io.passerelle.testing.TestTokens;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * Two replicas of the packaged gateway against one broker: the one under test (A) and a second process (B).
 */
@QuarkusIntegrationTest
class ClusterIT extends GatewayTestBase {

    private static GatewayProcess replicaB;

    @BeforeAll
    static void startSecondReplica() throws Exception {
        replicaB = GatewayProcess.start(Map.of());
    }

    @AfterAll
    static void stopSecondReplica() {
        replicaB.close();
    }

    private static TestSocket connectTo(java.net.URI ws, String user) {
        return TestSocket.connect(ws, TestTokens.token(user, List.of("x"), List.of("x")));
    }

    private static String admin() {
        return TestTokens.tokenWithRoles("operator", "gateway-admin");
    }

    private static String connectionIdOn(GatewayProcess replica, String user) {
        return given().auth().oauth2(admin()).queryParam("user", user).get(replica.http("/connections"))
                .then().statusCode(200).extract().jsonPath().getString("[0].id");
    }

    @Test
    void aRecordForAUserOnTheOtherReplicaArrivesThereAndOnlyThere() throws Exception {
        try (TestSocket onB = connectTo(replicaB.ws(), "bianca");
                TestSocket onA = connectTo(ws(), "alba");
                TestSocket sameUserOnA = connectTo(ws(), "bianca-not")) {
            KafkaTestBroker.produce("passerelle.outbox", null, "{\"to\":\"bianca\"}",
                    Map.of("passerelle-target-user", "bianca"));
            JsonNode message = onB.next();
            assertEquals("message", message.get("type").asText());
            assertEquals("bianca", message.get("data").get("to").asText());
            assertTrue(onA.drain(Duration.ofSeconds(1)).isEmpty());
            assertTrue(sameUserOnA.drain(Duration.ofMillis(200)).isEmpty());
        }
    }

    @Test
    void postAndDeleteThroughOneReplicaReachAConnectionOnTheOther() {
        try (TestSocket onB = connectTo(replicaB.ws(), "remote-user")) {
            String id = connectionIdOn(replicaB, "remote-user");
            Await.value("the connection seen from replica A", Duration.ofSeconds(20),
                    () -> given().auth().oauth2(admin()).get("/connections/" + id).statusCode(), 200);
            given().auth().oauth2(admin()).get("/connections/" + id).then().statusCode(200)
                    .body("local", org.hamcrest.Matchers.equalTo(false))
                    .body("user", org.hamcrest.Matchers.equalTo("remote-user"));

            given().auth().oauth2(admin()).contentType("application/json").body("{\"via\":\"kafka\"}")
                    .post("/connections/" + id).then().statusCode(202).body("route",
                            org.hamcrest.Matchers.equalTo("kafka"));
            assertEquals("kafka", onB.next().get("data").get("via").asText());

            given().auth().oauth2(admin()).delete("/connections/" + id).then().statusCode(202);
            assertEquals(4000, onB.awaitClose());
            Await.value("the connection closed, seen from replica A", Duration.ofSeconds(20),
                    () -> given().auth().oauth2(admin()).get("/connections/" + id).statusCode(), 410);
            given().auth().oauth2(admin()).delete("/connections/" + id).then().statusCode(410);
        }
        given().auth().oauth2(admin()).delete("/connections/" + java.util.UUID.randomUUID()).then().statusCode(404);
        given().auth().oauth2(admin()).body("{}").post("/connections/nope").then().statusCode(404);
    }

}
