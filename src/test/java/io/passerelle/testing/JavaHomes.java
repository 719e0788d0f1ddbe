package io.passerelle.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Java runtimes of this machine, for processes that need a newer one than the tests run on (the schema
 * registry needs 21): this JVM's, {@code JAVA_HOME}, and those under /usr/lib/jvm, by their {@code release} file.
 */
public final class JavaHomes {

    private static final Pattern VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");

    private JavaHomes() {
    }

    /** The {@code java} of a runtime of at least this feature version; fails saying what to install. */
    public static String javaOfAtLeast(int feature) {
        List<Path> candidates = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"))));
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null) {
            candidates.add(Path.of(javaHome));
        }
        try (Stream<Path> installed = Files.list(Path.of("/usr/lib/jvm"))) {
            installed.sorted().forEach(candidates::add);
        } catch (IOException e) {
            // No system runtimes: only this JVM's and JAVA_HOME.
        }
        for (Path home : candidates) {
            Path java = home.resolve("bin/java");
            if (Files.isExecutable(java) && version(home) >= feature) {
                return java.toString();
            }
        }
        throw new IllegalStateException("a Java " + feature + " runtime or newer is needed (set JAVA_HOME to one, or"
                + " install it under /usr/lib/jvm); .ci/run installs one");
    }

    private static int version(Path home) {
        try {
            Matcher matcher = VERSION.matcher(Files.readString(home.resolve("release")));
            return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
