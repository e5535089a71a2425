package dev.netmeta.load;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The handlers' return value: one line per file, e.g. {@code s3://b/k SUCCEEDED 1000 indexed, 2 rejected, 0 skipped} (and
 * {@code , 5 expired (past INDEX_RETENTION_DAYS)} when records were past the index retention),
 * and the report's warnings after it ({@code …, 0 skipped; warning: CSV header "…" is one column holding TABs: …}).
 */
final class LoadSummary {

    private LoadSummary() {
    }

    static String of(List<LoadReport> reports) {
        if (reports.isEmpty()) {
            return "nothing to load";
        }
        return reports.stream()
                .map(r -> "s3://" + r.bucket() + "/" + r.key() + " " + r.status() + " " + r.indexed() + " indexed, "
                        + r.rejected() + " rejected, " + r.skipped() + " skipped"
                        + (r.expired() == null ? "" : ", " + r.expired() + " expired (past INDEX_RETENTION_DAYS)")
                        + r.warnings().stream().map(w -> "; warning: " + w).collect(Collectors.joining()))
                .collect(Collectors.joining("\n"));
    }
}
