package io.passerelle.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * PNG charts of the benchmark results, drawn with Java2D so that the harness needs nothing else.
 */
final class Charts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;
    private static final int LEFT = 90;
    private static final int BOTTOM = 60;
    private static final int TOP = 50;
    private static final int RIGHT = 30;

    private Charts() {
    }

    /** Latency percentiles from p0 to p99.99, on a log scale of "nines" so that the tail is visible. */
    static void latency(long[] sortedNanos, Path file) throws IOException {
        if (sortedNanos.length == 0) {
            return;
        }
        BufferedImage image = canvas();
        Graphics2D g = graphics(image, "End-to-end latency through the gateway at 1,000 msg/s");
        double[] percentiles = {0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99};
        double max = 0;
        double[] values = new double[percentiles.length];
        for (int i = 0; i < percentiles.length; i++) {
            int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(percentiles[i] / 100 * sortedNanos.length));
            values[i] = sortedNanos[Math.max(0, index)] / 1e6;
            max = Math.max(max, values[i]);
        }
        axes(g, "percentile", "ms", max);
        int plotWidth = WIDTH - LEFT - RIGHT;
        g.setColor(new Color(56, 189, 248));
        g.setStroke(new BasicStroke(3));
        int previousX = -1;
        int previousY = -1;
        for (int i = 0; i < percentiles.length; i++) {
            int x = LEFT + i * plotWidth / (percentiles.length - 1);
            int y = y(values[i], max);
            if (previousX >= 0) {
                g.drawLine(previousX, previousY, x, y);
            }
            g.fillOval(x - 4, y - 4, 8, 8);
            g.drawString(String.format(Locale.ROOT, "%.1f", values[i]), x - 10, y - 10);
            g.setColor(Color.LIGHT_GRAY);
            g.drawString("p" + trim(percentiles[i]), x - 14, HEIGHT - BOTTOM + 20);
            g.setColor(new Color(56, 189, 248));
            previousX = x;
            previousY = y;
        }
        ImageIO.write(image, "png", file.toFile());
    }

    /** Frames delivered per second against the number of subscribed sockets, with the WebSocket ceiling. */
    static void throughput(Map<Integer, double[]> byConnections, Path file) throws IOException {
        BufferedImage image = canvas();
        Graphics2D g = graphics(image, "Fan-out: frames delivered per second against subscribed sockets");
        double max = byConnections.values().stream().mapToDouble(v -> Math.max(v[0], v[1])).max().orElse(1);
        axes(g, "subscribed sockets", "frames/s", max);
        int groups = byConnections.size();
        int plotWidth = WIDTH - LEFT - RIGHT;
        int slot = plotWidth / Math.max(1, groups);
        int i = 0;
        for (Map.Entry<Integer, double[]> entry : byConnections.entrySet()) {
            int x = LEFT + i * slot + slot / 4;
            int barWidth = slot / 4;
            bar(g, x, barWidth, entry.getValue()[0], max, new Color(56, 189, 248));
            bar(g, x + barWidth + 4, barWidth, entry.getValue()[1], max, new Color(148, 163, 184));
            g.setColor(Color.LIGHT_GRAY);
            g.drawString(String.format(Locale.ROOT, "%,d", entry.getKey()), x + barWidth / 2, HEIGHT - BOTTOM + 20);
            i++;
        }
        legend(g, "gateway", "WebSocket ceiling", 300, 200);
        ImageIO.write(image, "png", file.toFile());
    }

    /** Gateway CPU per delivered record against the number of keyed subscribers of one topic. */
    static void keyed(Map<Integer, double[]> bySize, Path file) throws IOException {
        BufferedImage image = canvas();
        Graphics2D g = graphics(image, "Keyed fan-out: gateway CPU per delivered record against subscribers");
        double max = bySize.values().stream().mapToDouble(v -> v[0]).max().orElse(1);
        axes(g, "keyed subscribers of one topic (each record for one socket)", "µs CPU per record", max);
        int slot = (WIDTH - LEFT - RIGHT) / Math.max(1, bySize.size());
        int i = 0;
        for (Map.Entry<Integer, double[]> entry : bySize.entrySet()) {
            int x = LEFT + i * slot + slot / 3;
            bar(g, x, slot / 3, entry.getValue()[0], max, new Color(56, 189, 248));
            g.setColor(Color.LIGHT_GRAY);
            g.drawString(String.format(Locale.ROOT, "%,d", entry.getKey()), x + slot / 8, HEIGHT - BOTTOM + 20);
            i++;
        }
        ImageIO.write(image, "png", file.toFile());
    }

    /** One replica's outbox CPU and memory against the number of replicas in the cluster. */
    static void cluster(Map<Integer, ClusterScenario.Point> bySize, Path file) throws IOException {
        BufferedImage image = canvas();
        Graphics2D g = graphics(image, "One replica among N: CPU on others' outbox records, and heap after GC");
        double max = bySize.values().stream()
                .mapToDouble(p -> Math.max(p.outboxCores() * 100, p.heapMegabytes())).max().orElse(1);
        axes(g, "replicas in the cluster", "% of a core / MB of heap", max);
        int slot = (WIDTH - LEFT - RIGHT) / Math.max(1, bySize.size());
        int i = 0;
        for (Map.Entry<Integer, ClusterScenario.Point> entry : bySize.entrySet()) {
            int x = LEFT + i * slot + slot / 6;
            bar(g, x, slot / 4, entry.getValue().outboxCores() * 100, max, new Color(56, 189, 248));
            bar(g, x + slot / 3, slot / 4, entry.getValue().heapMegabytes(), max, new Color(148, 163, 184));
            g.setColor(Color.LIGHT_GRAY);
            g.drawString(String.format(Locale.ROOT, "%,d", entry.getKey()), x + slot / 4, HEIGHT - BOTTOM + 20);
            i++;
        }
        legend(g, "outbox CPU (% core)", "heap after GC (MB)", 330, 180);
        ImageIO.write(image, "png", file.toFile());
    }

    /** The two-series legend, at the given distances from the right edge. */
    private static void legend(Graphics2D g, String first, String second, int firstFromRight, int secondFromRight) {
        g.setColor(new Color(56, 189, 248));
        g.fillRect(WIDTH - firstFromRight, TOP, 12, 12);
        g.setColor(Color.LIGHT_GRAY);
        g.drawString(first, WIDTH - firstFromRight + 18, TOP + 11);
        g.setColor(new Color(148, 163, 184));
        g.fillRect(WIDTH - secondFromRight, TOP, 12, 12);
        g.setColor(Color.LIGHT_GRAY);
        g.drawString(second, WIDTH - secondFromRight + 18, TOP + 11);
    }

    private static void bar(Graphics2D g, int x, int width, double value, double max, Color color) {
        int y = y(value, max);
        g.setColor(color);
        g.fillRect(x, y, width, HEIGHT - BOTTOM - y);
        g.setColor(Color.LIGHT_GRAY);
        g.drawString(String.format(Locale.ROOT, value < 100 ? "%,.1f" : "%,.0f", value), x, y - 6);
    }

    private static int y(double value, double max) {
        return HEIGHT - BOTTOM - (int) ((HEIGHT - BOTTOM - TOP) * value / (max * 1.1));
    }

    private static BufferedImage canvas() {
        return new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    }

    private static Graphics2D graphics(BufferedImage image, String title) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(15, 23, 42));
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        return g;
    }

    private static void axes(Graphics2D g, String xLabel, String yLabel, double max) {
        g.setColor(new Color(51, 65, 85));
        for (int i = 0; i <= 4; i++) {
            double value = max * 1.1 * i / 4;
            int y = y(value, max);
            g.drawLine(LEFT, y, WIDTH - RIGHT, y);
            g.setColor(Color.LIGHT_GRAY);
            g.drawString(String.format(Locale.ROOT, value < 10 ? "%.1f" : "%,.0f", value), 10, y + 4);
            g.setColor(new Color(51, 65, 85));
        }
        g.setColor(Color.LIGHT_GRAY);
        g.drawString(xLabel, WIDTH / 2 - 40, HEIGHT - 15);
        g.drawString(yLabel, 10, TOP - 12);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Integer.toString((int) value) : Double.toString(value);
    }
}
