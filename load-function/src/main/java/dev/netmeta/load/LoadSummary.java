package dev.netmeta.load;

import java.util.List;
import java.util.stream.Collectors;

/** The handlers' return value: one line per file, e.g. {@code s3://b/k SUCCEEDED 1000 indexed, 2 rejected}. */
final class LoadSummary {

    private LoadSummary() {
    }

    static String of(List<LoadReport> reports) {
        if (reports.isEmpty()) {
            return "nothing to load";
        }
        return reports.stream()
                .map(r -> "s3://" + r.bucket() + "/" + r.key() + " " + r.status() + " " + r.indexed() + " indexed, "
                        + r.rejected() + " rejected, " + r.skipped() + " skipped")
                .collect(Collectors.joining("\n"));
    }
}
