package dev.netmeta.load;

/** One record that was not indexed: where it is in the file, its raw text and why. */
public record Reject(String source, long line, long position, String raw, String reason) {
}
