package dev.netmeta.model;

/** How a field is stored in OpenSearch (see the index template) and how its raw text is normalised. */
public enum FieldType {
    /** {@code ip}: IPv4 or IPv6 in canonical text form. */
    IP,
    /** {@code date}: UTC epoch milliseconds. */
    DATE,
    /** {@code integer}: ports. */
    INTEGER,
    /** {@code long}: byte counters. */
    LONG,
    /** {@code keyword}: exact-match text; also the type of every unknown column. */
    KEYWORD
}
