package dev.netmeta.api;

import java.util.List;

/**
 * The shape of a CSV export, carried from response to response in the cursor so every response of the export has
 * the same columns in the same order.
 *
 * @param fieldsKey short hash of the {@code fields} parameter the export started with (it must not change)
 * @param columns   the data columns after {@code _id,_index}, without the trailing {@code _other} column; empty
 *                  when {@code fields} names the columns itself
 */
record CsvLayout(String fieldsKey, List<String> columns) {

    CsvLayout {
        columns = List.copyOf(columns);
    }
}
