package io.passerelle.direct;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

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
import io.restassured.response.Response;

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
        return given().auth().oauth2(admin()).queryParam("user", user).queryParam("scope", "replica")
                .get(replica.http("/connections")).then().statusCode(200).extract().jsonPath().getString("[0].id");
    }

    /** Every page of a listing from replica A, following its Link headers; a 503 (a replica gone silent) is retried. */
    private static List<List<String>> pages(String user, int limit) {
        List<List<String>> pages = new ArrayList<>();
        String next = "/connections?user=" + user + "&limit=" + limit;
        while (next != null) {
            Response response = given().auth().oauth2(admin()).get(next);
            for (int retry = 0; response.statusCode() == 503 && retry < 10; retry++) {
                response = given().auth().oauth2(admin()).get(next);
            }
            assertEquals(200, response.statusCode(), response.asString());
            pages.add(response.jsonPath().getList("id", String.class));
            String link = response.header("Link");
            next = link == null
                    ? null
                    : URI.create(link.substring(1, link.indexOf('>'))).getRawPath() + "?"
                            + URI.create(link.substring(1, link.indexOf('>'))).getRawQuery();
        }
        return pages;
    }

    @Test
    void theListingCoversBothReplicasAPageAtATimeFilteredByUser() {
        String user = "paged-" + UUID.randomUUID().toString().substring(0, 8);
        List<TestSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                sockets.add(connectTo(ws(), user));
            }
            for (int i = 0; i < 2; i++) {
                sockets.add(connectTo(replicaB.ws(), user));
            }
            sockets.add(connectTo(replicaB.ws(), user + "-other"));

            List<List<String>> pages = pages(user, 2);
            assertEquals(List.of(2, 2, 1), pages.stream().map(List::size).toList(), "pages of at most 2, then none");
            List<String> all = pages.stream().flatMap(List::stream).toList();
            assertEquals(5, Set.copyOf(all).size(), "each of the user's 5 connections once, on both replicas");
            assertEquals(all, pages(user, 1000).get(0), "one order, whatever the page size");

            List<String> onA = given().auth().oauth2(admin()).queryParam("user", user).queryParam("scope", "replica")
                    .get("/connections").then().statusCode(200).extract().jsonPath().getList("id", String.class);
            assertEquals(3, onA.size(), "scope=replica lists this replica's only");
            assertTrue(all.containsAll(onA));
            given().auth().oauth2(admin()).queryParam("limit", 0).get("/connections").then().statusCode(400)
                    .body("code", org.hamcrest.Matchers.equalTo("bad_request"));
            given().auth().oauth2(admin()).queryParam("cursor", "not-ours").get("/connections").then()
                    .statusCode(400);
        } finally {
            sockets.forEach(TestSocket::close);
        }
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
                    .body("user", org.hamcrest.Matchers.equalTo("remote-user"))
                    .body("remoteAddress", org.hamcrest.Matchers.startsWith("127.0.0.1:"))
                    .body("framesIn", org.hamcrest.Matchers.equalTo(0));

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
