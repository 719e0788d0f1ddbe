package io.passerelle.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The results table: printed, and written as Markdown next to the charts. */
final class Report {

    private record Row(String gateway, String reference, String ratio, String goal) {
    }

    private final Map<String, Row> rows = new LinkedHashMap<>();

    void add(String measure, String gateway, String reference, String ratio, String goal) {
        rows.put(measure, new Row(gateway, reference, ratio, goal));
    }

    void write(Path directory, boolean smoke) throws IOException {
        StringBuilder table = new StringBuilder();
        String format = "%-58s | %-22s | %-44s | %-18s | %s%n";
        table.append(String.format(Locale.ROOT, "%n" + format, "measure", "gateway", "reference (same run)", "ratio",
                "goal"));
        table.append("-".repeat(160)).append('\n');
        rows.forEach((name, row) -> table.append(String.format(Locale.ROOT, format, name, row.gateway(),
                row.reference(), row.ratio(), row.goal())));
        System.out.print(table);
        StringBuilder markdown = new StringBuilder("| measure | gateway | reference (same run) | ratio | goal |\n"
                + "|---|---|---|---|---|\n");
        rows.forEach((name, row) -> markdown.append("| ").append(name).append(" | ")
                .append(String.join(" | ", row.gateway(), row.reference(), row.ratio(), row.goal())).append(" |\n"));
        Files.writeString(directory.resolve(smoke ? "results-smoke.md" : "results.md"), markdown);
    }

    static String fmt(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    static String fmt1(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    static String fmt2(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String ratio(double value, double reference) {
        return reference <= 0 ? "" : String.format(Locale.ROOT, "%.2f", value / reference);
    }
}
