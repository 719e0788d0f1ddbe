package io.passerelle.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** docs/protocol.md, the public contract, lists every close code, error code and header the gateway uses. */
class ProtocolDocsTest {

    private static final String PROTOCOL = read();

    private static String read() {
        try {
            return Files.readString(Path.of("docs/protocol.md"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyCloseCodeIsDocumentedWithItsReason() {
        for (CloseCode code : CloseCode.values()) {
            String row = "| " + code.code() + " | `" + code.reason() + "` |";
            assertTrue(PROTOCOL.contains(row), code + " is documented as " + row);
        }
    }

    @Test
    void everyErrorCodeIsDocumented() {
        for (ErrorCode code : ErrorCode.values()) {
            assertTrue(PROTOCOL.contains("| `" + code.wire() + "` |"), code.wire() + " is documented");
        }
    }

    @Test
    void everyGatewayHeaderIsDocumented() throws Exception {
        for (Field field : GatewayHeaders.class.getFields()) {
            String name = (String) field.get(null);
            if (Modifier.isStatic(field.getModifiers()) && name.startsWith(GatewayHeaders.RESERVED_PREFIX)
                    && !name.equals(GatewayHeaders.RESERVED_PREFIX)) {
                assertTrue(PROTOCOL.contains("| `" + name + "` |"), name + " is documented");
            }
        }
    }
}
