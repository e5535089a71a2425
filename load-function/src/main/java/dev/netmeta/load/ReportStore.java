package dev.netmeta.load;

/** Where load reports are kept (one per file, replaced by each invocation that works on the file). */
public interface ReportStore {

    /** Saves the report and returns its location. */
    String save(LoadReport report);
}
