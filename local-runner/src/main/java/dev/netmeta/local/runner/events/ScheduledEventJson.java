package dev.netmeta.local.runner.events;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** The EventBridge "Scheduled Event" a schedule rule sends to its target. */
public final class ScheduledEventJson {

    private ScheduledEventJson() {
    }

    public static String scheduled(String region, String account, String ruleName, Instant time) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("version", "0");
        root.put("id", UUID.randomUUID().toString());
        root.put("detail-type", "Scheduled Event");
        root.put("source", "aws.events");
        root.put("account", account);
        root.put("time", DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS)));
        root.put("region", region);
        root.putArray("resources").add("arn:aws:events:" + region + ":" + account + ":rule/" + ruleName);
        root.putObject("detail");
        return root.toString();
    }
}
