package dev.netmeta.api;

/** One sort key of a search: a field and its direction. */
public record SortField(String field, boolean descending) {

    @Override
    public String toString() {
        return field + (descending ? ":desc" : ":asc");
    }
}
