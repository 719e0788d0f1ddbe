package io.passerelle.clients;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.passerelle.protocol.ErrorCode;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.NodeScript;
import io.passerelle.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The JavaScript client's npm package (client-js/) in Node: its own tests against this gateway and a real broker,
 * and its TypeScript declarations compiled against an application's use of them. .ci/run installs the npm
 * packages; elsewhere the test is skipped when they are missing, and fails when CI is set.
 */
@QuarkusTest
class NodeClientTest extends GatewayTestBase {

    private static final Path PACKAGE = Path.of("client-js");

    private static void needsThePackages() {
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(Files.isDirectory(PACKAGE.resolve("node_modules")),
                    "the npm packages are missing: run .ci/run, or npm ci --prefix client-js");
        }
    }

    @Test
    void theClientsNodeTestsPassAgainstTheGateway() throws Exception {
        needsThePackages();
        String one = KafkaTestBroker.createTopic("js-one", 1);
        String two = KafkaTestBroker.createTopic("js-two", 2);
        List<String> topics = List.of(one, two);
        Map<String, String> environment = new TreeMap<>();
        environment.put("GATEWAY_WS", ws().toString());
        environment.put("GATEWAY_HTTP", http.resolve("/").toString().replaceAll("/$", ""));
        environment.put("ADMIN_TOKEN", TestTokens.tokenWithRoles("operator", "gateway-admin"));
        environment.put("TOPIC_ONE", one);
        environment.put("TOPIC_TWO", two);
        environment.put("TOKEN_PUBLISHER", TestTokens.token("js-publisher", topics, topics));
        environment.put("TOKEN_SUBSCRIBER", TestTokens.token("js-subscriber", topics, topics));
        environment.put("RESUMER", "js-resumer");
        environment.put("TOKEN_RESUMER", TestTokens.token("js-resumer", topics, topics));
        environment.put("TOKEN_SHORT", TestTokens.shortLivedToken("js-refresher", topics, topics,
                Duration.ofSeconds(6)));
        environment.put("TOKEN_LONG", TestTokens.token("js-refresher", topics, topics));
        assertEquals(0, run("node-tests", environment, "node", "--test", "--test-reporter=spec", "test/"),
                "the Node tests failed (see the output above)");
    }

    @Test
    void theTypeScriptDeclarationsDescribeAnApplicationsUseAndRefuseMisuseAndListTheGatewaysErrorCodes()
            throws Exception {
        needsThePackages();
        // The declared GatewayErrorCode union must be exactly the implementation's codes, both ways.
        String codes = Arrays.stream(ErrorCode.values()).map(code -> "\"" + code.wire() + "\"")
                .collect(Collectors.joining(", "));
        Files.writeString(PACKAGE.resolve("test/implementation-codes.ts"), """
                // Written by NodeClientTest from io.passerelle.protocol.ErrorCode: not to be edited.
                import type { GatewayErrorCode } from "passerelle-client";
                const implemented = [%s] as const satisfies readonly GatewayErrorCode[];
                type Undeclared = Exclude<GatewayErrorCode, (typeof implemented)[number]>;
                const declaredOnly: [Undeclared] extends [never] ? true : Undeclared = true;
                export { declaredOnly };
                """.formatted(codes));
        assertEquals(0, run("typecheck", Map.of(), "node", "node_modules/typescript/bin/tsc", "-p",
                "test/tsconfig.json"), "tsc refused test/usage.ts (see the output above)");
    }

    @Test
    void theGatewayServesThePackagesModuleAsItIs() throws Exception {
        String served = given().get("/passerelle-client.js").then().statusCode(200)
                .contentType(containsString("javascript")).extract().asString();
        assertEquals(Files.readString(PACKAGE.resolve("passerelle-client.js")), served);
    }

    private static int run(String name, Map<String, String> environment, String... command) throws Exception {
        return NodeScript.run(PACKAGE, "node-client/" + name + ".log", environment, Duration.ofMinutes(5), command);
    }
}
