package dev.toolguard.policy.cases;

import java.util.List;

/** The results of a cases file, in file order. */
public record CasesReport(List<CaseResult> results) {

    public CasesReport {
        results = List.copyOf(results);
    }

    public long passed() {
        return results.stream().filter(CaseResult::passed).count();
    }

    public long failed() {
        return results.size() - passed();
    }

    public List<CaseResult> failures() {
        return results.stream().filter(r -> !r.passed()).toList();
    }

    /** The last line of a run, exactly as SPEC §11 has it: {@code 12 passed, 1 failed}. */
    public String summaryLine() {
        return passed() + " passed, " + failed() + " failed";
    }
}
