package io.passerelle.testing;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/**
 * Calls to the management API with an admin token.
 */
public final class AdminApi {

    private AdminApi() {
    }

    public static RequestSpecification asAdmin() {
        return given().auth().oauth2(TestTokens.tokenWithRoles("operator", "gateway-admin"));
    }

    /** The id of the single connection the user has open on the gateway under test. */
    public static String connectionOf(String user) {
        return asAdmin().queryParam("user", user).get("/connections").then().statusCode(200)
                .extract().jsonPath().getString("[0].id");
    }
}
