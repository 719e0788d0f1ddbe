import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Registers a schema file under a subject of a registry's Confluent-compatible API: used by ./run.sh for its Avro
 * topic. Arguments: the API's URL, the subject, the schema type (AVRO, PROTOBUF, JSON), the file.
 */
public class RegisterSchema {
    public static void main(String[] args) throws Exception {
        String schema = Files.readString(Path.of(args[3]));
        String body = "{\"schemaType\":\"" + args[2] + "\",\"schema\":" + quoted(schema) + "}";
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(args[0] + "/subjects/" + args[1] + "/versions"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            System.err.println("registering " + args[1] + ": " + response.statusCode() + " " + response.body());
            System.exit(1);
        }
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
