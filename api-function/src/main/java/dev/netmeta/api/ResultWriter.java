package dev.netmeta.api;

/** Writes a {@link SearchResult} as a response body in one {@link OutputFormat}. */
interface ResultWriter {

    String write(SearchResult result);

    static ResultWriter of(OutputFormat format, com.fasterxml.jackson.databind.ObjectMapper json, java.util.List<String> fields) {
        switch (format) {
            case NDJSON:
                return new NdjsonResultWriter(json);
            case CSV:
                return new CsvResultWriter(json, fields);
            default:
                return new JsonResultWriter(json);
        }
    }
}
