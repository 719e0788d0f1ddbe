import java.util.Map;
import java.util.Random;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The demo's price feed: a plain Kafka producer, as a backend would be, writing a quote for a few currency pairs
 * to the "prices" topic twice a second. Started by ./run.sh:
 *
 *   java -cp 'target/dev-kafka/lib/*' dev/PriceFeed.java 127.0.0.1:19092
 */
public class PriceFeed {

    public static void main(String[] args) throws Exception {
        String[] pairs = { "EURUSD", "GBPUSD", "USDJPY", "USDCHF", "AUDUSD" };
        double[] prices = { 1.0842, 1.2671, 151.32, 0.8843, 0.6574 };
        Random random = new Random();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", args.length > 0 ? args[0] : "127.0.0.1:19092", "linger.ms", "0"),
                new StringSerializer(), new StringSerializer())) {
            while (true) {
                for (int i = 0; i < pairs.length; i++) {
                    prices[i] *= 1 + (random.nextGaussian() * 0.0004);
                    double spread = prices[i] * 0.00008;
                    String quote = String.format(java.util.Locale.ROOT,
                            "{\"pair\":\"%s\",\"bid\":%.6f,\"ask\":%.6f,\"at\":%d}", pairs[i], prices[i],
                            prices[i] + spread, System.currentTimeMillis());
                    producer.send(new ProducerRecord<>("prices", pairs[i], quote));
                }
                Thread.sleep(500);
            }
        }
    }
}
