package io.passerelle.architecture;

import static io.passerelle.testing.AdminApi.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaParameterizedType;
import com.tngtech.archunit.core.domain.JavaType;

import io.passerelle.testing.AdminApi;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.TestSocket;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A native build registers for reflection what a REST method declares it returns, and what is annotated
 * {@code @RegisterForReflection}; anything else Jackson writes by reflection fails there (a 500), though it works
 * on the JVM. This drives every answer of the management API and checks that each class Jackson wrote is one of
 * those.
 */
@QuarkusTest
class JacksonBodiesTest extends GatewayTestBase {

    @Test
    void everyClassJacksonWritesIsDeclaredOrRegistered() {
        String unknown = UUID.randomUUID().toString();
        try (TestSocket socket = connect("bodies", "bodies-topic")) {
            String id = AdminApi.connectionOf("bodies");
            asAdmin().get("/connections").then().statusCode(200);
            asAdmin().get("/connections/" + id).then().statusCode(200);
            asAdmin().body("{\"hi\":1}").contentType("application/json").post("/connections/" + id).then()
                    .statusCode(202);
            asAdmin().get("/connections/" + unknown).then().statusCode(404);
            asAdmin().get("/connections/not-an-id").then().statusCode(404);
            asAdmin().body("x").post("/connections/" + unknown).then().statusCode(404);
            asAdmin().delete("/connections/" + unknown).then().statusCode(404);
            asAdmin().delete("/connections/" + id).then().statusCode(202);
            assertEquals(4000, socket.awaitClose());
            asAdmin().get("/connections/" + id).then().statusCode(410);
            asAdmin().delete("/connections/" + id).then().statusCode(410);
        }
        Set<Class<?>> written = JacksonBodies.written();
        assertFalse(written.isEmpty(), "the management API's bodies are written by the recorded mapper");
        Set<String> declared = declaredBodyTypes();
        for (Class<?> type : written) {
            boolean registered = type.isAnnotationPresent(RegisterForReflection.class);
            if (!registered && !declared.contains(type.getName())) {
                throw new AssertionError(type.getName() + " is written by Jackson but is neither declared as a REST "
                        + "method's body type nor registered for reflection; declared: " + declared);
            }
        }
    }

    /** Every class named in the return type of a REST endpoint or exception mapper, type arguments included. */
    private static Set<String> declaredBodyTypes() {
        Set<String> declared = new HashSet<>();
        DescribedPredicate<JavaMethod> restMethods = ArchitectureTest.areRestEndpointsOrExceptionMappers();
        for (JavaClass type : ArchitectureTest.GATEWAY) {
            for (JavaMethod method : type.getMethods()) {
                if (restMethods.test(method)) {
                    collect(method.getReturnType(), declared);
                }
            }
        }
        return declared;
    }

    private static void collect(JavaType type, Set<String> into) {
        into.add(type.toErasure().getName());
        if (type instanceof JavaParameterizedType parameterized) {
            parameterized.getActualTypeArguments().forEach(argument -> collect(argument, into));
        }
    }
}
