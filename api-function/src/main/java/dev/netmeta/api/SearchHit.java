package dev.netmeta.api;

import java.util.List;
import java.util.Map;

/** One document found: its id, its index, its fields and the sort values that place it in the result order. */
public record SearchHit(String id, String index, Map<String, Object> source, List<Object> sortValues) {
}
