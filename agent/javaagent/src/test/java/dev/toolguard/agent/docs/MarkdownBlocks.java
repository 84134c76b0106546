package dev.toolguard.agent.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fenced code blocks of a Markdown page, in order: what the doc tests run, compile or validate. Shared with
 * the integration tests through this module's test jar.
 */
public record MarkdownBlocks(List<MarkdownBlocks.Block> blocks) {

    /**
     * One fenced block.
     *
     * @param language   the fence's language ({@code ""} when none)
     * @param text       the lines between the fences
     * @param line       the 1-based line of the opening fence
     * @param lineBefore the line just before the opening fence (where a doc marks what a block is), or ""
     */
    public record Block(String language, String text, int line, String lineBefore) {
    }

    public static MarkdownBlocks of(Path page) throws IOException {
        List<String> lines = Files.readAllLines(page);
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.startsWith("```")) {
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                end++;
            }
            out.add(new Block(line.substring(3).strip(), String.join("\n", lines.subList(i + 1, end)), i + 1,
                    i > 0 ? lines.get(i - 1) : ""));
            i = end;
        }
        return new MarkdownBlocks(List.copyOf(out));
    }

    /** The blocks fenced as {@code language}, in order. */
    public List<Block> in(String language) {
        return blocks.stream().filter(b -> b.language().equals(language)).toList();
    }
}
