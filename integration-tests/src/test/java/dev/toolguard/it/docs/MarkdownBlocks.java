package dev.toolguard.it.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The fenced code blocks of a Markdown page, in order, with their language ({@code ""} when none). */
record MarkdownBlocks(List<MarkdownBlocks.Block> blocks) {

    /** One fenced block: its language, its text, and the 1-based line of its opening fence. */
    record Block(String language, String text, int line) {
    }

    static final Path DOCS = Path.of(System.getProperty("toolguard.it.docs.dir"));
    static final Path ROOT = DOCS.getParent();

    static MarkdownBlocks of(Path page) throws IOException {
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
            out.add(new Block(line.substring(3).strip(), String.join("\n", lines.subList(i + 1, end)), i + 1));
            i = end;
        }
        return new MarkdownBlocks(List.copyOf(out));
    }

    List<Block> in(String language) {
        return blocks.stream().filter(b -> b.language().equals(language)).toList();
    }
}
