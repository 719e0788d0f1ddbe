package io.passerelle.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaParameterizedType;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.JavaWildcardType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * The rules docs/architecture.md states, checked on the compiled gateway: dependencies point one way, each concern
 * keeps its own types, and every body the management API writes is a declared type (so a native build registers it).
 */
class ArchitectureTest {

    static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.passerelle");

    @Test
    void packagesFormNoCycle() {
        slices().matching("io.passerelle.(*)..").should().beFreeOfCycles().check(GATEWAY);
    }

    @Test
    void onlyTheTransportReachesBelowTheWebSocketLayer() {
        noClasses().that().resideOutsideOfPackage("io.passerelle.transport..").should().dependOnClassesThat()
                .resideInAnyPackage("io.netty..", "io.vertx..impl..")
                .because("the transport package is the one place that touches Netty and Vert.x internals")
                .check(GATEWAY);
    }

    @Test
    void theProtocolKnowsNoKafkaAndNoTransport() {
        noClasses().that().resideInAPackage("io.passerelle.protocol..").should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka..", "io.vertx..", "io.netty..", "io.quarkus..")
                .check(GATEWAY);
    }

    @Test
    void kafkaAndFanoutKnowNoWireErrorsAndNoSockets() {
        noClasses().that().resideInAnyPackage("io.passerelle.kafka..", "io.passerelle.fanout..",
                "io.passerelle.schema..").should()
                .dependOnClassesThat().haveFullyQualifiedName("io.passerelle.protocol.ErrorCode")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.passerelle.protocol.ProtocolException")
                .orShould().dependOnClassesThat().resideInAnyPackage("io.quarkus.websockets..", "io.vertx..")
                .because("failures are mapped to the wire at the exchange boundary").check(GATEWAY);
        noClasses().that().resideInAPackage("io.passerelle.kafka..").should().dependOnClassesThat()
                .resideInAnyPackage("io.passerelle.protocol..", "io.passerelle.fanout..", "io.passerelle.session..")
                .check(GATEWAY);
    }

    @Test
    void onlyTheTracingPackageKnowsOpenTelemetryAndItKnowsNoKafkaAndNoHttp() {
        noClasses().that().resideOutsideOfPackage("io.passerelle.tracing..").should().dependOnClassesThat()
                .resideInAPackage("io.opentelemetry..").check(GATEWAY);
        noClasses().that().resideInAPackage("io.passerelle.tracing..").should().dependOnClassesThat()
                .resideOutsideOfPackages("io.passerelle.tracing..", "java..", "jakarta..",
                        "org.eclipse.microprofile..", "io.opentelemetry..")
                .because("spans take headers as plain lookups, so Kafka and HTTP types stay where they are")
                .check(GATEWAY);
    }

    @Test
    void theEndpointAndTheManagementApiAreAtTheTop() {
        for (String top : List.of("io.passerelle.ws..", "io.passerelle.admin..")) {
            noClasses().that().resideOutsideOfPackage(top).should().dependOnClassesThat().resideInAPackage(top)
                    .check(GATEWAY);
        }
    }

    @Test
    void upgradeChecksLiveTogether() {
        noClasses().that().resideOutsideOfPackage("io.passerelle.upgrade..").should()
                .implement("io.quarkus.websockets.next.HttpUpgradeCheck").check(GATEWAY);
    }

    /** An untyped {@code Response} hides its body from the build: a native image then cannot serialise it. */
    @Test
    void restMethodsDeclareTheirBodies() {
        methods().that(areRestEndpointsOrExceptionMappers()).should(declareEveryBodyType()).check(GATEWAY);
    }

    static DescribedPredicate<JavaMethod> areRestEndpointsOrExceptionMappers() {
        return DescribedPredicate.describe("are REST endpoints or exception mappers",
                method -> List.of("jakarta.ws.rs.GET", "jakarta.ws.rs.POST", "jakarta.ws.rs.PUT",
                        "jakarta.ws.rs.DELETE", "jakarta.ws.rs.PATCH",
                        "org.jboss.resteasy.reactive.server.ServerExceptionMapper").stream()
                        .anyMatch(method::isAnnotatedWith));
    }

    private static ArchCondition<JavaMethod> declareEveryBodyType() {
        return new ArchCondition<>("declare the type of every body they return") {
            @Override
            public void check(JavaMethod method, ConditionEvents events) {
                String untyped = untyped(method.getReturnType());
                if (untyped != null) {
                    events.add(SimpleConditionEvent.violated(method,
                            method.getFullName() + " returns " + untyped + ": declare the body type"));
                }
            }
        };
    }

    /** The part of a return type that hides a body type, or null when every body type is declared. */
    private static String untyped(JavaType type) {
        if (type instanceof JavaWildcardType) {
            return "a wildcard";
        }
        JavaClass raw = type.toErasure();
        if (raw.isEquivalentTo(Object.class) || raw.getName().equals("jakarta.ws.rs.core.Response")) {
            return raw.getSimpleName();
        }
        if (type instanceof JavaParameterizedType parameterized) {
            for (JavaType argument : parameterized.getActualTypeArguments()) {
                String inner = untyped(argument);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }
}
