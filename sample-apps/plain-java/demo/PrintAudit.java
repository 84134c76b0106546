import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints audit records one per line with the few fields a person reads first. Run as a source file:
 * {@code java PrintAudit.java <audit.jsonl> [first line]}. The log itself stays the system of record.
 */
public class PrintAudit {

    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        int from = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        for (int i = Math.max(0, from); i < lines.size(); i++) {
            String l = lines.get(i);
            String type = field(l, "type");
            String text = switch (type) {
                case "decision" -> String.format("%-8s %-20s %-6s %-8s %s%s", type, field(l, "tool"), field(l, "action"),
                        "true".equals(raw(l, "enforced")) ? "enforced" : "shadow", field(l, "rule"),
                        lastField(l, "reason").isEmpty() ? "" : "  \"" + lastField(l, "reason") + "\"");
                case "outcome" -> String.format("%-8s %-20s %s %sms", type, "", field(l, "status"), raw(l, "duration_ms"));
                case "policy" -> String.format("%-8s %s %s %s sha256 %.12s...", type, field(l, "event"), field(l, "name"),
                        field(l, "version"), field(l, "sha256"));
                case "approval" -> String.format("%-8s %-20s %s %s%s", type, field(l, "tool"), field(l, "event"),
                        field(l, "id"), field(l, "by").isEmpty() ? "" : " by " + field(l, "by"));
                default -> String.format("%-8s %s", type, field(l, "ts"));
            };
            System.out.printf("%4d  %s%n", i + 1, text);
        }
    }

    private static String field(String line, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(line);
        return m.find() ? m.group(1).replace("\\\"", "\"") : "";
    }

    /** The record's own field where the arguments may hold one of the same name: it is written after them. */
    private static String lastField(String line, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(line);
        String last = "";
        while (m.find()) {
            last = m.group(1).replace("\\\"", "\"");
        }
        return last;
    }

    private static String raw(String line, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":([^,}\"]+)").matcher(line);
        return m.find() ? m.group(1) : "";
    }
}
