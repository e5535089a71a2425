package dev.netmeta.sync;

/**
 * Glob characters in a path sent to the FTP server. Servers read {@code *}, {@code ?} and {@code [} (some also {@code \\}
 * as an escape and {@code {a,b}} as alternatives) in the argument of
 * a listing as a pattern — MINA FtpServer in {@code MLSD} and {@code MLST} too (RFC 3659 says a path): {@code MLSD
 * /in/br[1]} listed the entries of {@code /in} that match {@code br[1]} (the directory itself, which the walk then
 * took for its own sub-directory), and {@code MLST /in/a[1].csv.gz} answered with the facts of {@code /in}, a
 * directory, so the file was skipped as unstable on every run. Paths with them are therefore never a listing's or
 * an {@code MLST}'s argument: the walk enters the directory ({@code CWD}) and lists it without one, and the check
 * before a transfer asks {@code SIZE} and {@code MDTM} ({@code RETR}, {@code SIZE}, {@code MDTM} and {@code CWD} take
 * a path as it is).
 */
final class FtpGlobs {

    private FtpGlobs() {
    }

    static boolean in(String path) {
        // also \ (glob(3)'s escape: a\b listed as ab) and { (GLOB_BRACE on servers that use it: {a,b})
        return path.indexOf('*') >= 0 || path.indexOf('?') >= 0 || path.indexOf('[') >= 0 || path.indexOf('\\') >= 0
                || path.indexOf('{') >= 0;
    }
}
