package dev.netmeta.load.index;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code _bulk} response with the streaming parser: when {@code errors} is false every item succeeded and
 * the items are not walked; otherwise each item's status and error are returned in request order.
 */
final class BulkItems {

    private static final JsonFactory JSON = new JsonFactory();

    record Item(int status, String error) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /**
         * Refused because of the target index, not the document: a cluster block (403, e.g. AWS's "cluster
         * create-index blocked" on a domain low on storage, or a read-only index), no such index (404, automatic
         * creation off) or access denied (403), an index that could not be created (400 {@code
         * validation_exception}, e.g. the cluster's shard limit).
         */
        boolean aboutTheIndex() {
            return status == 403 || status == 404 || error != null && error.startsWith("validation_exception");
        }
    }

    /** @return null when the response says {@code "errors": false}; otherwise the items in request order */
    static List<Item> failuresOrNull(byte[] body) throws IOException {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("bulk response is not a JSON object");
            }
            Boolean errors = null;
            List<Item> items = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("errors".equals(name)) {
                    errors = value == JsonToken.VALUE_TRUE;
                    if (!errors) {
                        return null;
                    }
                } else if ("items".equals(name) && value == JsonToken.START_ARRAY) {
                    items = items(p);
                } else {
                    p.skipChildren();
                }
            }
            if (items == null) {
                throw new IOException("bulk response without items");
            }
            return items;
        }
    }

    private static List<Item> items(JsonParser p) throws IOException {
        List<Item> items = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            p.nextToken(); // the action name ("index")
            p.nextToken(); // START_OBJECT of the result
            int status = 0;
            String error = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("status".equals(name)) {
                    status = p.getIntValue();
                } else if ("error".equals(name)) {
                    error = value == JsonToken.START_OBJECT ? error(p) : p.getText();
                } else {
                    p.skipChildren();
                }
            }
            p.nextToken(); // END_OBJECT of the item
            items.add(new Item(status, error));
        }
        return items;
    }

    private static String error(JsonParser p) throws IOException {
        String type = null;
        String reason = null;
        String cause = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if ("type".equals(name)) {
                type = p.getText();
            } else if ("reason".equals(name)) {
                reason = p.getText();
            } else if ("caused_by".equals(name) && value == JsonToken.START_OBJECT) {
                cause = error(p);
            } else {
                p.skipChildren();
            }
        }
        String text = (type == null ? "error" : type) + (reason == null ? "" : ": " + reason);
        return cause == null ? text : text + " (caused by " + cause + ")";
    }
}
