package dev.netmeta.sync;

/** Where the FTP password comes from. Implementations fetch lazily and at most once per container. */
public interface SecretSource {

    String password();

    /** The password if it is already known, without fetching it (used to redact messages); may be null. */
    default String ifFetched() {
        return password();
    }

    /**
     * The value without trailing line breaks: {@code aws ssm put-parameter --value file://pw.txt} stores the file's
     * final newline, which sent with {@code PASS} ends the command early and leaves a stray line that puts the
     * server's replies out of step with the client's commands.
     */
    static String withoutTrailingLineBreaks(String value) {
        if (value == null) {
            return null;
        }
        int end = value.length();
        while (end > 0 && (value.charAt(end - 1) == '\n' || value.charAt(end - 1) == '\r')) {
            end--;
        }
        return value.substring(0, end);
    }
}
