package dev.netmeta.api;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.queryparser.charstream.FastCharStream;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.queryparser.classic.QueryParserConstants;
import org.apache.lucene.queryparser.classic.QueryParserTokenManager;
import org.apache.lucene.queryparser.classic.Token;
import org.apache.lucene.queryparser.classic.TokenMgrError;

/**
 * What the guard's tests compare the guard with: Lucene's classic query parser (which OpenSearch's query_string
 * extends) run on queries put together at random from pieces.
 */
final class LuceneOracle {

    private LuceneOracle() {
    }

    /** {@code count} queries of 1 to {@code maxPieces} pieces each, drawn from {@code pieces}; the same for a seed. */
    static List<String> randomQueries(long seed, String[] pieces, int maxPieces, int count) {
        Random random = new Random(seed);
        List<String> queries = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(maxPieces) + 1; k > 0; k--) {
                b.append(pieces[random.nextInt(pieces.length)]);
            }
            queries.add(b.toString());
        }
        return queries;
    }

    /** The tokens Lucene's lexer reads in {@code query}, in order, or null when it cannot read them. */
    static List<Token> tokens(String query) {
        List<Token> tokens = new ArrayList<>();
        QueryParserTokenManager lexer = new QueryParserTokenManager(new FastCharStream(new StringReader(query)));
        try {
            for (Token t = lexer.getNextToken(); t.kind != QueryParserConstants.EOF; t = lexer.getNextToken()) {
                tokens.add(t);
            }
        } catch (TokenMgrError e) {
            return null;
        }
        return tokens;
    }

    /** Whether {@code parser} reads {@code query}: false when it refuses it (so does OpenSearch). */
    static boolean parses(QueryParser parser, String query) {
        try {
            parser.parse(query);
            return true;
        } catch (ParseException | TokenMgrError | RuntimeException e) {
            return false;
        }
    }
}
