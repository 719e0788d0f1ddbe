package io.passerelle.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs Kafka's {@code ProducerPerformance} with the given arguments, again in the same JVM until the JIT has settled
 * (its compiler threads used at most {@link WarmUp#SETTLED_SHARE} of a run's CPU) or the first argument's number of
 * runs is reached, and prints the CPU time the last run used, so that the producer's CPU per record is measured warm,
 * like the gateway's, in the same run; and the machine's account of the last run (the producer, the broker whose pid
 * is the second argument, other processes, idle), per record.
 */
public final class ProducerCpu {

    /** Followed by the last run's CPU seconds, the JIT's share of them, and the number of runs. */
    static final String PREFIX = "producer cpu seconds, jit share, runs: ";

    /** Followed by the last run's {@link MachineAccount}, per record, as {@link MachineAccount#write} writes it. */
    static final String ACCOUNT = "producer machine account: ";

    private ProducerCpu() {
    }

    public static void main(String[] args) throws Exception {
        int maxRuns = Integer.parseInt(args[0]);
        long brokerPid = Long.parseLong(args[1]);
        String[] producerArgs = Arrays.copyOfRange(args, 2, args.length);
        List<String> arguments = List.of(producerArgs);
        long records = Long.parseLong(arguments.get(arguments.indexOf("--num-records") + 1));
        long pid = ProcessHandle.current().pid();
        int runs = 0;
        double cpu;
        double share;
        Map<String, Double> account;
        do {
            MachineAccount machine = MachineAccount.start(new MachineAccount.Part("producer", pid),
                    new MachineAccount.Part("broker", brokerPid));
            WarmUp.CpuMark mark = WarmUp.CpuMark.of(pid);
            Class.forName("org.apache.kafka.tools.ProducerPerformance").getMethod("main", String[].class)
                    .invoke(null, (Object) producerArgs);
            runs++;
            cpu = mark.processSince();
            share = mark.compilerShareSince();
            account = machine.since();
        } while (share > WarmUp.SETTLED_SHARE && runs < maxRuns);
        System.out.println(PREFIX + cpu + " " + share + " " + runs);
        System.out.println(ACCOUNT + MachineAccount.write(MachineAccount.perUnitMicros(account, records)));
    }
}
