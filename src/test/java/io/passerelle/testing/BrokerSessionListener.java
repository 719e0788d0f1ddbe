package io.passerelle.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Stops the in-JVM test broker when the test run ends, while the JVM still runs normally. Stopping it from a
 * shutdown hook instead raced the JVM's own shutdown (logging, other hooks), where a broker failing to close could
 * end the test JVM abnormally after every test had passed.
 */
public class BrokerSessionListener implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        try {
            KafkaTestBroker.stop();
        } catch (Exception e) {
            System.err.println("The test broker did not close cleanly: " + e);
        }
    }
}
