package dev.netmeta.sync;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.net.ftp.FTPClient;

/**
 * The MLSD/MLST facts the sync reads, selected on each session. RFC 3659 lets a server leave facts out until the client
 * selects them with {@code OPTS MLST}: FEAT lists the facts it can send and marks those it sends now with {@code *}
 * ({@code MLST size*;modify;type*;perm*;}). An entry without {@code modify} cannot tell a finished file from one
 * still being written, one without {@code size} cannot be compared with the bucket.
 */
final class MlstFacts {

    /** The entry's type, its size and modification time, and a directory's identity (symbolic link loops). */
    static final List<String> NEEDED = List.of("type", "size", "modify", "unique");

    private MlstFacts() {
    }

    /**
     * Sends {@code OPTS MLST} when the server can send a needed fact it may not send now. A refusal is ignored: the
     * listing then asks SIZE for the entries that lack a size, and MDTM for those without a time that a run copies.
     */
    static void select(FTPClient client) throws IOException {
        if (!client.hasFeature("MLST")) {
            return;
        }
        String selection = selection(client.featureValue("MLST"));
        if (selection != null) {
            client.sendCommand("OPTS", "MLST " + selection);
        }
    }

    /**
     * The argument of {@code OPTS MLST} for the facts a FEAT line lists: the needed ones among them, each followed by
     * {@code ;} ({@code type;size;modify;}). Null when it lists none of them, or marks every one it lists as sent
     * already: then the command would change nothing. A list without any {@code *} says nothing about what is sent
     * (MINA FtpServer writes {@code MLST Size;Modify;Type;Perm}), so the facts are selected.
     */
    static String selection(String listedFacts) {
        if (listedFacts == null) {
            return null;
        }
        Map<String, Boolean> listed = new HashMap<>(); // fact name → marked as sent now
        for (String fact : listedFacts.trim().split(";")) {
            String f = fact.trim().toLowerCase(Locale.ROOT);
            boolean sent = f.endsWith("*");
            if (sent) {
                f = f.substring(0, f.length() - 1);
            }
            if (!f.isEmpty()) {
                listed.put(f, sent);
            }
        }
        StringBuilder selection = new StringBuilder();
        boolean changes = false;
        for (String fact : NEEDED) {
            Boolean sent = listed.get(fact);
            if (sent != null) {
                selection.append(fact).append(';');
                changes |= !sent;
            }
        }
        return changes ? selection.toString() : null;
    }
}
