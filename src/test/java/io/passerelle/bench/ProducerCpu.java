package io.passerelle.bench;

import java.lang.management.ManagementFactory;

import com.sun.management.OperatingSystemMXBean;

/**
 * Runs Kafka's {@code ProducerPerformance} with the given arguments and prints the CPU time the run used (the JVM's
 * start excluded), so that the producer's CPU per record is measured in the same run as the gateway's.
 */
public final class ProducerCpu {

    static final String PREFIX = "producer cpu seconds: ";

    private ProducerCpu() {
    }

    public static void main(String[] args) throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long before = os.getProcessCpuTime();
        Class.forName("org.apache.kafka.tools.ProducerPerformance").getMethod("main", String[].class)
                .invoke(null, (Object) args);
        System.out.println(PREFIX + (os.getProcessCpuTime() - before) / 1e9);
    }
}
