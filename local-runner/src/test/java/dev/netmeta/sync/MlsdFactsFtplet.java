package dev.netmeta.sync;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;

/**
 * A {@link TestFtpServer} whose MLSD leaves facts out, as RFC 3659 allows: its FEAT lists {@code features}, its MLSD and
 * MLST send {@code defaultFacts} (MINA FtpServer sends the facts of the session attribute {@code MLST.types}, the one
 * {@code OPTS MLST} sets) until {@code OPTS MLST} selects others — or that command is refused, with
 * {@code optsRefused}. Every command but PASS is recorded in {@link #seen}, with its argument.
 */
class MlsdFactsFtplet extends DefaultFtplet {

    final List<String> seen;
    private final String features;
    private final String[] defaultFacts;
    private final boolean optsRefused;

    MlsdFactsFtplet(String features, String[] defaultFacts, boolean optsRefused, List<String> seen) {
        this.features = features;
        this.defaultFacts = defaultFacts.clone();
        this.optsRefused = optsRefused;
        this.seen = seen;
    }

    @Override
    public FtpletResult onLogin(FtpSession session, FtpRequest request) throws FtpException, IOException {
        session.setAttribute("MLST.types", defaultFacts.clone());
        return super.onLogin(session, request);
    }

    @Override
    public FtpletResult beforeCommand(FtpSession session, FtpRequest request) throws FtpException, IOException {
        String cmd = request.getCommand().toUpperCase(Locale.ROOT);
        if (!cmd.equals("PASS")) {
            seen.add(cmd + (request.hasArgument() ? " " + request.getArgument() : ""));
        }
        if (cmd.equals("FEAT")) {
            session.write(new DefaultFtpReply(211, "Extensions supported\n" + features + "\nEnd"));
            return FtpletResult.SKIP;
        }
        if (optsRefused && cmd.equals("OPTS") && request.getArgument().toUpperCase(Locale.ROOT).startsWith("MLST")) {
            session.write(new DefaultFtpReply(501, "Option not understood."));
            return FtpletResult.SKIP;
        }
        return super.beforeCommand(session, request);
    }
}
