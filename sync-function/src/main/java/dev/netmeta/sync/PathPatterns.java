package dev.netmeta.sync;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Include patterns (glob): {@code *} and {@code ?} never cross a '/', {@code **} does. A pattern without '/'
 * matches the file name in any directory (e.g. {@code *.csv.gz}); a pattern with '/' matches the path relative to
 * the remote directory (e.g. {@code zeek/** /*.log.gz}, without the space). Matching is case-sensitive, as FTP paths are.
 */
public final class PathPatterns {

    private final List<Pattern> nameRules;
    private final List<Pattern> pathRules;

    public PathPatterns(List<String> globs) {
        this.nameRules = globs.stream().filter(g -> !g.contains("/")).map(PathPatterns::toRegex).toList();
        this.pathRules = globs.stream().filter(g -> g.contains("/")).map(g -> toRegex(stripLeadingSlash(g))).toList();
    }

    public boolean matches(String relativePath) {
        String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
        for (Pattern p : nameRules) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        for (Pattern p : pathRules) {
            if (p.matcher(relativePath).matches()) {
                return true;
            }
        }
        return false;
    }

    private static String stripLeadingSlash(String g) {
        return g.startsWith("/") ? g.substring(1) : g;
    }

    static Pattern toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i += Character.charCount(glob.codePointAt(i))) {
            int c = glob.codePointAt(i); // by code point: a quoted half of a surrogate pair (😀) matched nothing
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
                        i++;
                        re.append("(?:.*/)?"); // "**/" = zero or more directories
                    } else {
                        re.append(".*");
                    }
                } else {
                    re.append("[^/]*");
                }
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(Character.toString(c)));
            }
        }
        // DOTALL: ** also crosses names with a line terminator (U+0085 is the second byte of a UTF-8 'Å' read as
        // ISO-8859-1; U+2028 in a UTF-8 name), which '.' alone does not match
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
